"""One run at a time across machines: a PostgreSQL advisory lock around a job.

``with only_one("send_reminders") as mine:`` holds a session-level advisory lock named by a hash of
the job's name, taken with ``pg_try_advisory_lock`` so that it never waits: ``mine`` is True for
the run that got it and False for one started while another holds it (on this machine or any
other using the same database), which should then do nothing. The lock is released when the
block ends, or by PostgreSQL if the process dies. On SQLite (one machine, the demo) there is
nobody else to exclude: ``mine`` is always True."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.sha256(f"mca:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def only_one(name: str) -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
