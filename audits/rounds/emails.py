"""The round invitation: when a round opens, each taking-part agency's leads get its cases (as
Case N), what is due and when. A builder only: ``audits.rounds.tasks`` sends it."""

import logging

from audits.mail import case_label, send
from audits.models import AuditRound
from audits.rounds.selectors import round_invitations

logger = logging.getLogger(__name__)


def send_round_invitations(round_id: int) -> list[dict]:
    """Invite each agency taking part to the round that has just opened: its active leads get
    the agency's cases (as Case N), what is due and when. Returns each agency's outcome, by name:
    ``{"agency": name, "sent": how many messages, "reason": why none}`` (an agency with no active
    lead gets none, and says so)."""
    audit_round = AuditRound.objects.get(pk=round_id)
    outcomes = []
    for invitation in round_invitations(audit_round):
        sent = 0
        if invitation.sent:
            sent = send(
                template="round_invitation",
                subject=f"Your agency is invited to take part in {audit_round.title}",
                to=[lead.email for lead in invitation.leads],
                context={
                    "round": audit_round,
                    "agency": invitation.agency,
                    "cases": [case_label(case, audit_round) for case in invitation.cases],
                },
            )
        outcomes.append({"agency": invitation.agency.name, "sent": sent, "reason": invitation.reason})
    logger.info(
        "Sent %d round invitations; %d agencies had no active lead",
        sum(outcome["sent"] for outcome in outcomes),
        sum(1 for outcome in outcomes if not outcome["sent"]),
    )
    return outcomes
