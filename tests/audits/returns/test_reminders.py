"""send_reminders: due-soon reminders and overdue notices to agency leads, each sent once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from audits.models import AuditTool, Chronology, ReminderSent, WorkStatus
from audits.returns.reminders import send_due_reminders

DUE = datetime.date(2026, 11, 30)  # the returns_case round's tools_due_date


@pytest.fixture
def owed(returns_case, lead_a, auditor_a, lead_b):
    assert set(AuditTool.objects.values_list("due_date", flat=True)) == {DUE}
    return returns_case


def run(capture, today):
    with capture(execute=True):
        return send_due_reminders(today=today)


def test_nothing_before_the_reminder_window(owed, django_capture_on_commit_callbacks, settings):
    settings.REMINDER_DAYS_BEFORE = 7
    assert run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=8)) == 0
    assert mail.outbox == []


def test_due_soon_reminders_go_to_each_agencys_leads_once(
    owed, django_capture_on_commit_callbacks, settings, identifier_texts
):
    settings.REMINDER_DAYS_BEFORE = 7
    today = DUE - datetime.timedelta(days=7)
    assert run(django_capture_on_commit_callbacks, today) == 4  # two tools, two chronologies
    # One e-mail per agency, listing its tool and chronology; the auditor gets none.
    assert sorted(m.to[0] for m in mail.outbox) == ["lead.a@example.test", "lead.b@example.test"]
    message = mail.outbox[0]
    title = owed.round.title
    assert message.subject == f"Reminder: your agency's returns for {title} are due by 30 November 2026"
    assert f"Case 1 of {title}: audit tool, due 30 November 2026 (now: Not started)" in message.body
    assert f"Case 1 of {title}: chronology" in message.body
    for sent in mail.outbox:
        for text in [sent.subject, sent.body, sent.alternatives[0][0]]:
            assert not any(identifier in text for identifier in identifier_texts)

    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks, today) == 0
    assert run(django_capture_on_commit_callbacks, today + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []
    assert ReminderSent.objects.filter(kind="due_soon").count() == 4


def test_overdue_notice_after_the_due_date_once(owed, tool_a, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks, DUE - datetime.timedelta(days=2))
    mail.outbox.clear()
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.SUBMITTED)
    assert run(django_capture_on_commit_callbacks, DUE) == 0  # due today is not yet overdue
    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1)) == 3
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["lead.a@example.test"] == f"Overdue: your agency's returns for {owed.round.title}"
    agency_a_mail = next(m for m in mail.outbox if m.to == ["lead.a@example.test"])
    assert "audit tool" not in agency_a_mail.body  # submitted: nothing to chase
    assert "chronology, was due 30 November 2026" in agency_a_mail.body
    mail.outbox.clear()
    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=5)) == 0
    assert mail.outbox == []


def test_returned_work_is_still_chased(owed, chronology_b, django_capture_on_commit_callbacks):
    Chronology.objects.exclude(pk=chronology_b.pk).update(status=WorkStatus.ACCEPTED)
    AuditTool.objects.update(status=WorkStatus.ACCEPTED)
    Chronology.objects.filter(pk=chronology_b.pk).update(status=WorkStatus.RETURNED)
    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1)) == 1
    assert "(now: Returned for changes)" in mail.outbox[0].body


def test_agency_without_a_lead_is_reminded_once_it_has_one(returns_case, agency_b, django_capture_on_commit_callbacks):
    from tests import factories

    today = DUE - datetime.timedelta(days=1)
    assert run(django_capture_on_commit_callbacks, today) == 0
    factories.UserFactory(email="new.lead.b@example.test", agency=agency_b, agency_role="lead")
    assert run(django_capture_on_commit_callbacks, today) == 2
    assert [m.to for m in mail.outbox] == [["new.lead.b@example.test"]]


def test_nothing_sent_for_rounds_no_longer_in_progress(owed, django_capture_on_commit_callbacks):
    owed.round.status = "closed"
    owed.round.save()
    assert run(django_capture_on_commit_callbacks, DUE + datetime.timedelta(days=1)) == 0


def test_command_run_twice_sends_each_reminder_once(owed, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-11-27", stdout=out)
    assert out.getvalue().strip() == "Sent reminders about 4 returns."
    assert len(mail.outbox) == 2
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-11-27", stdout=out)
    assert out.getvalue().strip() == "Sent reminders about 0 returns."
    assert len(mail.outbox) == 2


def test_command_uses_todays_date_by_default(owed, django_capture_on_commit_callbacks, clock):
    from django.utils import timezone

    clock.move_to(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=timezone.get_current_timezone()))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "4 returns" in out.getvalue()
    assert all(m.subject.startswith("Overdue") for m in mail.outbox)


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "30/11/2026")


def test_the_database_refuses_a_second_reminder_of_a_kind(tool_a):
    from django.db import IntegrityError, transaction

    ReminderSent.objects.create(kind="due_soon", tool=tool_a, due_date=DUE)
    ReminderSent.objects.create(kind="overdue", tool=tool_a, due_date=DUE)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderSent.objects.create(kind="due_soon", tool=tool_a, due_date=DUE)
