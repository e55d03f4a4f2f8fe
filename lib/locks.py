"""One run at a time across machines: a PostgreSQL advisory lock around a job.

``with only_one("send_reminders") as mine:`` holds a session-level advisory lock named by a hash of
the job's name, taken with ``pg_try_advisory_lock`` so that it never waits: ``mine`` is True for
the run that got it and False for one started while another holds it (on this machine or any
other using the same database), which should then do nothing. The lock is released when the
block ends, or by PostgreSQL if the process dies. On SQLite (one machine, the demo) there is
nobody else to exclude: ``mine`` is always True.

``holding(name)`` takes the same kind of lock on a connection of its own, for as long as a block
runs however long it takes (a task worker holds one while it runs a task, as a sign of life):
Django never closes that connection (``close_old_connections`` and CONN_MAX_AGE close only the
connections in ``django.db.connections``), whatever the block does with the default one.
``is_held(name)`` says whether any session holds it now."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections


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


@contextmanager
def holding(name: str) -> Iterator[bool]:
    """Hold ``name``'s lock while the block runs, on a connection opened for it (and closed after):
    ``mine`` is False when another session holds it. PostgreSQL releases it if the process dies
    (the connection drops with it). On SQLite nothing is held and ``mine`` is True."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    own = connections.create_connection(DEFAULT_DB_ALIAS)  # not registered: only this code closes it
    mine = False
    try:
        with own.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            mine = cursor.fetchone()[0]
        yield mine
    finally:
        # A connection already lost has released its lock with its session.
        if mine:
            # Released now: a closed session's locks go only once its server process has ended.
            with suppress(DatabaseError), own.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        with suppress(DatabaseError):
            own.close()


def is_held(name: str) -> bool:
    """Whether another session (another process's, or this one's ``holding``) holds ``name``'s
    lock: taken at once on the default connection and released if it was free (a session's own
    lock would count as free). Always False on SQLite."""
    if connection.vendor != "postgresql":
        return False
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    return not free
