"""Tasks that a dead worker left "running" in django-tasks-db's table: found by age (running for
longer than TASK_STALE_SECONDS) or, when a worker starts, by its own id (whatever it had claimed
when it stopped), and, on PostgreSQL, only if no worker is running it still (``is_alive``: the
running worker holds the task's lock, which PostgreSQL releases when that worker dies), so a task
that runs long is never queued again under its live worker, nor one that another worker with the
same id runs. On SQLite age alone decides. Each goes back in the queue as the same task result,
so that what it did before is known (``lib.running_task``), until it has been tried TASK_ATTEMPTS
times (each claim adds the worker's id to ``worker_ids``); then it is marked failed, with the
reason. The features mark what the task was making (a PDF, an export) failed too:
``manage.py recover_tasks`` wires them up."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lib.running_task import is_alive, stale_before

logger = logging.getLogger(__name__)


class WorkerLostError(Exception):
    """What a task's failure is recorded as when its worker stopped every time it ran it."""


@dataclass
class Recovered:
    requeued: list[str] = field(default_factory=list)  # task result ids queued again
    failed: list[str] = field(default_factory=list)  # task result ids given up on


def gave_up_reason(attempts: int) -> str:
    return f"The task worker stopped {attempts} time{'s' if attempts != 1 else ''} while it was being made."


def recover_tasks(*, worker_id: str = "", now: datetime.datetime | None = None) -> Recovered:
    """Queue again (or fail, after TASK_ATTEMPTS tries) every task running for longer than
    TASK_STALE_SECONDS and, given ``worker_id`` (a worker starting), every running task it had
    claimed: a worker runs one task at a time, so those were left when it stopped. A task a worker
    is still running (``is_alive``) is left alone, however long it has run."""
    now = now or timezone.now()
    cutoff = stale_before(now)
    recovered = Recovered()
    with transaction.atomic():
        # Running tasks are few (one per worker): the worker's own are picked out here.
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by()
        for result in running:
            mine = bool(worker_id) and result.worker_ids[-1:] == [worker_id]
            if not mine and (result.started_at is None or result.started_at > cutoff):
                continue
            if is_alive(str(result.pk)):
                continue
            attempts = len(result.worker_ids)
            if attempts < settings.TASK_ATTEMPTS:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                recovered.requeued.append(str(result.pk))
            else:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = f"{WorkerLostError.__module__}.{WorkerLostError.__qualname__}"
                result.traceback = gave_up_reason(attempts)
                result.return_value = None
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"]
                )
                recovered.failed.append(str(result.pk))
                # The task's path says what kind of work it was; its arguments (ids) are not logged.
                logger.warning("Gave up on a %s task after %d attempts", result.task_path, attempts)
    if recovered.requeued:
        logger.warning("Queued %d task(s) again that a stopped worker had left running", len(recovered.requeued))
    return recovered
