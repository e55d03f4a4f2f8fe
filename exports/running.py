"""The task body that makes a queued export (``export_run``), and how a builder reports how far it
has got. Services (queueing) and tasks (running) both import this module; it imports neither."""

import datetime
import hashlib
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from exports import registry
from exports.models import Export
from lib.running_task import current_task_id
from lib.storage import private_storage


def stored_name(export: Export) -> str:
    """A new, unguessable name in private storage for an export's file."""
    return f"exports/{export.pk}-{uuid.uuid4().hex}"


def export_progress(export: Export, note: str) -> None:
    """What the status page says while the export is being made (a builder calls it)."""
    export.note = note[:200]
    export.started_at = timezone.now()  # a sign of life: a long export is not taken as abandoned
    Export.objects.filter(pk=export.pk).update(note=export.note, started_at=export.started_at)


def export_run(export_pk: int) -> Export:
    """Make a queued export's file and store it encrypted (done), or mark it failed. An export
    left "being made" by a worker that stopped is made again when its task is queued again."""
    with transaction.atomic():
        export = Export.objects.select_for_update().select_related("requested_by").get(pk=export_pk)
        if not export.may_run or export.task_id not in ("", current_task_id() or export.task_id):
            return export  # made already, or asked for again since this task was queued
        export.state = Export.State.RUNNING
        export.note = ""
        export.started_at = timezone.now()
        # Made with what the requester may see now (the builders ask as them).
        export.access_version = export.requested_by.access_version
        export.save(update_fields=["state", "note", "started_at", "access_version"])
    try:
        built = registry.get(export.kind).build(export)
        name = stored_name(export)
        private_storage.write(name, built.content)
    except Exception:
        export.state = Export.State.FAILED
        export.note = ""
        export.failure = "It could not be made."
        export.finished_at = timezone.now()
        export.save(update_fields=["state", "note", "failure", "finished_at"])
        raise
    export.stored_file = name
    export.file_name = built.file_name
    export.content_type = built.content_type
    export.sha256 = hashlib.sha256(built.content).hexdigest()
    export.size = len(built.content)
    export.state = Export.State.DONE
    export.note = ""
    export.finished_at = timezone.now()
    export.expires_at = export.finished_at + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    export.save(
        update_fields=[
            "stored_file",
            "file_name",
            "content_type",
            "sha256",
            "size",
            "state",
            "note",
            "finished_at",
            "expires_at",
        ]
    )
    return export


def exports_give_up(task_ids: list[str], reason: str) -> int:
    """Mark failed, with ``reason``, the exports still waiting on tasks that were given up on
    (``lib.task_recovery``); returns how many."""
    if not task_ids:
        return 0
    return Export.objects.filter(task_id__in=task_ids, state__in=[Export.State.QUEUED, Export.State.RUNNING]).update(
        state=Export.State.FAILED, note="", failure=reason[:200], finished_at=timezone.now()
    )
