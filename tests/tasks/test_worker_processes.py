"""Issue 15's "done when", with real processes on a throwaway PostgreSQL cluster of the test's own
(``cluster.py``; never the shared one): the task worker (``manage.py run_worker``) killed with
SIGKILL mid-render, or after an invitation went but before it recorded the task done, and the
database restarted while the worker waits. Faults are injected by ``proc.py``, not by the service.
Skipped where PostgreSQL's binaries are not installed."""

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.tasks import cluster as pg

ROOT = Path(__file__).resolve().parents[2]
PROC = Path(__file__).with_name("proc.py")

pytestmark = [
    pytest.mark.own_database,
    pytest.mark.skipif(bool(pg.available()), reason=pg.available() or "PostgreSQL available"),
]

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """One cluster for the module, with a migrated template database each test copies."""
    made = pg.Cluster()
    try:
        made.start()
        made.sql("CREATE DATABASE mca_template")
        env = _env(made.url("mca_template"), tmp_path_factory.mktemp("migrate"))
        migrate = [sys.executable, str(PROC), "migrate", "--noinput", "-v", "0"]
        subprocess.run(migrate, env=env, check=True, timeout=300)  # noqa: S603 - our own script, fixed arguments
        yield made
    finally:
        made.destroy()


@pytest.fixture
def world(cluster, tmp_path):
    """A fresh database (a copy of the migrated template) and the folders the processes share."""
    name = f"mca_test_{next(_numbers)}"
    cluster.sql(f"CREATE DATABASE {name} TEMPLATE mca_template")
    return World(cluster, cluster.url(name), tmp_path)


def _env(url: str, folder: Path, **extra: str) -> dict:
    (folder / "mail").mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.tasks.worker_settings",
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "DEBUG": "false",
        "PRIVATE_STORAGE_ROOT": str(folder / "private"),
        "MAIL_DIR": str(folder / "mail"),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


