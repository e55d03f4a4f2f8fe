"""E-mails about returns: the notice to coordinators on each submission, to an agency's leads when
an auditor marks work ready for them and when the coordinator accepts or returns it, and reminders
to an agency's leads before and after the due date. They never carry answers or comments: the
links lead to them. Builders only: ``audits.returns.tasks`` sends them."""

from django.urls import reverse
from django.utils.dateformat import format as date_format

from agencies.models import Agency
from audits.mail import absolute_url, case_label, coordinator_addresses, lead_addresses, send
from audits.models import AuditRound, AuditTool, Chronology, ReminderSent

KINDS = {"tool": (AuditTool, "audit tool"), "chronology": (Chronology, "chronology")}


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


def send_ready_notice(kind: str, item_id: int) -> int:
    """Tell the agency's leads that an auditor has marked its audit tool or chronology ready for
    them to check and submit."""
    model, label = KINDS[kind]
    item = model.objects.select_related("case__round", "agency", "updated_by").get(pk=item_id)
    audit_round = item.case.round
    case = case_label(item.case, audit_round)
    return send(
        template="return_ready",
        subject=f"Ready for you to submit: the {label} for {case}",
        to=lead_addresses([item.agency_id]).get(item.agency_id, []),
        context={
            "kind": label,
            "case": case,
            "auditor": item.updated_by,
            "item_url": absolute_url(item.get_absolute_url()),
        },
    )


def send_decision_notice(kind: str, item_id: int) -> int:
    """Tell the agency's leads that the coordinator has accepted their audit tool or chronology,
    or returned it for changes."""
    model, label = KINDS[kind]
    item = model.objects.select_related("case__round", "agency").get(pk=item_id)
    audit_round = item.case.round
    case = case_label(item.case, audit_round)
    if item.is_returned:
        subject = f"Returned for changes: your {label} for {case}"
    else:
        subject = f"Accepted: your {label} for {case}"
    return send(
        template="return_decision",
        subject=subject,
        to=lead_addresses([item.agency_id]).get(item.agency_id, []),
        context={
            "kind": label,
            "case": case,
            "returned": item.is_returned,
            "item_url": absolute_url(item.get_absolute_url()),
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
