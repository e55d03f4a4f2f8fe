"""E-mails about returns: invitations when a round opens, reminders before and after the due
date, and a notice to coordinators on each submission.

E-mails name a case only as "Case N of <round title>" and never carry identifiers, summaries or
answers: mail passes through systems the partnership does not control. The functions here build
and send; ``audits.tasks`` runs them, queued by services once their transaction commits.
"""

import datetime
import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateformat import format as date_format

from agencies.models import Agency, Membership, User
from audits.models import AuditRound, AuditTool, CaseAgency, Chronology, ReminderSent
from audits.selectors_returns import outstanding

logger = logging.getLogger(__name__)

KINDS = {"tool": (AuditTool, "audit tool"), "chronology": (Chronology, "chronology")}


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def case_label(case, audit_round) -> str:
    """The only way e-mails refer to a case."""
    return f"{case} of {audit_round.title}"


def send(*, template: str, subject: str, to: list[str], context: dict) -> int:
    """Send one message per recipient (so no one sees the others' addresses), in plain text
    with an HTML alternative, from emails/<template>.txt and .html. Returns the number sent."""
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
    sent = 0
    for address in sorted(set(to)):
        message = EmailMultiAlternatives(subject, text, None, [address])
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent


def lead_addresses(agency_ids) -> dict[int, list[str]]:
    """The active agency leads' e-mail addresses, per agency (one query)."""
    memberships = Membership.objects.filter(
        agency_id__in=agency_ids, role=Membership.Role.LEAD, user__is_active=True
    ).select_related("user")
    addresses = defaultdict(list)
    for membership in memberships:
        addresses[membership.agency_id].append(membership.user.email)
    return addresses


def coordinator_addresses() -> list[str]:
    """Active users who may manage rounds through their role or directly. Superusers are left
    out on purpose: they are the technical administrators, not the audit team."""
    permission = Permission.objects.get(content_type__app_label="audits", codename="manage_rounds")
    users = User.objects.filter(is_active=True).filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission)
    )
    return sorted(set(users.values_list("email", flat=True)))


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


def send_submission_notice(kind: str, item_id: int) -> int:
    """Tell the coordinators that an agency has submitted an audit tool or a chronology."""
    model, label = KINDS[kind]
    item = model.objects.select_related("case__round", "agency").get(pk=item_id)
    audit_round = item.case.round
    return send(
        template="submission_notice",
        subject=f"{item.agency.short_name} has submitted its {label} for {case_label(item.case, audit_round)}",
        to=coordinator_addresses(),
        context={
            "round": audit_round,
            "agency": item.agency,
            "kind": label,
            "case": case_label(item.case, audit_round),
            "item_url": absolute_url(item.get_absolute_url()),
            "completion_url": absolute_url(reverse("audits:round-completion", args=[audit_round.pk])),
        },
    )


def send_reminder(kind: str, agency_id: int, round_id: int, tool_ids: list[int], chronology_ids: list[int]) -> int:
    """Remind an agency's leads of the returns they still owe for a round: before the due date
    (``due_soon``) or after it (``overdue``)."""
    agency = Agency.objects.get(pk=agency_id)
    audit_round = AuditRound.objects.get(pk=round_id)
    items = [
        {
            "case": case_label(item.case, audit_round),
            "kind": label,
            "status": item.get_status_display(),
            "due": item.due_date,
        }
        for model, label, ids in ((AuditTool, "audit tool", tool_ids), (Chronology, "chronology", chronology_ids))
        for item in model.objects.filter(pk__in=ids).select_related("case")
    ]
    items.sort(key=lambda entry: (entry["due"], entry["case"], entry["kind"]))
    overdue = kind == ReminderSent.Kind.OVERDUE
    due = min(entry["due"] for entry in items)
    if overdue:
        subject = f"Overdue: your agency's returns for {audit_round.title}"
    else:
        subject = f"Reminder: your agency's returns for {audit_round.title} are due by {date_format(due, 'j F Y')}"
    return send(
        template="reminder_overdue" if overdue else "reminder_due_soon",
        subject=subject,
        to=lead_addresses([agency_id]).get(agency_id, []),
        context={"round": audit_round, "agency": agency, "items": items, "due": due},
    )


