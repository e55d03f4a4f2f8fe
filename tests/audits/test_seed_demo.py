"""The demo data: loads twice without duplicating, and its Case 2 has an integrated chronology
from three agencies that exports in date order."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from agencies.models import User
from audits.models import AuditRound, Case, ChronologyEntry


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_is_idempotent(demo, settings):
    counts = (User.objects.count(), AuditRound.objects.count(), Case.objects.count(), ChronologyEntry.objects.count())
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    again = (User.objects.count(), AuditRound.objects.count(), Case.objects.count(), ChronologyEntry.objects.count())
    assert again == counts
    assert AuditRound.objects.filter(status="closed").count() == 1
    assert AuditRound.objects.filter(status="open").count() == 1


def test_demo_integrated_chronology_has_three_agencies_in_date_order(demo, client):
    client.force_login(User.objects.get(email="coordinator@example.org"))
    case = Case.objects.get(round__status="open", number=2)
    url = reverse("audits:integrated-chronology", args=[case.round_id, case.number])
    page = client.get(url).text
    entries = list(
        ChronologyEntry.objects.filter(chronology__case=case, chronology__status="submitted").order_by(
            "date", "time", "chronology__agency__name"
        )
    )
    assert len({entry.chronology.agency_id for entry in entries}) >= 3
    positions = [page.index(escape(entry.what_happened)) for entry in entries]
    assert positions == sorted(positions)

    for suffix in ("csv", "xlsx", "pdf"):
        response = client.get(reverse(f"audits:integrated-chronology-{suffix}", args=[case.round_id, case.number]))
        assert response.status_code == 200
    pdf = client.get(reverse("audits:integrated-chronology-pdf", args=[case.round_id, case.number]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    starts = [text.index(" ".join(entry.what_happened.split())[:30]) for entry in entries]
    assert starts == sorted(starts)


def test_demo_meeting_and_overdue_action_on_the_police_leads_home_and_reminded_once(
    demo, client, mailoutbox, django_capture_on_commit_callbacks
):
    from audits.models import Action, LearningPoint, Meeting, ReminderSent

    closed = AuditRound.objects.get(status="closed")
    assert Meeting.objects.filter(round=closed).exists()
    assert LearningPoint.objects.filter(round=closed, kind="finding").count() == 3
    overdue = Action.objects.get(round=closed, lead_agency__short_name="Police")
    assert overdue.rag()[0] == "red"

    client.force_login(User.objects.get(email="police.lead@example.org"))
    home = client.get(reverse("home")).text
    assert escape(overdue.what) in home and "Red" in home

    mailoutbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=io.StringIO())
    assert ReminderSent.objects.filter(action=overdue, kind="overdue").count() == 1
    to_police = [m for m in mailoutbox if "police.lead@example.org" in m.to and f"Action {overdue.pk}" in m.body]
    assert len(to_police) == 1
