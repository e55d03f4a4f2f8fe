"""Error pages in the service's own shell."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    # Rendered without the request's context processors: the fault may be the database, so the
    # page must not need it.
    from django.conf import settings
    from django.http import HttpResponseServerError
    from django.template import loader

    context = {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "brand_colour": settings.PARTNERSHIP_BRAND_COLOUR,
        "phase": settings.PHASE,
        "support_email": settings.SUPPORT_EMAIL,
    }
    return HttpResponseServerError(loader.get_template("errors/500.html").render(context))
