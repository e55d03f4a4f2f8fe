"""The task ``make cluster-check`` queues 50 of: each run appends the worker's process id to a
file named after its number, so a number run twice (or never) shows in the files."""

import os
import time
from pathlib import Path

from django.tasks import task


@task
def record_run(number: int, folder: str) -> None:
    time.sleep(0.02)  # long enough for the two workers to interleave
    with open(Path(folder) / f"run-{number:03}", "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()}\n")
