"""Action reminders: which open actions are due soon or overdue, and queueing one reminder per
kind and action (``manage.py send_reminders`` runs it daily)."""

import datetime
from functools import partial

from django.db import transaction

from audits.actions import tasks
from audits.actions.emails import action_addresses
from audits.models import Action, ReminderSent


@transaction.atomic
def send_action_reminders(*, today: datetime.date) -> int:
    """Queue reminders about open actions (not awaiting confirmation of completion): one
    ``due_soon`` within REMINDER_DAYS_BEFORE days of the due date, one ``overdue`` after it
    (``ActionQuerySet.to_remind``, ``Action.is_overdue``). Each is recorded (ReminderSent,
    unique per kind and action) so none goes twice; actions nobody could be told about are left
    for a later run. Returns how many actions were
    reminded about; the e-mails go on commit."""
    actions = list(Action.objects.to_remind(today).select_related("owner_user").order_by("pk"))
    already = set(
        ReminderSent.objects.filter(action__in=[action.pk for action in actions]).values_list("kind", "action_id")
    )
    addresses = action_addresses(actions)
    records = []
    for action in actions:
        reminder = ReminderSent.Kind.OVERDUE if action.is_overdue(today) else ReminderSent.Kind.DUE_SOON
        if (reminder, action.pk) in already or not addresses[action.pk]:
            continue
        records.append(ReminderSent(kind=reminder, action=action, due_date=action.due_date))
    ReminderSent.objects.bulk_create(records)
    for record in records:
        transaction.on_commit(partial(tasks.send_action_reminder.enqueue, str(record.kind), record.action_id))
    return len(records)
