"""What every e-mail of the service shares: one message per recipient, the partnership's frame,
absolute links, and who the leads and coordinators are.

E-mails name a case only as "Case N of <round title>" and never carry identifiers, summaries or
answers: mail passes through systems the partnership does not control. Each feature's
``emails.py`` builds its messages with ``send``; its ``tasks.py`` sends them, queued by services
once their transaction commits. Nothing here imports a task.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import User
from agencies.selectors import active_leads
from audits.sent_mail import message_digest, send_once
from lib.running_task import current_task_id


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def case_label(case, audit_round) -> str:
    """The only way e-mails refer to a case."""
    return f"{case} of {audit_round.title}"


def send(*, template: str, subject: str, to: list[str], context: dict, attachments=()) -> int:
    """Send one message per recipient (so no one sees the others' addresses), in plain text
    with an HTML alternative, from emails/<template>.txt and .html, with any attachments
    (MIME parts). Inside a task, a message the same task sent before (it is being run again
    after its worker stopped), or that another run of it is sending now, is not sent again
    (``audits.sent_mail.send_once``). Returns the number sent, by this run or that other one."""
    context = {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "service_name": settings.SERVICE_NAME,
        "support_email": settings.SUPPORT_EMAIL,
        "brand_colour": settings.PARTNERSHIP_BRAND_COLOUR,
        "home_url": absolute_url(reverse("home")),
        **context,
    }
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    subject = " ".join(subject.split())  # a header never spans lines
    task_id = current_task_id()
    sent = 0
    for address in sorted(set(to)):
        message = EmailMultiAlternatives(subject, text, None, [address])
        message.attach_alternative(html, "text/html")
        for part in attachments:
            message.attach(part)
        if task_id:
            digest = message_digest(template=template, address=address, subject=subject, text=text)
            sent += send_once(task_id, digest, message.send)
        else:
            sent += message.send()
    return sent


def lead_addresses(agency_ids) -> dict[int, list[str]]:
    """The active agency leads' e-mail addresses, per agency (one query; ``active_leads``)."""
    return defaultdict(
        list, {agency_id: [lead.email for lead in leads] for agency_id, leads in active_leads(agency_ids).items()}
    )


def coordinator_addresses() -> list[str]:
    """Active users who may manage rounds through their role or directly. Superusers are left
    out on purpose: they are the technical administrators, not the audit team."""
    permission = Permission.objects.get(content_type__app_label="audits", codename="manage_rounds")
    users = User.objects.filter(is_active=True).filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission)
    )
    return sorted(set(users.values_list("email", flat=True)))


# The action plan ------------------------------------------------------------------------------
