"""E-mailing the meeting invitation: one message per participating agency's lead, with the
.ics attached. Queued by ``audits.services.meetings`` once its transaction commits."""

import logging
from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from audits import ics
from audits.models import Meeting
from audits.notifications import absolute_url, lead_addresses

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
    from audits.selectors_meetings import participating_agencies

    meeting = Meeting.objects.select_related("round").get(pk=meeting_id)
    audit_round = meeting.round
    numbers = list(audit_round.cases.order_by("number").values_list("number", flat=True))
    calendar = ics.meeting_calendar(meeting, case_numbers=numbers)
    agencies = participating_agencies(audit_round)
    addresses = lead_addresses([agency.pk for agency in agencies])
    context = {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "service_name": settings.SERVICE_NAME,
        "support_email": settings.SUPPORT_EMAIL,
        "brand_colour": settings.PARTNERSHIP_BRAND_COLOUR,
        "home_url": absolute_url(reverse("home")),
        "round": audit_round,
        "meeting": meeting,
        "cases": [f"Case {number} of {audit_round.title}" for number in numbers],
        "invitation_url": absolute_url(reverse("audits:meeting-invitation", args=[meeting.pk])),
    }
    subject = " ".join(ics.meeting_summary(meeting).split())
    sent = 0
    for agency in agencies:
        text = render_to_string("emails/meeting_invitation.txt", {**context, "agency": agency})
        html = render_to_string("emails/meeting_invitation.html", {**context, "agency": agency})
        for address in sorted(set(addresses.get(agency.pk, []))):
            message = EmailMultiAlternatives(subject, text, None, [address])
            message.attach_alternative(html, "text/html")
            message.attach(_calendar_part(calendar))
            sent += message.send()
    logger.info("Sent %d meeting invitations", sent)
    return sent


@task
def send_meeting_invitations(meeting_id: int) -> int:
    return send_invitations(meeting_id)
