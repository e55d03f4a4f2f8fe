"""Which task this process is running, if any: ``current_task_id()`` is the id of the task result
being run (the same id when a task left by a dead worker is queued again), or "" outside a task.
Set from django.tasks' ``task_started`` and ``task_finished`` signals, whatever the backend, so that
what a task does can be made idempotent (the e-mail ledger, ``audits.sent_mail``); and when
work that has shown no sign of life for TASK_STALE_SECONDS counts as abandoned (``stale_before``)."""

import contextvars
import datetime

from django.conf import settings
from django.dispatch import receiver
from django.tasks.signals import task_finished, task_started
from django.utils import timezone

_running: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("running_task", default=())


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Work that has shown no sign of life since before this moment (TASK_STALE_SECONDS ago) was
    left by a worker that stopped, or is waiting for one that is not running."""
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.TASK_STALE_SECONDS)


def current_task_id() -> str:
    running = _running.get()
    return running[-1] if running else ""


@receiver(task_started, dispatch_uid="lib.running_task.started")
def _started(sender, task_result, **kwargs):
    # A task run by the immediate backend can queue (and so run) another inside it: a stack.
    _running.set((*_running.get(), str(task_result.id)))


@receiver(task_finished, dispatch_uid="lib.running_task.finished")
def _finished(sender, task_result, **kwargs):
    running = list(_running.get())
    if str(task_result.id) in running:
        del running[len(running) - 1 - running[::-1].index(str(task_result.id))]
    _running.set(tuple(running))
