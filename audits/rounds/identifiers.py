"""The one place restricted identifiers are read, written or destroyed.

Views and services never query ``RestrictedIdentifiers`` directly. Keeping every access here is
what keeps the rules in one place:

- only coordinators (``view_restricted_identifiers``) read or write them; the staff of an agency
  taking part in a case read its child's name, date of birth and their own agency's record
  number, while the round's agency work is live (``can_see_child_details``);
- every view and every change is recorded in the access log, naming the round and case number,
  never the identifiers themselves;
- they are encrypted at rest (the model's fields, ``lib.crypto``), so they are compared in
  Python, never in SQL;
- once a round's identifiers are destroyed under retention, none can be added back.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.access_log import services as access_log
from agencies.models import Agency
from agencies.permissions import can_publish_briefings
from audits.models import AuditRound, Case, CaseDraw, RestrictedIdentifiers
from audits.rounds.permissions import can_see_child_details, require_identifier_access, require_round_management
from audits.rounds.selectors import draw_candidates
from lib import crypto
from lib.models import locked

PURGED_MESSAGE = (
    "This round's restricted identifiers were destroyed under the retention policy: they cannot be added again."
)


def _what(case: Case) -> str:
    return f"Identifiers of round {case.round_id} case {case.number}"


def identifiers_for_user(*, user, case: Case, origin: str | None = None) -> RestrictedIdentifiers:
    """Return the case's identifiers (empty if none were recorded), for a person to see.
    Coordinators only; recorded in the access log as a view (``origin``: the client's address)."""
    require_identifier_access(user)
    access_log.record(access_log.Kind.IDENTIFIERS_VIEWED, origin=origin, user=user, what=_what(case))
    try:
        return RestrictedIdentifiers.objects.get(case=case)
    except RestrictedIdentifiers.DoesNotExist:
        return RestrictedIdentifiers(case=case)


@transaction.atomic
def identifiers_save(
    *,
    actor,
    case: Case,
    child_name: str,
    date_of_birth,
    record_numbers: str,
    candidate_reference: str | None = None,
    origin: str | None = None,
) -> RestrictedIdentifiers:
    """Create or replace a case's identifiers. Coordinators only; recorded in the access log.
    Refused once the round's identifiers have been destroyed under retention."""
    require_identifier_access(actor)
    audit_round = AuditRound.objects.select_for_update().get(pk=case.round_id)
    if audit_round.identifiers_purged_at is not None:
        raise ValidationError(PURGED_MESSAGE)
    identifiers, _ = RestrictedIdentifiers.objects.select_for_update().get_or_create(case=case)
    identifiers.child_name = child_name
    identifiers.date_of_birth = date_of_birth
    identifiers.record_numbers = record_numbers
    if candidate_reference is not None:
        identifiers.candidate_reference = candidate_reference
    identifiers.updated_by = actor
    identifiers.full_clean()
    identifiers.save()
    access_log.record(access_log.Kind.IDENTIFIERS_CHANGED, origin=origin, user=actor, what=_what(case))
    return identifiers


@dataclass(frozen=True)
class ChildDetails:
    """What an agency's staff see of a case's child: never the other agencies' numbers."""

    child_name: str
    date_of_birth: datetime.date | None
    record_number: str  # their own agency's, "" when none is recorded for it


# Between a label and its number: spaces, and the punctuation people type there.
_SEPARATORS = " \t:#=-\u2013\u2014"
# Between one agency's part and the next: anything people type to list them.
_PARTS = re.compile(r"[;,/|\n\r]+")
# A record number is one token; anything more in a part may be another agency's: not shown.
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
UNCLEAR_NUMBER = "Not clear in the case record: ask the audit coordinator"


def record_number_for(record_numbers: str, short_name: str, labels=()) -> str:
    """The record number(s) of one agency in the free text of ``record_numbers`` ("CSC 123456;
    Police 987"): the parts whose label is ``short_name`` (any case), without the label; "" when
    none. A part belongs to the longest of ``labels`` (every agency's short name) it starts with,
    so "Police" does not take "Police Scotland 55". Fails closed: when what follows the label is
    not one plain token ("123 Police 987"), nothing of it is shown, only UNCLEAR_NUMBER."""
    wanted = short_name.strip().lower()
    known = sorted({wanted, *(label.strip().lower() for label in labels)} - {""}, key=len, reverse=True)
    found = []
    for part in _PARTS.split(record_numbers or ""):
        part = part.strip()
        label = next((label for label in known if _labelled(part, label)), None)
        if label == wanted:
            number = part[len(label) :].strip(_SEPARATORS)
            if number and not _NUMBER.match(number):
                return UNCLEAR_NUMBER
            if number:
                found.append(number)
    return "; ".join(found)


def _labelled(part: str, label: str) -> bool:
    """The part starts with the label as a whole word (followed by a separator, or nothing)."""
    if not part.lower().startswith(label):
        return False
    rest = part[len(label) :]
    return not rest or rest[0] in _SEPARATORS


def child_details_for_user(*, user, case: Case, origin: str | None = None) -> ChildDetails:
    """The child's name, date of birth and the user's own agency's record number, for the staff
    of an agency taking part in the case while the round's agency work is live
    (``can_see_child_details``). Recorded in the access log as a view, naming the round and case."""
    if not can_see_child_details(user, case):
        raise PermissionDenied
    access_log.record(access_log.Kind.IDENTIFIERS_VIEWED, origin=origin, user=user, what=_what(case))
    identifiers = RestrictedIdentifiers.objects.filter(case=case).first() or RestrictedIdentifiers(case=case)
    labels = Agency.objects.values_list("short_name", flat=True)
    return ChildDetails(
        child_name=identifiers.child_name,
        date_of_birth=identifiers.date_of_birth,
        record_number=record_number_for(identifiers.record_numbers, user.agency.short_name, labels),
    )


AGENCY_DETAILS_NOT_LIVE = (
    "Agencies cannot see this round's children's details now (the round is not open for returns or at the "
    "meeting, or their access has already ended), so there is nothing to end."
)


@transaction.atomic
def agency_details_end(*, actor, audit_round: AuditRound, origin: str | None = None) -> AuditRound:
    """End, for the whole round, the agencies' access to its children's details before the
    meeting's record is complete. Coordinators only; recorded in the round's history and the
    access log. Refused unless that access is live."""
    require_round_management(actor)
    audit_round = locked(audit_round)
    if not audit_round.agency_details_live:
        raise ValidationError(AGENCY_DETAILS_NOT_LIVE)
    audit_round.agency_details_ended_at = timezone.now()
    audit_round.save_by(actor, update_fields=["agency_details_ended_at"])
    access_log.record(
        access_log.Kind.IDENTIFIERS_CHANGED,
        origin=origin,
        user=actor,
        what=f"Agencies' access to the identifiers of round {audit_round.pk} ended",
    )
    return audit_round


def identifiers_for_cases(*, user, cases) -> list[RestrictedIdentifiers]:
    """The recorded identifiers of several cases (those with none are left out), for the briefing
    publication guard only: it compares them with the briefing's text and never shows them (so
    this is not recorded as a view). Whoever may send, approve or publish a briefing runs the
    guard: coordinators and board approvers."""
    if not can_publish_briefings(user):
        raise PermissionDenied
    return list(RestrictedIdentifiers.objects.filter(case__in=cases).select_related("case"))


def candidates_for_user(*, user, draw: CaseDraw, origin: str | None = None) -> list:
    """The candidates a draw selected, read from its (encrypted) candidate list, for a
    coordinator to check. Recorded in the access log as a view; empty once the list is destroyed."""
    require_identifier_access(user)
    if not draw.stored_file:
        return []
    access_log.record(
        access_log.Kind.IDENTIFIERS_VIEWED,
        origin=origin,
        user=user,
        what=f"Candidate list of round {draw.round_id} draw {draw.pk}",
    )
    return draw_candidates(draw)


def identifiers_destroy_for_round(audit_round: AuditRound) -> int:
    """Delete the identifiers of every case of a round (retention; the caller holds the round's
    lock, runs in a transaction and records the purge). Returns how many records went."""
    deleted, _ = RestrictedIdentifiers.objects.filter(case__round=audit_round).delete()
    return deleted


IDENTIFIER_FIELDS = ["child_name", "date_of_birth", "record_numbers", "candidate_reference"]


def rotate_identifiers() -> tuple[int, int]:
    """Re-encrypt every identifier record, and every draw's candidate references, with the first
    key (key rotation; the caller runs in a transaction). Rows already under the first key are
    left alone, so running it again changes nothing. Returns (records, draws) re-encrypted."""
    records = crypto.stale_pks(RestrictedIdentifiers, IDENTIFIER_FIELDS)
    for record in RestrictedIdentifiers.objects.select_for_update().filter(pk__in=records):
        # Reading decrypts with whichever key opens it; saving encrypts with the first.
        record.save(update_fields=IDENTIFIER_FIELDS)
    draws = crypto.stale_pks(CaseDraw, ["selected_references"])
    for draw in CaseDraw.objects.select_for_update().filter(pk__in=draws):
        draw.save(update_fields=["selected_references"])
    return len(records), len(draws)
