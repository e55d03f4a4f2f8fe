"""Error pages in the service's own shell, and the load balancers' health check."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lib.storage import private_storage

logger = logging.getLogger(__name__)

# A name nothing stores: asking whether it exists is the smallest question the storage answers.
HEALTH_PROBE = "healthz-probe"


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """For load balancers, without signing in: "ok" (200) when the database answers a SELECT 1 and
    the private storage (disk or bucket) answers whether a file exists, 503 otherwise. It says
    nothing else, and logs only which part did not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check: the database does not answer (%s)", type(exc).__name__)
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    try:
        private_storage.exists(HEALTH_PROBE)
    except Exception as exc:  # any failure of the store (network, credentials, disk) is a 503
        logger.warning("Health check: the private storage does not answer (%s)", type(exc).__name__)
        return HttpResponse("storage unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def _without_the_database(**extra) -> dict:
    # Pages rendered without the request's context processors: the fault may be the database, so
    # the page must not need it.
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "brand_colour": settings.PARTNERSHIP_BRAND_COLOUR,
        "phase": settings.PHASE,
        "support_email": settings.SUPPORT_EMAIL,
        **extra,
    }


@login_not_required
def server_error(request):
    return HttpResponseServerError(loader.get_template("errors/500.html").render(_without_the_database()))


def _page_before(request) -> str:
    """Where the person was (the form they sent, from the Referer this service's own pages send),
    or their tasks."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


def saved_then_failed(request) -> HttpResponse:
    """A save committed, then a later step (queuing an e-mail, building the next page) failed:
    the person is told it was saved, so that they do not save it again."""
    context = _without_the_database(back_url=_page_before(request), csp_nonce=get_nonce(request))
    return HttpResponse(loader.get_template("errors/saved.html").render(context))


def outcome_unknown(request) -> HttpResponse:
    """The database failed as a save was committed: it may have been kept. The person is told to
    check the page they were on before trying again."""
    context = _without_the_database(back_url=_page_before(request), csp_nonce=get_nonce(request))
    return HttpResponse(loader.get_template("errors/may_have_saved.html").render(context), status=503)
