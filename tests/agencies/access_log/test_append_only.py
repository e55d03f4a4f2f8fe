"""On PostgreSQL the database refuses to change or delete a line of the access log, even by raw SQL
(agencies/migrations/0005_access_log_append_only.py); deleting a person still works and keeps
their lines, with the address they had."""

import pytest
from django.db import DatabaseError, connection, transaction

from agencies.access_log.services import record
from agencies.models import AccessEvent
from tests import factories

Kind = AccessEvent.Kind

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger that keeps the access log is PostgreSQL's"
)


def raw(sql, params=()):
    # In a savepoint of its own, so that the refusal leaves the test's transaction usable.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def stored(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, user_id, user_email, what, ip_address FROM agencies_accessevent WHERE id = %s", [event.pk]
        )
        return cursor.fetchone()


def test_the_table_is_the_one_the_trigger_guards():
    assert AccessEvent._meta.db_table == "agencies_accessevent"


@POSTGRESQL_ONLY
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE agencies_accessevent SET what = 'changed' WHERE id = %s",
        "UPDATE agencies_accessevent SET kind = 'sign_out' WHERE id = %s",
        "UPDATE agencies_accessevent SET user_email = '' WHERE id = %s",
        "UPDATE agencies_accessevent SET occurred_at = occurred_at - interval '1 day' WHERE id = %s",
        "UPDATE agencies_accessevent SET user_id = NULL, what = 'changed' WHERE id = %s",
        "DELETE FROM agencies_accessevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_a_line(coordinator, sql):
    event = record(Kind.IDENTIFIERS_VIEWED, user=coordinator, what="Round 1 case 2", origin="203.0.113.7")
    before = stored(event)
    with pytest.raises(DatabaseError, match="append-only"):
        raw(sql, [event.pk])
    assert stored(event) == before


@POSTGRESQL_ONLY
def test_raw_sql_cannot_pin_a_line_on_someone_else(coordinator, lead_a):
    event = record(Kind.IDENTIFIERS_VIEWED, user=coordinator)
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE agencies_accessevent SET user_id = %s WHERE id = %s", [lead_a.pk, event.pk])
    assert stored(event)[1] == coordinator.pk


@POSTGRESQL_ONLY
def test_a_line_without_a_person_cannot_be_changed(db):
    event = record(Kind.SIGN_IN_FAILED, email="someone@example.test")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE agencies_accessevent SET user_id = NULL WHERE id = %s", [event.pk])


@POSTGRESQL_ONLY
def test_new_lines_are_still_added(coordinator):
    record(Kind.SIGN_IN, user=coordinator)
    record(Kind.SIGN_OUT, user=coordinator)
    assert AccessEvent.objects.count() == 2


def test_deleting_a_person_keeps_their_lines_with_the_address_they_had(db):
    # On every database; on PostgreSQL through the trigger's one allowed change.
    person = factories.UserFactory(email="leaving@example.test", role="Coordinator")
    event = record(Kind.IDENTIFIERS_VIEWED, user=person, what="Round 1 case 2", origin="203.0.113.7")
    kept = stored(event)
    person.delete()
    assert stored(event) == (kept[0], None, "leaving@example.test", "Round 1 case 2", kept[4])
