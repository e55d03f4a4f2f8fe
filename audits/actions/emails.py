"""E-mails about actions: reminders to the owning agency's leads and the owner, and the notice to
coordinators that an agency says an action is complete. Builders only: ``audits.actions.tasks``
sends them."""

from django.utils.dateformat import format as date_format

from audits.mail import absolute_url, coordinator_addresses, lead_addresses, send
from audits.models import Action, ReminderSent


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


def send_action_completion_proposed(action_id: int) -> int:
    """Tell the coordinators that an agency says an action is complete, so they can confirm it."""
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
