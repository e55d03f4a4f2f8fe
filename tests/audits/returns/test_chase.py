"""The coordinator's chase from the completion matrix ("Send a reminder now"): asked first, one
e-mail to the agency's leads about what it still owes, at most once a day per return (ReminderSent
kind CHASE is the record); agencies without a lead are flagged; the matrix cells link to the work."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits.models import AuditTool, Chronology, ReminderSent, WorkStatus
from audits.returns.reminders import chase_agency, chase_items
from tests import factories


def _chase_url(case, agency):
    return reverse("audits:round-chase", args=[case.round_id, agency.pk])


@pytest.fixture
def today():
    return factories.today()


def test_a_chase_emails_the_leads_about_what_is_owed_and_is_recorded(
    returns_case,
    agency_a,
    lead_a,
    auditor_a,
    coordinator,
    tool_a,
    chronology_a,
    today,
    django_capture_on_commit_callbacks,
):
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.SUBMITTED)  # submitted: not owed
    with django_capture_on_commit_callbacks(execute=True):
        count = chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_a, today=today)
    assert count == 1
    (reminder,) = ReminderSent.objects.all()
    assert (reminder.kind, reminder.tool, reminder.chronology) == (ReminderSent.Kind.CHASE, tool_a, None)
    (message,) = mail.outbox
    assert message.to == [lead_a.email]
    assert f"Case 1 of {returns_case.round.title}" in message.body
    assert "Zebedee" not in message.body


def test_each_return_is_chased_at_most_once_a_day(
    returns_case, agency_a, lead_a, coordinator, tool_a, today, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_a, today=today) == 2
        with pytest.raises(ValidationError, match="already reminded today"):
            chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_a, today=today)
    assert len(mail.outbox) == 1
    assert all(item.chased_today for item in chase_items(returns_case.round, agency_a, today=today))
    # A return the agency owes since this morning's chase is chased on its own the same day.
    case = factories.CaseFactory(round=returns_case.round, number=2)
    factories.ToolFactory(case=case, agency=agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_a, today=today) == 1
    # The next day, everything owed can be chased again.
    clock.shift(datetime.timedelta(days=1))
    tomorrow = today + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_a, today=tomorrow) == 3
    assert ReminderSent.objects.filter(kind=ReminderSent.Kind.CHASE).count() == 6


def test_chasing_an_agency_without_a_lead_or_owing_nothing_is_refused(
    returns_case, agency_a, agency_b, lead_a, coordinator, today
):
    with pytest.raises(ValidationError, match="no active agency lead"):
        chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_b, today=today)
    AuditTool.objects.update(status=WorkStatus.ACCEPTED)
    Chronology.objects.update(status=WorkStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="owes nothing"):
        chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_a, today=today)
    assert not ReminderSent.objects.exists()


@pytest.mark.parametrize("status", ["published", "closed"])
def test_a_round_no_longer_in_progress_is_not_chased_even_by_a_forged_post(
    client, returns_case, agency_a, lead_a, coordinator, today, status
):
    type(returns_case.round).objects.filter(pk=returns_case.round.pk).update(status=status)
    with pytest.raises(ValidationError, match="no longer in progress"):
        chase_agency(actor=coordinator, audit_round=returns_case.round, agency=agency_a, today=today)
    client.force_login(coordinator)
    client.post(_chase_url(returns_case, agency_a), {"confirm": "yes"})
    assert not ReminderSent.objects.exists()
    assert not mail.outbox


def test_only_coordinators_chase(returns_case, agency_a, lead_a, administrator, today):
    with pytest.raises(PermissionDenied):
        chase_agency(actor=administrator, audit_round=returns_case.round, agency=agency_a, today=today)


def test_the_chase_is_confirmed_first_through_the_pages(
    client, returns_case, agency_a, lead_a, coordinator, django_capture_on_commit_callbacks
):
    url = _chase_url(returns_case, agency_a)
    client.force_login(coordinator)
    page = client.get(url).text
    assert "Are you sure you want to send Agency A Children&#x27;s Services a reminder?" in page
    assert f"{lead_a.full_name} ({lead_a.email})" in page
    assert "Case 1: audit tool (not started" in page and "Case 1: chronology (not started" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)  # no confirmation: nothing is sent
    assert response["Location"] == url and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "yes"}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("audits:round-completion", args=[returns_case.round_id])
    assert (
        "A reminder about 2 returns is being e-mailed to the leads of Agency A Children&#x27;s Services." in done.text
    )
    assert len(mail.outbox) == 1
    assert "already reminded today about everything it owes" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"confirm": "yes"}, follow=True)
    assert "try again tomorrow" in again.text and len(mail.outbox) == 1


def test_an_agency_not_in_the_round_is_not_found(client, returns_case, coordinator):
    other = factories.AgencyFactory()
    client.force_login(coordinator)
    assert client.get(_chase_url(returns_case, other)).status_code == 404


def test_the_matrix_links_each_cell_to_its_work_and_offers_the_chase(
    client, returns_case, agency_a, agency_b, lead_a, coordinator, tool_a, chronology_b
):
    client.force_login(coordinator)
    page = client.get(reverse("audits:round-completion", args=[returns_case.round_id])).text
    assert f'href="{tool_a.get_absolute_url()}"' in page
    assert f'href="{chronology_b.get_absolute_url()}"' in page
    assert f'href="{_chase_url(returns_case, agency_a)}"' in page
    # Agency B has no lead: flagged, and no reminder offered.
    assert f'href="{_chase_url(returns_case, agency_b)}"' not in page
    assert "1 agency has no active agency lead" in page and "No active lead" in page


def test_the_administrator_reads_the_matrix_without_the_chase(client, returns_case, agency_a, lead_a, administrator):
    client.force_login(administrator)
    page = client.get(reverse("audits:round-completion", args=[returns_case.round_id])).text
    assert "Send a reminder now" not in page
