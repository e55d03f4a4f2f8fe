"""The task worker for production (TASKS_BACKEND=database): django-tasks-db's ``db_worker``, made
to outlive the database. When the database goes away (restarted, failed over) it logs one line,
connects again every few seconds and carries on, instead of exiting. When it starts, and each
time it has connected again, it first recovers what it was running when it stopped
(``recover_tasks``, by its worker id, which is this machine's name unless ``--worker-id`` says
otherwise: give each worker on a machine its own, as deploy/systemd/mca-worker@.service does). Its
supervisor (systemd, Restart=always) restarts it if it dies all the same.

On PostgreSQL it holds each task's lock while it runs it (``lib.running_task.running``), on a
connection of its own: the sign of life by which recovery leaves a task alone however long it runs,
even when another worker started with the same id (the lock, not the id, says who is alive). A task
whose lock another process holds already is not run a second time at once."""

import logging
import socket
import time

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from audits.management.commands.recover_tasks import recover
from lib.running_task import running

logger = logging.getLogger(__name__)

# Seconds between attempts to reach the database again: doubling up to the last.
RECONNECT_DELAYS = (1, 2, 4, 5)


class LockingWorker(Worker):
    """db_worker's worker, holding the task's lock while it runs it."""

    def run_task(self, db_task_result):
        with running(str(db_task_result.pk)) as mine:
            if not mine:
                # Queued again while its first worker still runs it: that worker records the outcome.
                logger.warning("A %s task is being run by another worker: left to it", db_task_result.task_path)
                return
            super().run_task(db_task_result)


class Command(DBWorkerCommand):
    help = (
        "Run the database task worker, reconnecting when the database restarts. Give each worker its "
        "own --worker-id, the same each time it is restarted (the default, this machine's name, suits "
        "one worker a machine): a starting worker queues again what its id had left running."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Stable across restarts, so that it recognises the task it was running when it stopped.
        parser.set_defaults(worker_id=socket.gethostname()[:64] or "worker", reload=False)

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = LockingWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        worker.configure_signals()
        failures = 0
        while True:
            try:
                recover(worker_id=worker_id)
                failures = 0
                worker.run()  # returns only with --batch or --max-tasks
                return
            except (OperationalError, InterfaceError) as exc:
                # The error's class only: its message may quote a query's parameters.
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                logger.warning("Lost the database (%s): connecting again in %d s", type(exc).__name__, delay)
                failures += 1
                connections.close_all()
                time.sleep(delay)
