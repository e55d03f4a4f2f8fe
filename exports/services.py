"""Writes of exports: asking for one (queued as a task once the transaction commits), trying a
failed or expired one again, recording a download, and deleting the files of expired ones."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from exports import registry, tasks
from exports.models import Export
from exports.permissions import require_export_allowed
from lib.models import locked
from lib.storage import private_storage


@transaction.atomic
def export_request(*, actor, kind: str, params: dict) -> Export:
    """Queue an export of ``kind`` with ``params`` (ids and filter values only) for ``actor``;
    the task runs once this transaction commits."""
    require_export_allowed(actor, kind, params)
    export = Export(kind=kind, params=params, title=registry.get(kind).title(params)[:200], requested_by=actor)
    export.full_clean()
    export.save()
    transaction.on_commit(partial(_enqueue, export.pk))
    return export


@transaction.atomic
def export_retry(*, actor, export: Export) -> Export:
    """Queue a failed (or abandoned: ``Export.is_abandoned``) or expired export again, with the
    same filters."""
    export = locked(export)
    if export.requested_by_id != actor.pk:
        raise ValidationError("Only the person who asked for an export can ask for it again")
    require_export_allowed(actor, export.kind, export.params)
    if not export.can_retry:
        raise ValidationError("This export is being made or is ready: it cannot be made again")
    old = export.stored_file
    export.state = Export.State.QUEUED
    for field in ("note", "failure", "task_id", "file_name", "content_type", "stored_file", "sha256"):
        setattr(export, field, "")
    export.size = export.started_at = export.finished_at = export.expires_at = export.downloaded_at = None
    export.requested_at = timezone.now()
    export.save()
    if old:
        transaction.on_commit(partial(private_storage.delete, old))
    transaction.on_commit(partial(_enqueue, export.pk))
    return export


def export_check_access(*, actor, export: Export) -> Export:
    """A file made before what ``actor`` may see changed (their roles, agency or two-factor
    devices: ``User.access_version``) may hold what they can no longer see: it is deleted, and
    the export shows as expired, to be made again with what they may see now."""
    if not export.stored_file or export.access_version == actor.access_version:
        return export
    with transaction.atomic():
        export = locked(export)
        old, export.stored_file = export.stored_file, ""
        export.save(update_fields=["stored_file"])
        if old:
            transaction.on_commit(partial(private_storage.delete, old))
    return export


def _enqueue(export_pk: int) -> None:
    result = tasks.run_export.enqueue(export_pk)
    Export.objects.filter(pk=export_pk, task_id="").update(task_id=str(result.id)[:100])


@transaction.atomic
def export_downloaded(*, actor, export: Export) -> Export:
    """Record that the requester downloaded the file (the access log entry is the view's)."""
    require_export_allowed(actor, export.kind, export.params)
    export.downloaded_at = timezone.now()
    Export.objects.filter(pk=export.pk).update(downloaded_at=export.downloaded_at)
    return export


def exports_expire(*, now=None) -> int:
    """Delete the stored files of exports past their expiry (the rows stay, as "Expired");
    returns how many files were deleted. Run by ``manage.py apply_retention``."""
    now = now or timezone.now()
    count = 0
    for export in Export.objects.filter(expires_at__lte=now).exclude(stored_file="").only("pk", "stored_file"):
        with transaction.atomic():
            if Export.objects.filter(pk=export.pk, stored_file=export.stored_file).update(stored_file="", size=None):
                transaction.on_commit(partial(private_storage.delete, export.stored_file))
                count += 1
    return count
