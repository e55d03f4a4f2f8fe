"""Chronology imports too large to run in a request (IMPORT_IN_BACKGROUND_ROWS rows or more): the
service that queues a confirmed one, the task (django.tasks) that runs it, and its body.

They share one module because the body runs ``services.entries_import``, and services already
reach ``tasks`` (through ``lifecycle``): a task module imported by services could not import
them back. The previewed rows wait encrypted in private storage (never in the task's arguments,
which a queue-backed backend stores as JSON) and are deleted once the task has run, whatever
the outcome. The import is all or nothing: the entries, the chronology's draft status and the
"Imported" state commit together, so a worker that dies mid-import leaves it queued, and a
retried task runs it once."""

import json
import uuid
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from audits.models import Chronology, ChronologyImport
from audits.returns import chronology_io, services
from audits.returns.permissions import can_edit, require_member
from lib.models import locked
from lib.running_task import stale_before
from lib.storage import private_storage

NOT_FINISHED = "The import could not be finished. Nothing was imported: upload the file again."
NOT_QUEUED = "It could not be queued for the task worker. Nothing was imported: upload the file again."
PENDING = [ChronologyImport.State.QUEUED, ChronologyImport.State.RUNNING]


def runs_in_background(rows: list) -> bool:
    """Whether a confirmed import of ``rows`` is queued as a task rather than run in the request."""
    return len(rows) >= settings.IMPORT_IN_BACKGROUND_ROWS


@transaction.atomic
def chronology_import_queue(
    *, actor, chronology: Chronology, entries: list[dict], replace: bool, keep_duplicates: bool, seen_state: str
) -> ChronologyImport:
    """Queue a previewed import for the task, which runs ``entries_import`` as the actor once this
    transaction commits. Refused if the actor may not edit the chronology, if another import into it
    is waiting (one abandoned, ``ChronologyImport.is_abandoned``, is failed and this one queued
    instead), or if its entries changed since the preview (``seen_state``)."""
    chronology = locked(chronology)
    require_member(actor, chronology)
    if not can_edit(actor, chronology):
        raise ValidationError("This has been submitted and can no longer be changed.")
    _fail_abandoned(chronology)
    plan = chronology_io.plan_import(chronology.entries.all(), entries, replace=replace)
    if plan.state != seen_state:
        raise ValidationError(
            "Someone changed this chronology's entries since you looked at the preview. Nothing has been "
            "imported yet: check the preview again, then confirm."
        )
    job = ChronologyImport(
        chronology=chronology,
        requested_by=actor,
        replace=replace,
        keep_duplicates=keep_duplicates,
        seen_state=seen_state,
        row_count=len(entries),
        stored_file=f"chronology-imports/{uuid.uuid4().hex}",
    )
    job.full_clean()
    job.save()
    # Written last: if writing fails, the transaction rolls back and nothing is queued.
    private_storage.write(job.stored_file, json.dumps(chronology_io.rows_to_stored(entries)).encode())
    transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _fail_abandoned(chronology: Chronology) -> None:
    """Refuse while another import into the chronology waits, unless it is abandoned and no worker
    is running it now (its row is not locked): then it is failed, to make way."""
    pending = chronology.imports.filter(state__in=PENDING).first()
    if pending is None:
        return
    if pending.is_abandoned:
        # A worker running it holds its row (``chronology_import_run``): skipped, so refused below.
        unlocked = ChronologyImport.objects.select_for_update(skip_locked=True).filter(pk=pending.pk, state__in=PENDING)
        if job := unlocked.first():
            job.message = ChronologyImport.ABANDONED
            _finish(job, ChronologyImport.State.FAILED)
            return
    raise ValidationError("Another file is being imported into this chronology: wait until it has finished.")


def _enqueue(job_pk: int) -> None:
    result = run_chronology_import.enqueue(job_pk)
    ChronologyImport.objects.filter(pk=job_pk, task_id="").update(task_id=str(result.id)[:100])


@task
def run_chronology_import(job_pk: int) -> str:
    return chronology_import_run(job_pk).state


def chronology_import_run(job_pk: int) -> ChronologyImport:
    """Run a queued import (the task's body): imported, or not imported with the reason. Running it
    again once it has finished changes nothing."""
    try:
        with transaction.atomic():
            job = ChronologyImport.objects.select_for_update().select_related("requested_by").get(pk=job_pk)
            if job.state != ChronologyImport.State.QUEUED:
                return job
            rows = chronology_io.rows_from_stored(json.loads(private_storage.read_bytes(job.stored_file)))
            result = services.entries_import(
                actor=job.requested_by,
                chronology=job.chronology,
                entries=rows,
                replace=job.replace,
                keep_duplicates=job.keep_duplicates,
                seen_state=job.seen_state,
            )
            job.added, job.skipped, job.removed = result.added, result.skipped, result.removed
            _finish(job, ChronologyImport.State.DONE)
            return job
    except ValidationError as exc:
        return _fail(job_pk, " ".join(exc.messages))
    except PermissionDenied:
        return _fail(job_pk, "You can no longer change this chronology, so nothing was imported.")
    except Exception:
        _fail(job_pk, NOT_FINISHED)
        raise


def _finish(job: ChronologyImport, state: str) -> None:
    stored, job.stored_file = job.stored_file, ""
    job.state = state
    job.finished_at = timezone.now()
    job.save()
    if stored:
        transaction.on_commit(partial(private_storage.delete, stored))


def _fail(job_pk: int, message: str) -> ChronologyImport:
    with transaction.atomic():
        job = ChronologyImport.objects.select_for_update().get(pk=job_pk)
        if job.state == ChronologyImport.State.QUEUED:
            job.message = message[:500]
            _finish(job, ChronologyImport.State.FAILED)
    return job


def imports_give_up(task_ids: list[str], reason: str) -> int:
    """Mark not imported, with ``reason``, the imports still waiting on tasks that were given up on
    (``lib.task_recovery``), deleting their rows; returns how many. Nothing of theirs was imported:
    the entries and the "Imported" state commit together."""
    if not task_ids:
        return 0
    count = 0
    for job in ChronologyImport.objects.select_for_update().filter(task_id__in=task_ids, state__in=PENDING):
        job.message = f"{reason} Nothing was imported: upload the file again."[:500]
        _finish(job, ChronologyImport.State.FAILED)
        count += 1
    return count


def imports_never_queued_fail(*, now=None) -> int:
    """Mark not imported the imports that have no task (queueing it failed after the confirmation
    committed) and have waited TASK_STALE_SECONDS (``ChronologyImport.is_abandoned``): no worker will
    ever run them, and each would refuse every later import into its chronology. Returns how many."""
    count = 0
    waiting = ChronologyImport.objects.select_for_update(skip_locked=True).filter(
        task_id="", state__in=PENDING, requested_at__lte=stale_before(now)
    )
    for job in waiting:
        job.message = NOT_QUEUED
        _finish(job, ChronologyImport.State.FAILED)
        count += 1
    return count
