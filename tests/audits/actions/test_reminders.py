"""send_reminders also reminds agency leads (and an action's owner) of open actions due soon,
and sends an overdue notice after the due date: each once, however often it runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from audits.actions import services
from audits.actions.reminders import send_action_reminders
from audits.models import ReminderSent
from tests import factories

DUE = datetime.date(2027, 3, 31)


@pytest.fixture
def action(open_case, agency_a, lead_a, auditor_a, lead_b, coordinator):
    return factories.ActionFactory(
        round=open_case.round, lead_agency=agency_a, due_date=DUE, what="Secret-ish wording of the action"
    )


def run(capture, today):
    with capture(execute=True):
        return send_action_reminders(today=today)


def test_nothing_before_the_window(action, django_capture_on_commit_callbacks, settings):
    settings.REMINDER_DAYS_BEFORE = 7
    assert run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=8)) == 0
    assert mail.outbox == []


def test_due_soon_once_then_overdue_once(action, auditor_a, django_capture_on_commit_callbacks, settings):
    settings.REMINDER_DAYS_BEFORE = 7
    action.owner_user = auditor_a
    action.save()
    today = DUE - datetime.timedelta(days=7)
    assert run(django_capture_on_commit_callbacks, today) == 1
    # The agency's lead and the owner, one message each; nobody else.
    assert sorted(m.to[0] for m in mail.outbox) == ["auditor.a@example.test", "lead.a@example.test"]
    message = mail.outbox[0]
    assert message.subject == f"Reminder: Action {action.pk} of {action.round.title} is due by 31 March 2027"
    assert action.get_absolute_url() in message.body
    assert action.what not in message.body and action.what not in message.alternatives[0][0]

    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks, today) == 0
    assert run(django_capture_on_commit_callbacks, DUE) == 0  # due today is not overdue
    assert mail.outbox == []

    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1)) == 1
    assert all(m.subject.startswith("Overdue:") for m in mail.outbox) and len(mail.outbox) == 2
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=2)) == 0
    assert mail.outbox == []
    assert set(ReminderSent.objects.values_list("kind", "action")) == {("due_soon", action.pk), ("overdue", action.pk)}


def test_closed_or_proposed_actions_get_no_reminders(action, lead_a, coordinator, django_capture_on_commit_callbacks):
    services.action_propose_completion(actor=lead_a, action=action, evidence="Done.", impact="Better.")
    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1)) == 0
    services.action_confirm_completion(actor=coordinator, action=action)
    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1)) == 0
    assert ReminderSent.objects.count() == 0


def test_command_sends_action_reminders_once(action, django_capture_on_commit_callbacks):
    for expected in ("Sent reminders about 1 action.", None):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--today", "2027-04-02", stdout=out)
        lines = out.getvalue().strip().splitlines()
        assert lines[0] == "Sent reminders about 0 returns."
        assert (lines[1] if len(lines) > 1 else None) == expected
    assert len(mail.outbox) == 1
