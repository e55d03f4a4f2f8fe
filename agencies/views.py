from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from agencies.access_log import Kind, record


@require_POST
def keep_alive(request):
    """Extend the session (the timeout warning's "Stay signed in"). Needs a signed-in user, like
    every view; saving the session on each request is what extends it."""
    request.session.modified = True
    return HttpResponse(status=204)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset page, with the new password recorded in the access log (every other
    session of the person ends, as their password hash has changed)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Kind.PASSWORD_CHANGED, request=self.request, user=form.user, what="Password reset by e-mail link")
        return response
