"""One run at a time across machines (lib/locks.py): the daily jobs started while another run
holds the lock (a second connection stands in for the other machine) do nothing and exit
cleanly; on SQLite they simply run."""

import contextlib
import io

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from audits.models import ReminderSent
from lib.locks import lock_key, only_one


def today():
    """The frozen clock's day (tests/conftest.py): the returns_case round's tools fall due a week later."""
    return timezone.localdate()


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")


@pytest.fixture
def other_machine(db):
    """A second connection to the same database, as a run on another machine would have."""
    other = connections.create_connection("default")
    yield other
    other.close()


def hold(other, name):
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(name)])


def release(other, name):
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key(name)])


def run(command, *args, capture=None):
    out = io.StringIO()
    with capture(execute=True) if capture else contextlib.nullcontext():
        call_command(command, *args, stdout=out)
    return out.getvalue()


def test_keys_are_stable_and_differ_by_job():
    assert lock_key("send_reminders") == lock_key("send_reminders")
    assert lock_key("send_reminders") != lock_key("apply_retention")
    assert -(2**63) <= lock_key("send_reminders") < 2**63


@pytest.mark.skipif(connection.vendor == "postgresql", reason="on SQLite")
def test_on_sqlite_every_run_goes_ahead(db):
    with only_one("send_reminders") as mine, only_one("send_reminders") as again:
        assert mine and again


@postgresql_only
def test_a_lock_held_elsewhere_is_not_taken_until_released(other_machine):
    hold(other_machine, "send_reminders")
    with only_one("send_reminders") as mine:
        assert not mine
    with only_one("apply_retention") as mine:
        assert mine  # another job's lock is another lock
    release(other_machine, "send_reminders")
    with only_one("send_reminders") as mine:
        assert mine
        with only_one("send_reminders") as nested:  # a session's advisory locks stack
            assert nested
    with other_machine.cursor() as cursor:  # released again at the end of each block
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key("send_reminders")])
        assert cursor.fetchone()[0]


@postgresql_only
def test_send_reminders_started_while_another_runs_sends_nothing(
    other_machine, returns_case, lead_a, lead_b, django_capture_on_commit_callbacks, mailoutbox
):
    hold(other_machine, "send_reminders")
    out = run("send_reminders", f"--today={today()}", capture=django_capture_on_commit_callbacks)
    assert "already running" in out
    assert not ReminderSent.objects.exists() and mailoutbox == []

    release(other_machine, "send_reminders")
    out = run("send_reminders", f"--today={today()}", capture=django_capture_on_commit_callbacks)
    assert "Sent reminders about 4 returns." in out
    assert len(mailoutbox) == 2


@postgresql_only
def test_apply_retention_started_while_another_runs_does_nothing(other_machine, db):
    hold(other_machine, "apply_retention")
    out = run("apply_retention")
    assert "already running" in out and "purged" not in out and "deleted" not in out
    release(other_machine, "apply_retention")
    assert "expired export files deleted" in run("apply_retention")


def test_send_reminders_runs_when_nobody_else_does(returns_case, lead_a, lead_b, django_capture_on_commit_callbacks):
    out = run("send_reminders", f"--today={today()}", capture=django_capture_on_commit_callbacks)
    assert "Sent reminders about 4 returns." in out
    out = run("send_reminders", f"--today={today()}", capture=django_capture_on_commit_callbacks)
    assert "Sent reminders about 0 returns." in out
    assert ReminderSent.objects.count() == 4
