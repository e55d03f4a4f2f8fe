"""Return reminders: which returns are owed, and queueing one reminder per kind and return
(``manage.py send_reminders`` runs it daily)."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from audits.mail import lead_addresses
from audits.models import ReminderSent
from audits.returns import tasks
from audits.returns.emails import KINDS
from audits.returns.selectors import outstanding


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
