"""Exports: the person who asked for one follows it here (being made, ready, failed or expired),
downloads it (recorded in the access log) and finds it again in "Your exports"."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies.access_log.downloads import attachment
from exports import registry, services
from exports.permissions import get_export_for_user
from exports.selectors import exports_of
from lib.pagination import pagination
from lib.storage import private_storage
from lib.views import run

PER_PAGE = 25


@require_GET
def export_list(request):
    # Only the user's own exports: nothing to refuse, so no permission helper beyond signing in.
    page = Paginator(exports_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "exports/export_list.html",
        {"page": page, "pages": pagination(request, page), "keep_hours": settings.EXPORT_KEEP_HOURS},
    )


@require_GET
def export_detail(request, pk):
    export = services.export_check_access(actor=request.user, export=get_export_for_user(request.user, pk))
    kind = registry.get(export.kind)
    return render(
        request,
        "exports/export_detail.html",
        {"export": export, "back_url": kind.back(export.params) if kind.back else ""},
    )


@require_POST
def export_retry(request, pk):
    export = get_export_for_user(request.user, pk)
    run(request, lambda: services.export_retry(actor=request.user, export=export), success="Asked for it again")
    return redirect(export)


@require_GET
def export_download(request, pk):
    export = services.export_check_access(actor=request.user, export=get_export_for_user(request.user, pk))
    if not export.is_done:
        return redirect(export)
    content = private_storage.read_bytes(export.stored_file)
    services.export_downloaded(actor=request.user, export=export)
    what = registry.get(export.kind).what(export.params)
    return attachment(request, content, export.content_type, export.file_name, what=what)
