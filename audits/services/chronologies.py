"""Chronology entries: added, changed and removed only while the chronology is a draft."""

from django.db import transaction

from audits.models import Chronology, ChronologyEntry
from audits.services import returns

ENTRY_FIELDS = [
    "date",
    "time",
    "date_is_approximate",
    "event_type",
    "what_happened",
    "action_outcome",
    "practitioner_role",
    "key_event",
]


def _locked(chronology: Chronology) -> Chronology:
    return Chronology.objects.select_for_update().get(pk=chronology.pk)


@transaction.atomic
def entry_save(*, actor, chronology: Chronology, entry: ChronologyEntry | None = None, **fields) -> ChronologyEntry:
    """Add an entry, or change ``entry``, in a chronology the actor's agency owns."""
    chronology = _locked(chronology)
    returns._require_member(actor, chronology, lead=False)
    returns.mark_draft(actor=actor, item=chronology)
    if entry is None:
        entry = ChronologyEntry(chronology=chronology, created_by=actor)
    elif entry.chronology_id != chronology.pk:
        raise ValueError("entry belongs to another chronology")
    for name in ENTRY_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    entry.updated_by = actor
    entry.full_clean()
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, actor, entry: ChronologyEntry) -> None:
    chronology = _locked(entry.chronology)
    returns._require_member(actor, chronology, lead=False)
    returns.mark_draft(actor=actor, item=chronology)
    entry._history_user = actor
    entry.delete()


@transaction.atomic
def entries_import(*, actor, chronology: Chronology, entries: list[dict]) -> list[ChronologyEntry]:
    """Add already-validated entries (from a spreadsheet) all together, or none."""
    chronology = _locked(chronology)
    returns._require_member(actor, chronology, lead=False)
    returns.mark_draft(actor=actor, item=chronology)
    created = []
    for fields in entries:
        entry = ChronologyEntry(chronology=chronology, created_by=actor, updated_by=actor)
        for name in ENTRY_FIELDS:
            if name in fields:
                setattr(entry, name, fields[name])
        entry.full_clean()
        entry._history_user = actor
        entry.save()
        created.append(entry)
    return created


def chronology_submit(*, actor, chronology: Chronology) -> Chronology:
    """Submit a chronology with at least one entry (checked under the row lock)."""

    def problems(locked):
        return [] if locked.entries.exists() else ["Add at least one entry before submitting the chronology."]

    return returns.return_submit(actor=actor, item=chronology, problems=problems)
