"""Tasks for the worker tests that do nothing but say they ran (imported by the worker by path):
``ping`` at once, ``nap`` once the test has written the file it waits for (for at most two minutes),
longer than the tests' short TASK_STALE_SECONDS."""

import time
from pathlib import Path

from django.tasks import task


@task
def ping(n: int) -> int:
    return n


@task
def nap(until: str) -> bool:
    deadline = time.monotonic() + 120
    while not Path(until).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return Path(until).exists()
