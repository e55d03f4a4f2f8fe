"""Who may see an export: only the person who asked for it (404 for anyone else), and only while
they may still have what it holds (the kind's check, asked again: 403)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from exports import registry
from exports.models import Export


def require_export_allowed(user, kind: str, params: dict) -> None:
    if not registry.may_request(user, kind, params):
        raise PermissionDenied


def get_export_for_user(user, pk: int) -> Export:
    export = get_object_or_404(Export.objects.select_related("requested_by"), pk=pk, requested_by=user)
    require_export_allowed(user, export.kind, export.params)
    return export