class World:
    def __init__(self, cluster, url, folder):
        self.cluster = cluster
        self.url = url
        self.folder = folder
        self.workers: list[subprocess.Popen] = []
        self.logs = itertools.count(1)

    def env(self, **extra) -> dict:
        return _env(self.url, self.folder, **extra)

    def scenario(self, name: str, *args, **extra) -> dict:
        done = subprocess.run(  # noqa: S603 - our own script, the tests' arguments
            [sys.executable, str(PROC), "scenario", name, *map(str, args)],
            env=self.env(**extra),
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def manage(self, *args, **extra) -> str:
        command = [sys.executable, str(PROC), *args]
        done = subprocess.run(command, env=self.env(**extra), check=True, capture_output=True, text=True)  # noqa: S603
        return done.stdout

    def worker(self, worker_id: str, command: str = "run_worker", **extra) -> subprocess.Popen:
        log = (self.folder / f"worker-{next(self.logs)}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, str(PROC), command, "--interval", "0.2", "--no-startup-delay", "--worker-id", worker_id],
            env=self.env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log_path = Path(log.name)
        self.workers.append(process)
        return process

    def stop_all(self):
        for process in self.workers:
            if process.poll() is None:
                process.kill()
                process.wait(10)

    def mails(self) -> list[str]:
        """The Subject lines of every message the processes sent."""
        return [
            line
            for path in sorted((self.folder / "mail").glob("*"))
            for line in path.read_text().splitlines()
            if line.startswith("Subject: ")
        ]


@pytest.fixture
def processes(world):
    yield world
    world.stop_all()


def wait_for(what, *, seconds: float, every: float = 0.3):
    """Ask ``what()`` until it returns something true, for at most ``seconds``; returns its last answer."""
    deadline = time.monotonic() + seconds
    while True:
        answer = what()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(every)


def kill_when(path: Path, worker: subprocess.Popen, *, seconds: float = 90) -> None:
    """SIGKILL the worker once it has written ``path`` (it is then mid-task, hanging)."""
    assert wait_for(path.exists, seconds=seconds), f"the worker never got there:\n{worker.log_path.read_text()}"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    path.unlink()


def test_a_render_killed_mid_way_is_made_when_the_worker_restarts(processes):
    world = processes
    render = world.scenario("render")
    marker = world.folder / "rendering"
    kill_when(marker, world.worker("worker-1", SLOW_RENDER_MARKER=str(marker)))
    stuck = world.scenario("render_state", render["render"])
    assert (stuck["state"], stuck["task_status"]) == ("running", "RUNNING"), "what the dead worker left behind"

    killed_at = time.monotonic()
    world.worker("worker-1")  # what systemd's Restart=always does: the same worker id, again
    state = wait_for(
        lambda: (s := world.scenario("render_state", render["render"]))["state"] == "done" and s, seconds=120
    )
    assert state, world.scenario("render_state", render["render"])
    assert state["task_status"] == "SUCCESSFUL"
    assert state["attempts"] == 2
    assert time.monotonic() - killed_at < 300, "finished within 5 minutes of the kill"


def test_a_render_abandoned_by_a_worker_that_is_not_restarted_shows_failed_then_is_recovered(processes):
    """No worker restarts under the same id: after TASK_STALE_SECONDS the page shows it failed,
    to try again, and ``recover_tasks`` (the timer) queues it again for whichever worker runs."""
    world = processes
    render = world.scenario("render")
    marker = world.folder / "rendering"
    kill_when(marker, world.worker("worker-1", SLOW_RENDER_MARKER=str(marker)))

    shown = wait_for(
        lambda: (s := world.scenario("render_state", render["render"], TASK_STALE_SECONDS="3"))["is_failed"] and s,
        seconds=30,
    )
    assert shown, "shown failed once nothing has happened for TASK_STALE_SECONDS"
    assert shown["state"] == "running" and "worker may have stopped" in shown["message"]

    out = world.manage("recover_tasks", TASK_STALE_SECONDS="3")
    assert out.startswith("1 task(s) queued again; 0 given up on")
    world.worker("worker-2")
    state = wait_for(
        lambda: (s := world.scenario("render_state", render["render"]))["state"] == "done" and s, seconds=90
    )
    assert state and state["attempts"] == 2 and not state["is_failed"]


def test_a_task_running_longer_than_the_limit_on_a_live_worker_is_not_queued_again(processes):
    """The worker holds the task's lock while it runs it: neither ``recover_tasks`` (the timer) nor
    another worker starting with the same id queues it again, however long it runs."""
    world = processes
    release = world.folder / "release"
    queued = world.scenario("nap", release)
    world.worker("worker-1", TASK_STALE_SECONDS="2")
    running = wait_for(lambda: world.scenario("task_state", queued["task"])["status"] == "RUNNING", seconds=60)
    assert running, world.workers[0].log_path.read_text()
    time.sleep(3)  # running for longer than TASK_STALE_SECONDS now

    out = world.manage("recover_tasks", TASK_STALE_SECONDS="2")
    assert out.startswith("0 task(s) queued again; 0 given up on"), out
    second = world.worker("worker-1", TASK_STALE_SECONDS="2")  # it recovers its id's tasks as it starts
    assert wait_for(lambda: "Starting worker" in second.log_path.read_text(), seconds=60), second.log_path.read_text()
    state = world.scenario("task_state", queued["task"])
    assert (state["status"], state["attempts"]) == ("RUNNING", 1), "still the first worker's, once"

    release.write_text("")
    state = wait_for(
        lambda: (s := world.scenario("task_state", queued["task"]))["status"] == "SUCCESSFUL" and s, seconds=60
    )
    assert state and state["attempts"] == 1 and state["return_value"] is True, "run once, by its live worker"


def test_a_render_whose_worker_keeps_dying_ends_failed_with_the_reason(processes):
    world = processes
    render = world.scenario("render")
    marker = world.folder / "rendering"
    for _ in range(2):  # TASK_ATTEMPTS=2: it is tried twice, and the worker dies each time
        kill_when(marker, world.worker("worker-1", SLOW_RENDER_MARKER=str(marker), TASK_ATTEMPTS="2"))
    world.worker("worker-1", TASK_ATTEMPTS="2")
    state = wait_for(
        lambda: (s := world.scenario("render_state", render["render"]))["state"] == "failed" and s, seconds=60
    )
    assert state, world.scenario("render_state", render["render"])
    assert state["task_status"] == "FAILED"
    assert state["is_failed"] and not state["is_pending"]
    assert state["message"] == "The task worker stopped 2 times while it was being made."


def test_a_retried_invitation_sends_one_e_mail(processes):
    world = processes
    queued = world.scenario("invitation")
    marker = world.folder / "finished"
    kill_when(marker, world.worker("worker-1", HANG_BEFORE_COMPLETE_MARKER=str(marker)))
    assert len(world.mails()) == 1, "the invitation went before the worker was killed"
    assert world.scenario("task_state", queued["task"])["status"] == "RUNNING", "but it was never recorded as sent"

    world.worker("worker-1")
    state = wait_for(
        lambda: (s := world.scenario("task_state", queued["task"]))["status"] == "SUCCESSFUL" and s, seconds=60
    )
    assert state and state["attempts"] == 2, "it ran again"
    assert len(world.mails()) == 1, "and sent nothing the first run had sent"
    assert world.mails()[0].startswith("Subject: Your agency is invited to take part in ")


def test_the_worker_outlives_a_database_restart(processes):
    world = processes
    worker = world.worker("worker-1")
    first = world.scenario("ping", 1)
    assert wait_for(lambda: world.scenario("task_state", first["task"])["status"] == "SUCCESSFUL", seconds=60)

    world.cluster.stop()
    time.sleep(3)  # the worker looks for work five times a second meanwhile, and finds no database
    world.cluster.start()
    second = world.scenario("ping", 2)
    queued_at = time.monotonic()
    ran = wait_for(lambda: world.scenario("task_state", second["task"])["status"] == "SUCCESSFUL", seconds=30)
    assert ran, worker.log_path.read_text()
    assert time.monotonic() - queued_at < 30
    assert worker.poll() is None, "the same worker, never restarted"
    assert "Lost the database (OperationalError): connecting again" in worker.log_path.read_text()


def test_db_worker_alone_exits_when_the_database_restarts(processes):
    """Why ``run_worker`` exists: django-tasks-db's own worker dies (and so the test above can fail)."""
    world = processes
    worker = world.worker("worker-1", command="db_worker")
    first = world.scenario("ping", 1)
    assert wait_for(lambda: world.scenario("task_state", first["task"])["status"] == "SUCCESSFUL", seconds=60)
    world.cluster.stop()
    try:
        assert wait_for(lambda: worker.poll() is not None, seconds=15), "db_worker kept running"
        assert worker.returncode != 0
    finally:
        world.cluster.start()
