"""Which task this process is running, if any: ``current_task_id()`` is the id of the task result
being run (the same id when a task left by a dead worker is queued again), or "" outside a task.
Set from django.tasks' ``task_started`` and ``task_finished`` signals, whatever the backend, so that
what a task does can be made idempotent (the e-mail ledger, ``audits.sent_mail``); and when
work that has shown no sign of life for TASK_STALE_SECONDS counts as abandoned (``stale_before``,
``is_stale``).

On PostgreSQL the task worker (``manage.py run_worker``) holds a lock named by the task's id for as
long as it runs it (``running``), on a connection of its own that PostgreSQL drops, and the lock
with it, when the worker's process dies: ``is_alive`` is that sign of life, which
``lib.task_recovery`` asks before it queues a task again. On SQLite (one machine) there is no such
sign: age alone decides."""

import contextvars
import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.dispatch import receiver
from django.tasks.signals import task_finished, task_started
from django.utils import timezone

from lib.locks import holding, is_held

_running: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("running_task", default=())


def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Work that has shown no sign of life since before this moment (TASK_STALE_SECONDS ago) was
    left by a worker that stopped, or is waiting for one that is not running."""
    return (now or timezone.now()) - datetime.timedelta(seconds=settings.TASK_STALE_SECONDS)


def is_stale(last_sign_of_life: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """Whether work last seen alive at ``last_sign_of_life`` has been silent for TASK_STALE_SECONDS:
    the one rule by which a queued PDF, export or chronology import counts as abandoned."""
    return last_sign_of_life <= stale_before(now)


def _lock_name(task_id: str) -> str:
    return f"task:{task_id}"


@contextmanager
def running(task_id: str) -> Iterator[bool]:
    """Hold the task's lock while the block runs it (``lib.locks.holding``): False when another
    process holds it, i.e. is running the same task now (it must not be run twice at once)."""
    with holding(_lock_name(task_id)) as mine:
        yield mine


def is_alive(task_id: str) -> bool:
    """Whether a worker is running the task now (it holds the task's lock). Always False on
    SQLite, where age alone decides."""
    return is_held(_lock_name(task_id))


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


class TaskWorkMixin:
    """The states a product row made by a task goes through (a briefing's PDF, an export, a
    queued chronology import), one rule for all: ``state`` is queued, running, done or failed
    (each model's own ``State`` names them); its last sign of life is ``started_at`` (the latest
    attempt) or else ``requested_at``; silent for TASK_STALE_SECONDS it is abandoned (``is_stale``),
    which pages show as failed with a way to try again."""

    ABANDONED = "Nothing has happened to it for a few minutes: the task worker may have stopped."
    NOT_MADE = "It could not be made."

    @property
    def may_run(self) -> bool:
        """Queued or running: the task may (still, or again) do it."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_abandoned(self) -> bool:
        """Queued or running, but nothing has happened for TASK_STALE_SECONDS: its worker
        stopped, or none is running (or it was never queued)."""
        return self.may_run and is_stale(getattr(self, "started_at", None) or self.requested_at)

    @property
    def is_pending(self) -> bool:
        """Queued or running, and not abandoned: the page says to wait for it (and refresh)."""
        return self.may_run and not self.is_abandoned

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def is_failed(self) -> bool:
        """It failed, or it was abandoned: the page offers to try again."""
        return self.state == self.State.FAILED or self.is_abandoned

    @property
    def state_label(self) -> str:
        return self.State.FAILED.label if self.is_abandoned else self.get_state_display()

    def failure_text(self) -> str:
        """Why it failed, as the task recorded it."""
        return self.failure

    @property
    def failure_message(self) -> str:
        return self.ABANDONED if self.is_abandoned else (self.failure_text() or self.NOT_MADE)
