"""The round invitation: when a round opens, each taking-part agency's leads get its cases (as
Case N), what is due and when. A builder only: ``audits.rounds.tasks`` sends it."""

import logging
from collections import defaultdict

from audits.mail import case_label, lead_addresses, send
from audits.models import AuditRound, CaseAgency

logger = logging.getLogger(__name__)


def send_round_invitations(round_id: int) -> int:
    """Invite each agency taking part to the round that has just opened: its leads get the
    agency's cases (as Case N), what is due and when."""
    audit_round = AuditRound.objects.get(pk=round_id)
    links = CaseAgency.objects.filter(case__round=audit_round).select_related("case", "agency").order_by("case__number")
    cases_by_agency = defaultdict(list)
    agencies = {}
    for link in links:
        cases_by_agency[link.agency_id].append(case_label(link.case, audit_round))
        agencies[link.agency_id] = link.agency
    addresses = lead_addresses(agencies)
    sent = 0
    for agency_id, agency in sorted(agencies.items(), key=lambda pair: pair[1].name):
        sent += send(
            template="round_invitation",
            subject=f"Your agency is invited to take part in {audit_round.title}",
            to=addresses.get(agency_id, []),
            context={"round": audit_round, "agency": agency, "cases": cases_by_agency[agency_id]},
        )
    logger.info("Sent %d round invitations", sent)
    return sent
