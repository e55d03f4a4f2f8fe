"""Actions a round's stage no longer allows are not offered (the same model predicates the
services check), and the draw form's number input is a GOV.UK text input with the numeric keyboard."""

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.meetings import services as meeting_services
from audits.models import AuditRound
from audits.rounds.forms import DrawForm
from tests import factories

Status = AuditRound.Status


def _set_status(audit_round, status):
    AuditRound.objects.filter(pk=audit_round.pk).update(status=status)
    audit_round.refresh_from_db()
    return audit_round


@pytest.fixture
def meeting(open_case):
    return factories.MeetingFactory(round=open_case.round)


def test_an_open_rounds_meeting_offers_invitations_and_changes(client, coordinator, meeting):
    client.force_login(coordinator)
    page = client.get(meeting.get_absolute_url()).text
    assert reverse("audits:meeting-send-invitations", args=[meeting.pk]) in page
    assert reverse("audits:meeting-edit", args=[meeting.round_id, meeting.sitting]) in page
    assert reverse("audits:meeting-attendance", args=[meeting.pk]) in page


def test_a_closed_rounds_meeting_offers_no_invitations_or_changes(client, coordinator, meeting):
    _set_status(meeting.round, Status.CLOSED)
    client.force_login(coordinator)
    page = client.get(meeting.get_absolute_url()).text
    assert "Send invitations" not in page
    assert reverse("audits:meeting-send-invitations", args=[meeting.pk]) not in page
    assert reverse("audits:meeting-edit", args=[meeting.round_id, meeting.sitting]) not in page
    assert reverse("audits:meeting-attendance", args=[meeting.pk]) not in page
    # ... and the services refuse them as the page implies.
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        meeting_services.meeting_send_invitations(actor=coordinator, meeting=meeting)
    with pytest.raises(ValidationError):
        meeting_services.attendance_record(actor=coordinator, meeting=meeting, rows=[])


def test_a_closed_round_page_offers_no_stage_move_cases_or_meeting(client, coordinator, open_case):
    audit_round = _set_status(open_case.round, Status.CLOSED)
    client.force_login(coordinator)
    page = client.get(audit_round.get_absolute_url()).text
    for name in (
        "audits:round-advance",
        "audits:round-edit",
        "audits:draw-start",
        "audits:case-add",
        "audits:meeting-arrange",
    ):
        assert reverse(name, args=[audit_round.pk]) not in page, name
    assert reverse("audits:case-agencies", args=[audit_round.pk, open_case.number]) not in page


def test_agencies_are_offered_for_change_only_while_the_round_accepts_cases(client, coordinator, open_case):
    url = reverse("audits:case-agencies", args=[open_case.round_id, open_case.number])
    client.force_login(coordinator)
    assert url in client.get(open_case.get_absolute_url()).text
    _set_status(open_case.round, Status.MEETING)
    page = client.get(open_case.get_absolute_url()).text
    assert url not in page
    assert 'Change<span class="govuk-visually-hidden"> summary' in page  # details still change


def test_the_draw_forms_number_input_is_a_govuk_numeric_text_input():
    html = render_crispy_form(DrawForm(max_bytes=1000))
    (tag,) = re.findall(r'<input[^>]*name="number_of_cases"[^>]*>', html)
    assert 'type="text"' in tag and 'inputmode="numeric"' in tag
    assert 'class="govuk-input govuk-input--width-4"' in tag
    form = DrawForm(data={"number_of_cases": "x"}, files={}, max_bytes=1000)
    assert "The number of cases must be a whole number, like 4" in str(form.errors["number_of_cases"])
