"""Retention: RETENTION_DAYS_AFTER_CLOSE days after a round closes, the children's restricted
identifiers and the candidate lists are destroyed.

What goes: each case's ``RestrictedIdentifiers`` row, every candidate-list file of the round's
draws (the draw keeps its seed, strata, count and the file's SHA-256; its stored file name and
its list of candidate references are cleared). What stays: the anonymised record (cases and
their summaries, audit tools, chronologies, the meeting, actions, learning and briefings).

Each round is done in its own transaction, recorded in the access log (counts only) and marked
with ``identifiers_purged_at``; its files are deleted only once that transaction commits.
Running again finds nothing to do: rounds already purged are skipped."""

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.access_log import services as access_log
from audits.models import AuditRound
from audits.rounds.identifiers import identifiers_destroy_for_round
from lib.models import save_history_by
from lib.storage import private_storage


@dataclass(frozen=True)
class Purge:
    round_id: int
    identifier_records: int
    candidate_lists: int

    def __str__(self):
        return (
            f"Round {self.round_id}: {self.identifier_records} identifier record"
            f"{'' if self.identifier_records == 1 else 's'} and {self.candidate_lists} candidate "
            f"list{'' if self.candidate_lists == 1 else 's'} destroyed"
        )


def rounds_due(now: datetime.datetime | None = None):
    """Closed rounds past their retention period whose identifiers are still kept."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RETENTION_DAYS_AFTER_CLOSE)
    return AuditRound.objects.filter(
        status=AuditRound.Status.CLOSED,
        closed_at__isnull=False,
        closed_at__lte=cutoff,
        identifiers_purged_at__isnull=True,
    ).order_by("closed_at", "pk")


@transaction.atomic
def purge_round(audit_round_id: int, *, now: datetime.datetime) -> Purge | None:
    """Destroy one round's identifiers and candidate lists, if it is (still) due."""
    audit_round = rounds_due(now).select_for_update().filter(pk=audit_round_id).first()
    if audit_round is None:  # purged meanwhile, or no longer due
        return None
    records = identifiers_destroy_for_round(audit_round)
    files = []
    for draw in audit_round.draws.select_for_update():
        if draw.stored_file:
            files.append(draw.stored_file)
        draw.stored_file = ""
        draw.selected_references = []
        draw.save(update_fields=["stored_file", "selected_references", "updated_at"])
    for name in files:
        transaction.on_commit(partial(private_storage.delete, name))
    audit_round.identifiers_purged_at = now
    save_history_by(audit_round, None)  # the retention job, not a person
    audit_round.save(update_fields=["identifiers_purged_at", "updated_at"])
    purge = Purge(audit_round.pk, records, len(files))
    access_log.record(access_log.Kind.RETENTION_PURGE, what=str(purge))
    return purge


def apply_retention(now: datetime.datetime | None = None) -> list[Purge]:
    """Purge every round past retention; returns what was done, one entry per round."""
    now = now or timezone.now()
    purges = []
    for pk in list(rounds_due(now).values_list("pk", flat=True)):
        purge = purge_round(pk, now=now)
        if purge is not None:
            purges.append(purge)
    return purges
