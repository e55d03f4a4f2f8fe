"""A chronology import inserts its rows in bulk (issue 14): one history row per entry naming who
imported, every field validated, all or nothing, and as many queries for 500 rows as for 50."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import post_delete, pre_delete
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from audits.models import ChronologyEntry
from audits.returns import services
from tests import factories


def _rows(count, start=datetime.date(2025, 1, 1)):
    return [
        {
            "date": start + datetime.timedelta(days=number),
            "event_type": "home_visit",
            "what_happened": f"Visit number {number}: the family were seen at home.",
            "practitioner_role": "Family support worker",
            "key_event": number % 7 == 0,
        }
        for number in range(count)
    ]


def test_each_imported_entry_has_one_history_row_naming_who_imported(chronology_a, auditor_a):
    result = services.entries_import(actor=auditor_a, chronology=chronology_a, entries=_rows(30))
    assert result.added == 30
    entries = list(chronology_a.entries.all())
    assert {entry.created_by_id for entry in entries} == {auditor_a.pk}
    assert {entry.updated_by_id for entry in entries} == {auditor_a.pk}
    history = ChronologyEntry.history.filter(chronology=chronology_a)
    assert history.count() == 30
    assert set(history.values_list("history_type", flat=True)) == {"+"}
    assert set(history.values_list("history_user", flat=True)) == {auditor_a.pk}
    assert sorted(history.values_list("id", flat=True)) == sorted(entry.pk for entry in entries)


def test_a_replace_records_each_removal_in_history(chronology_a, auditor_a):
    services.entries_import(actor=auditor_a, chronology=chronology_a, entries=_rows(5))
    services.entries_import(
        actor=auditor_a, chronology=chronology_a, entries=_rows(2, start=datetime.date(2024, 1, 1)), replace=True
    )
    removed = ChronologyEntry.history.filter(chronology=chronology_a, history_type="-")
    assert removed.count() == 5
    assert set(removed.values_list("history_user", flat=True)) == {auditor_a.pk}
    assert chronology_a.entries.count() == 2


def test_every_field_is_still_checked_and_a_bad_row_saves_nothing(chronology_a, auditor_a):
    rows = _rows(40)
    rows[33]["practitioner_role"] = "x" * 151
    with pytest.raises(ValidationError):
        services.entries_import(actor=auditor_a, chronology=chronology_a, entries=rows)
    assert not chronology_a.entries.exists()
    assert not ChronologyEntry.history.filter(chronology=chronology_a).exists()


def _import_queries(chronology, actor, count):
    with CaptureQueriesContext(connection) as queries:
        services.entries_import(actor=actor, chronology=chronology, entries=_rows(count))
    return len([query for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]])


def test_the_queries_of_an_import_do_not_grow_with_its_rows(chronology_a, chronology_b, auditor_a, settings):
    auditor_b = factories.UserFactory(agency=chronology_b.agency)
    small = _import_queries(chronology_a, auditor_a, 50)
    large = _import_queries(chronology_b, auditor_b, 500)
    assert small == large, (small, large)


HISTORY_FIELDS_COMPARED = ["history_type", "history_user_id", "history_change_reason", "created_by_id", "updated_by_id"]


def _history_fields(record):
    return {name: getattr(record, name) for name in HISTORY_FIELDS_COMPARED}


def test_bulk_history_rows_are_the_ones_a_save_and_a_delete_make_one_at_a_time(chronology_a, auditor_a):
    one = services.entry_save(actor=auditor_a, chronology=chronology_a, **_rows(1)[0])
    one_pk = one.pk
    saved = ChronologyEntry.history.get(id=one_pk, history_type="+")
    services.entry_delete(actor=auditor_a, entry=one)
    deleted = ChronologyEntry.history.get(id=one_pk, history_type="-")
    services.entries_import(actor=auditor_a, chronology=chronology_a, entries=_rows(1))
    imported = ChronologyEntry.history.filter(chronology=chronology_a, history_type="+").exclude(id=one_pk).get()
    services.entries_import(actor=auditor_a, chronology=chronology_a, entries=_rows(1), replace=True)
    removed = ChronologyEntry.history.get(id=imported.id, history_type="-")
    assert _history_fields(imported) == _history_fields(saved)
    assert _history_fields(removed) == _history_fields(deleted)
    # The removal's row keeps the entry's fields as they were, as a delete's does.
    assert (removed.what_happened, removed.date, removed.revision) == (
        imported.what_happened,
        imported.date,
        imported.revision,
    )


def _replace_queries(chronology, actor, count):
    services.entries_import(actor=actor, chronology=chronology, entries=_rows(count))
    with CaptureQueriesContext(connection) as queries:
        services.entries_import(actor=actor, chronology=chronology, entries=_rows(count), replace=True)
    return len([query for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]])


def test_the_queries_of_a_replace_do_not_grow_with_the_entries_it_removes(chronology_a, chronology_b, auditor_a):
    auditor_b = factories.UserFactory(agency=chronology_b.agency)
    assert _replace_queries(chronology_a, auditor_a, 50) == _replace_queries(chronology_b, auditor_b, 500)


def test_nothing_but_history_hears_an_entry_deleted_so_a_replace_may_delete_in_bulk():
    """``services._entries_delete_by`` deletes without signals or cascades: that is only the same as
    ``delete_by`` while nothing refers to an entry and history is the only delete receiver."""
    assert not [field for field in ChronologyEntry._meta.get_fields() if field.auto_created and field.is_relation]
    for signal in (pre_delete, post_delete):
        receivers = signal._live_receivers(ChronologyEntry)
        receivers = (
            [receiver for group in receivers for receiver in group] if isinstance(receivers, tuple) else receivers
        )
        assert {type(getattr(receiver, "__self__", receiver)) for receiver in receivers} == {HistoricalRecords}
