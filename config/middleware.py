import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from config.views import outcome_unknown, saved_then_failed
from lib.views import SAVED, OutcomeUnknownError

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Turn off browser features the service never uses (camera, microphone, location, ...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """Every response to a signed-in person is sent with ``Cache-Control: no-store``, so that no
    browser or proxy keeps a page (identifiers, findings, names) or a download after they leave:
    the one place this is set. Anonymous pages (sign-in, password reset) and static files, which
    WhiteNoise serves before this runs, keep their own headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


class SavedThenFailedMiddleware:
    """A view's exception after its save committed (``lib.views.save_form`` / ``run`` mark the
    request) is logged and answered "your changes have been saved"; a commit whose outcome is
    unknown (``lib.views.OutcomeUnknownError``) is answered "your changes may have been saved: check".
    Anything else goes on to Django's error handling."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OutcomeUnknownError):
            logger.error("The database failed as a save was committed", exc_info=exception)
            return outcome_unknown(request)
        if getattr(request, SAVED, False) and not isinstance(exception, (Http404, PermissionDenied)):
            logger.error("A step after a save failed: the save was kept", exc_info=exception)
            return saved_then_failed(request)
        return None
