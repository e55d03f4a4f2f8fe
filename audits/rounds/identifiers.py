"""The one place restricted identifiers are read, written or destroyed.

Views and services never query ``RestrictedIdentifiers`` directly. Keeping every access here is
what keeps the rules in one place:

- only coordinators (``view_restricted_identifiers``) read or write them;
- every view and every change is recorded in the access log, naming the round and case number,
  never the identifiers themselves;
- they are encrypted at rest (the model's fields, ``lib.crypto``), so they are compared in
  Python, never in SQL;
- once a round's identifiers are destroyed under retention, none can be added back.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.access_log import services as access_log
from audits.models import AuditRound, Case, CaseDraw, RestrictedIdentifiers
from audits.rounds.permissions import require_identifier_access
from audits.rounds.selectors import draw_candidates
from lib import crypto

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


def identifiers_for_cases(*, user, cases) -> list[RestrictedIdentifiers]:
    """The recorded identifiers of several cases (those with none are left out). Coordinators only;
    used by the briefing publication guard, which compares them with the briefing's text and
    never shows them (so this is not recorded as a view)."""
    require_identifier_access(user)
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
