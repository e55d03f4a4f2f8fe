import re

from django.views.debug import SafeExceptionReporterFilter as BaseFilter


class SafeExceptionReporterFilter(BaseFilter):
    """Hide secrets and everything a user typed from error reports.

    Form contents may hold children's details, so POST bodies are never reported.
    """

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|EMAIL_HOST_USER", flags=re.IGNORECASE
    )

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)
