"""Reads for the integrated multi-agency chronology of a case."""

import itertools

from django.db.models import F

from audits.models import Case, Chronology, ChronologyEntry, WorkStatus

# Only work an agency has handed in: drafts change, and are not yet the agency's account.
INCLUDED_STATUSES = [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED]
MARKER_COUNT = 8


def case_chronologies(case: Case) -> list[Chronology]:
    """Every agency's chronology of the case, by agency name, each with ``marker`` (1..8), the
    colour its entries carry on the timeline, and ``included`` (submitted or accepted)."""
    chronologies = list(case.chronologies.select_related("agency").order_by("agency__name"))
    for position, chronology in enumerate(chronologies):
        chronology.marker = position % MARKER_COUNT + 1
        chronology.included = chronology.status in INCLUDED_STATUSES
    return chronologies


def integrated_entries(case: Case, *, agency_ids=(), event_types=(), key_only=False) -> list[ChronologyEntry]:
    """The entries of the case's submitted and accepted chronologies, merged in date order
    (then time, entries without a time first, then agency name), filtered as asked."""
    entries = ChronologyEntry.objects.filter(chronology__case=case, chronology__status__in=INCLUDED_STATUSES)
    if agency_ids:
        entries = entries.filter(chronology__agency_id__in=agency_ids)
    if event_types:
        entries = entries.filter(event_type__in=event_types)
    if key_only:
        entries = entries.filter(key_event=True)
    return list(
        entries.select_related("chronology__agency").order_by(
            "date", F("time").asc(nulls_first=True), "chronology__agency__name", "pk"
        )
    )


def by_month(entries: list[ChronologyEntry]) -> list[dict]:
    """Entries (already in date order) grouped by calendar month, for the timeline."""
    return [
        {"month": month, "entries": list(group)}
        for month, group in itertools.groupby(entries, key=lambda entry: entry.date.replace(day=1))
    ]
