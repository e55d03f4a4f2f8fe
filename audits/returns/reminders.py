"""Return reminders: which returns are owed, and queueing one reminder per kind and return
(``manage.py send_reminders`` runs it daily); and the coordinator's chase ("Send a reminder now"),
at most once a day per return."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.selectors import agencies_without_lead
from audits.mail import lead_addresses
from audits.models import AuditRound, ReminderSent
from audits.returns import tasks
from audits.returns.emails import KINDS
from audits.returns.permissions import require_decide
from audits.returns.selectors import is_overdue, outstanding
from lib.models import locked


@transaction.atomic
def send_due_reminders(*, today: datetime.date) -> int:
    """Queue reminders for returns still owed in rounds in progress: one ``due_soon`` when the
    due date is within REMINDER_DAYS_BEFORE days, one ``overdue`` once it has passed. Each is
    recorded (ReminderSent, unique per kind and return), so none goes out twice however often
    this runs; returns whose agency has no lead are left for a later run. Returns how many
    returns were reminded about; the e-mails (one per agency, round and kind) go on commit."""
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


# The coordinator's chase ------------------------------------------------------------------------


@dataclass
class ChaseItem:
    """One return an agency still owes in a round, and whether it was chased today already."""

    kind: str  # "tool" or "chronology"
    label: str
    item: object
    chased_today: bool


def _owed(audit_round: AuditRound, agency, *, lock: bool = False) -> dict[str, list]:
    owed = {}
    for kind in ("tool", "chronology"):
        model, _ = KINDS[kind]
        queryset = outstanding(model.objects.filter(case__round=audit_round, agency=agency))
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        owed[kind] = list(queryset.select_related("case").order_by("case__number", "pk"))
    return owed


def _chased_today(owed: dict[str, list], today: datetime.date) -> set[tuple[str, int]]:
    chased = set()
    for kind, items in owed.items():
        chased |= {
            (kind, pk)
            for pk in ReminderSent.objects.filter(
                kind=ReminderSent.Kind.CHASE, sent_at__date=today, **{f"{kind}__in": [item.pk for item in items]}
            ).values_list(f"{kind}_id", flat=True)
        }
    return chased


def chase_items(audit_round: AuditRound, agency, *, today: datetime.date) -> list[ChaseItem]:
    """What a chase of this agency would remind its leads about, by case (three queries)."""
    owed = _owed(audit_round, agency)
    chased = _chased_today(owed, today)
    return [
        ChaseItem(kind=kind, label=KINDS[kind][1], item=item, chased_today=(kind, item.pk) in chased)
        for kind, items in owed.items()
        for item in items
    ]


@transaction.atomic
def chase_agency(*, actor, audit_round: AuditRound, agency, today: datetime.date) -> int:
    """A coordinator's "Send a reminder now": e-mail the agency's leads (a task, on commit) about
    the returns it still owes in the round, each at most once a day. The returns are read under
    a lock, so two chases at once remind once; each reminder is recorded (ReminderSent, kind
    CHASE). Returns how many returns were chased; refused when there is nothing to chase today
    or nobody to e-mail."""
    require_decide(actor)
    if not locked(audit_round).is_in_progress:
        raise ValidationError("This round is no longer in progress: there is nothing to remind agencies about.")
    if agencies_without_lead([agency.pk]):
        raise ValidationError(f"{agency.name} has no active agency lead: there is nobody to remind.")
    owed = _owed(audit_round, agency, lock=True)
    if not any(owed.values()):
        raise ValidationError(f"{agency.name} owes nothing in this round: there is nothing to remind it about.")
    chased = _chased_today(owed, today)
    ids = {"tool": [], "chronology": []}
    records = []
    late = False
    for kind, items in owed.items():
        for item in items:
            if (kind, item.pk) in chased:
                continue
            ids[kind].append(item.pk)
            late = late or is_overdue(item, today)
            records.append(ReminderSent(kind=ReminderSent.Kind.CHASE, due_date=item.due_date, **{kind: item}))
    if not records:
        raise ValidationError(f"{agency.name} was already reminded today about everything it owes: try again tomorrow.")
    ReminderSent.objects.bulk_create(records)
    # The message says "overdue" when anything chased is late, otherwise "due by".
    wording = ReminderSent.Kind.OVERDUE if late else ReminderSent.Kind.DUE_SOON
    args = (str(wording), agency.pk, audit_round.pk, ids["tool"], ids["chronology"])
    transaction.on_commit(lambda: tasks.send_reminder.enqueue(*args))
    return len(records)
