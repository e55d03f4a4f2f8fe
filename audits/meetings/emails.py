"""The meeting invitation: one message per participating agency's lead, with the .ics attached.
A builder only: ``audits.meetings.tasks`` sends it, queued by ``audits.meetings.services`` once
its transaction commits."""

import logging
from email.message import MIMEPart

from django.urls import reverse

from audits.mail import absolute_url, lead_addresses, send
from audits.meetings import ics
from audits.meetings.selectors import participating_agencies
from audits.models import Meeting

logger = logging.getLogger(__name__)


def _calendar_part(content: bytes) -> MIMEPart:
    part = MIMEPart()
    part.set_content(
        content.decode(),
        subtype="calendar",
        params={"method": "REQUEST"},
        disposition="attachment",
        filename="invitation.ics",
    )
    return part


def send_invitations(meeting_id: int) -> int:
    """Send the invitation to the leads of every agency taking part in the round."""
    meeting = Meeting.objects.select_related("round").get(pk=meeting_id)
    audit_round = meeting.round
    numbers = list(audit_round.cases.order_by("number").values_list("number", flat=True))
    calendar = ics.meeting_calendar(meeting, case_numbers=numbers)
    agencies = participating_agencies(audit_round)
    addresses = lead_addresses([agency.pk for agency in agencies])
    context = {
        "round": audit_round,
        "meeting": meeting,
        "cases": [f"Case {number} of {audit_round.title}" for number in numbers],
        "invitation_url": absolute_url(reverse("audits:meeting-invitation", args=[meeting.pk])),
    }
    sent = 0
    for agency in agencies:
        sent += send(
            template="meeting_invitation",
            subject=ics.meeting_summary(meeting),
            to=addresses.get(agency.pk, []),
            context={**context, "agency": agency},
            attachments=[_calendar_part(calendar)],
        )
    logger.info("Sent %d meeting invitations", sent)
    return sent