@transaction.atomic
def send_due_reminders(*, today: datetime.date) -> int:
    """Queue reminders for returns still owed in rounds in progress: one ``due_soon`` when the
    due date is within REMINDER_DAYS_BEFORE days, one ``overdue`` once it has passed. Each is
    recorded (ReminderSent, unique per kind and return), so none goes out twice however often
    this runs; returns whose agency has no lead are left for a later run. Returns how many
    returns were reminded about; the e-mails (one per agency, round and kind) go on commit."""
    from audits import tasks  # tasks import this module

    soon = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    groups = defaultdict(lambda: {"tool": [], "chronology": []})
    records = []
    candidates = []
    for kind in ("tool", "chronology"):
        model, _ = KINDS[kind]
        owed = list(outstanding(model.objects.filter(due_date__lte=soon)).select_related("case").order_by("pk"))
        already = set(
            ReminderSent.objects.filter(**{f"{kind}__in": [item.pk for item in owed]}).values_list("kind", f"{kind}_id")
        )
        for item in owed:
            reminder = ReminderSent.Kind.OVERDUE if item.due_date < today else ReminderSent.Kind.DUE_SOON
            if (reminder, item.pk) not in already:
                candidates.append((kind, reminder, item))
    leads = lead_addresses({item.agency_id for _, _, item in candidates})
    for kind, reminder, item in candidates:
        if not leads.get(item.agency_id):
            continue
        groups[(reminder, item.agency_id, item.case.round_id)][kind].append(item.pk)
        records.append(ReminderSent(kind=reminder, due_date=item.due_date, **{kind: item}))
    ReminderSent.objects.bulk_create(records)
    for (reminder, agency_id, round_id), ids in sorted(groups.items()):
        transaction.on_commit(
            lambda args=(str(reminder), agency_id, round_id, ids["tool"], ids["chronology"]): (
                tasks.send_reminder.enqueue(*args)
            )
        )
    return len(records)


# The action plan ------------------------------------------------------------------------------


def action_label(action) -> str:
    """E-mails name an action by number and round only: its text may say more than mail should."""
    return f"Action {action.pk} of {action.round.title}"


def action_addresses(actions) -> dict[int, list[str]]:
    """Who hears about each action: its lead agency's leads and its owner, if they use the service."""
    leads = lead_addresses({action.lead_agency_id for action in actions})
    addresses = {}
    for action in actions:
        to = list(leads.get(action.lead_agency_id, []))
        if action.owner_user_id and action.owner_user.is_active:
            to.append(action.owner_user.email)
        addresses[action.pk] = sorted(set(to))
    return addresses


def send_action_reminder(kind: str, action_id: int) -> int:
    """Remind the owning agency's leads (and the owner) that an action is due soon or overdue."""
    from audits.models import Action

    action = Action.objects.select_related("round", "lead_agency", "owner_user").get(pk=action_id)
    overdue = kind == ReminderSent.Kind.OVERDUE
    label = action_label(action)
    if overdue:
        subject = f"Overdue: {label} was due on {date_format(action.due_date, 'j F Y')}"
    else:
        subject = f"Reminder: {label} is due by {date_format(action.due_date, 'j F Y')}"
    return send(
        template="action_overdue" if overdue else "action_due_soon",
        subject=subject,
        to=action_addresses([action])[action.pk],
        context={
            "action": action,
            "label": label,
            "round": action.round,
            "agency": action.lead_agency,
            "action_url": absolute_url(action.get_absolute_url()),
        },
    )


@transaction.atomic
def send_action_reminders(*, today: datetime.date) -> int:
    """Queue reminders about open actions (not awaiting confirmation of completion): one
    ``due_soon`` within REMINDER_DAYS_BEFORE days of the due date, one ``overdue`` after it.
    Each is recorded (ReminderSent, unique per kind and action) so none goes twice; actions
    nobody could be told about are left for a later run. Returns how many actions were
    reminded about; the e-mails go on commit."""
    from audits.models import Action

    soon = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    actions = list(
        Action.objects.filter(
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
            completion_proposed_at__isnull=True,
            due_date__lte=soon,
        )
        .select_related("owner_user")
        .order_by("pk")
    )
    already = set(
        ReminderSent.objects.filter(action__in=[action.pk for action in actions]).values_list("kind", "action_id")
    )
    addresses = action_addresses(actions)
    records = []
    for action in actions:
        reminder = ReminderSent.Kind.OVERDUE if action.due_date < today else ReminderSent.Kind.DUE_SOON
        if (reminder, action.pk) in already or not addresses[action.pk]:
            continue
        records.append(ReminderSent(kind=reminder, action=action, due_date=action.due_date))
    ReminderSent.objects.bulk_create(records)
    for record in records:
        transaction.on_commit(partial(send_action_reminder, str(record.kind), record.action_id))
    return len(records)


def send_action_completion_proposed(action_id: int) -> int:
    """Tell the coordinators that an agency says an action is complete, so they can confirm it."""
    from audits.models import Action

    action = Action.objects.select_related("round", "lead_agency").get(pk=action_id)
    label = action_label(action)
    return send(
        template="action_completion_proposed",
        subject=f"{action.lead_agency.short_name} says {label} is complete",
        to=coordinator_addresses(),
        context={
            "action": action,
            "label": label,
            "agency": action.lead_agency,
            "action_url": absolute_url(action.get_absolute_url()),
        },
    )
