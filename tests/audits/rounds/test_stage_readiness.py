"""Moving a round on: the confirmation page says what will happen and what the stage it leaves has
not finished (one selector, ``round_outstanding``), and a stage with work outstanding is left only
by the explicit "Move on anyway". Opening lists who is e-mailed and flags agencies without a lead."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audits.models import AuditRound, AuditTool, CaseDiscussion, Chronology, LearningPoint, WorkStatus
from audits.rounds import services
from audits.rounds.emails import send_round_invitations
from audits.rounds.selectors import round_invitations, round_outstanding
from tests import factories

Status = AuditRound.Status


def _advance_url(audit_round):
    return reverse("audits:round-advance", args=[audit_round.pk])


def _set_status(audit_round, status):
    AuditRound.objects.filter(pk=audit_round.pk).update(status=status)
    audit_round.refresh_from_db()
    return audit_round


# The outstanding list ---------------------------------------------------------------------------


def test_open_round_lists_every_return_not_yet_accepted(returns_case, tool_a):
    audit_round = returns_case.round
    texts = [item.text for item in round_outstanding(audit_round)]
    assert texts == [
        "Case 1, Agency A Children's Services: audit tool not submitted (not started)",
        "Case 1, Agency A Children's Services: chronology not submitted (not started)",
        "Case 1, Agency B Police: audit tool not submitted (not started)",
        "Case 1, Agency B Police: chronology not submitted (not started)",
    ]
    assert round_outstanding(audit_round)[0].url == tool_a.get_absolute_url()
    AuditTool.objects.filter(pk=tool_a.pk).update(status=WorkStatus.SUBMITTED)
    assert "Case 1, Agency A Children's Services: audit tool submitted, not yet accepted" in [
        item.text for item in round_outstanding(audit_round)
    ]
    AuditTool.objects.update(status=WorkStatus.ACCEPTED)
    Chronology.objects.update(status=WorkStatus.ACCEPTED)
    assert round_outstanding(audit_round) == []


def test_meeting_stage_lists_cases_without_a_meeting_record(open_case, coordinator):
    audit_round = _set_status(open_case.round, Status.MEETING)
    second = factories.CaseFactory(round=audit_round, number=2)
    assert [item.text for item in round_outstanding(audit_round)] == [
        "Case 1: no meeting record (no discussion notes or agreed grade)",
        "Case 2: no meeting record (no discussion notes or agreed grade)",
    ]
    CaseDiscussion.objects.create(case=open_case, notes="Discussed at length.", created_by=coordinator)
    CaseDiscussion.objects.create(case=second, notes="  ", created_by=coordinator)  # blank notes, no grade
    assert [item.text for item in round_outstanding(audit_round)] == [
        "Case 2: no meeting record (no discussion notes or agreed grade)"
    ]


def test_learning_stage_needs_learning_across_cases(open_case):
    audit_round = _set_status(open_case.round, Status.LEARNING)
    factories.LearningPointFactory(round=audit_round, case=open_case, kind=LearningPoint.Kind.STRENGTH)
    (item,) = round_outstanding(audit_round)
    assert item.text.startswith("No learning for the round drafted yet")
    assert item.url == reverse("audits:round-learning", args=[audit_round.pk])
    factories.LearningPointFactory(round=audit_round, case=None, kind=LearningPoint.Kind.KEY_MESSAGE)
    assert round_outstanding(audit_round) == []


def test_the_outstanding_list_takes_a_fixed_number_of_queries(returns_case, django_assert_max_num_queries):
    for number in range(2, 6):
        case = factories.CaseFactory(round=returns_case.round, number=number)
        factories.ToolFactory(case=case, agency=returns_case.case_agencies.first().agency)
    with django_assert_max_num_queries(2):
        assert len(round_outstanding(returns_case.round)) == 8


def test_the_service_refuses_an_unready_stage_unless_told_to_move_on_anyway(returns_case, coordinator):
    audit_round = returns_case.round
    with pytest.raises(ValidationError, match="Move on anyway"):
        services.round_advance(actor=coordinator, audit_round=audit_round, from_status="open", require_ready=True)
    audit_round.refresh_from_db()
    assert audit_round.status == Status.OPEN
    moved = services.round_advance(actor=coordinator, audit_round=audit_round, from_status="open")
    assert moved.status == Status.MEETING


# The pages --------------------------------------------------------------------------------------


def test_the_round_page_links_to_the_confirmation_not_a_one_click_post(client, coordinator, case):
    client.force_login(coordinator)
    page = client.get(case.round.get_absolute_url()).text
    assert f'href="{_advance_url(case.round)}"' in page
    assert f'action="{_advance_url(case.round)}"' not in page


def test_moving_to_the_meeting_with_outstanding_returns_needs_a_second_explicit_step(client, coordinator, returns_case):
    audit_round = returns_case.round
    client.force_login(coordinator)
    page = client.get(_advance_url(audit_round))
    assert page.status_code == 200
    text = page.text
    assert "Are you sure you want to move the round to the stage: Multi-agency meeting?" in text
    assert "4 things are not finished at the stage: Open for returns." in text
    assert "Case 1, Agency B Police: chronology not submitted (not started)" in text
    assert "Move on anyway" in text and "Yes, move to" not in text
    assert audit_round.__class__.objects.get(pk=audit_round.pk).status == Status.OPEN  # a GET changes nothing

    # Confirming without choosing "Move on anyway" leaves the round where it is, and says why.
    refused = client.post(_advance_url(audit_round), {"confirm": "yes", "from_status": "open"}, follow=True)
    assert refused.redirect_chain[-1][0] == _advance_url(audit_round)
    assert "Move on anyway" in refused.text and "still has work outstanding" in refused.text
    audit_round.refresh_from_db()
    assert audit_round.status == Status.OPEN

    moved = client.post(_advance_url(audit_round), {"confirm": "yes", "from_status": "open", "anyway": "yes"})
    assert moved.status_code == 302 and moved["Location"] == audit_round.get_absolute_url()
    audit_round.refresh_from_db()
    assert audit_round.status == Status.MEETING


def test_a_stage_with_nothing_outstanding_moves_on_with_one_yes(client, coordinator, open_case):
    audit_round = _set_status(open_case.round, Status.LEARNING)
    factories.LearningPointFactory(round=audit_round, case=None, kind=LearningPoint.Kind.KEY_MESSAGE)
    client.force_login(coordinator)
    page = client.get(_advance_url(audit_round)).text
    assert "Yes, move to Briefing published" in page and "Move on anyway" not in page
    client.post(_advance_url(audit_round), {"confirm": "yes", "from_status": "learning"})
    audit_round.refresh_from_db()
    assert audit_round.status == Status.PUBLISHED


def test_a_post_without_confirm_does_nothing(client, coordinator, case, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_advance_url(case.round), {"from_status": "planning"})
    assert response.status_code == 302 and response["Location"] == _advance_url(case.round)
    case.round.refresh_from_db()
    assert case.round.status == Status.PLANNING
    assert mail.outbox == []


def test_a_closed_round_has_no_confirmation_page(client, coordinator, open_case):
    audit_round = _set_status(open_case.round, Status.CLOSED)
    client.force_login(coordinator)
    response = client.get(_advance_url(audit_round), follow=True)
    assert "no further stage" in response.text


# Opening: who is e-mailed, and agencies without a lead -----------------------------------------


@pytest.fixture
def planned(case, agency_b, coordinator, lead_a):
    """Case 1 (agency A, which has a lead) and Case 2 (agency B, which has none)."""
    second = factories.CaseFactory(round=case.round, number=2)
    factories.CaseAgencyFactory(case=second, agency=agency_b, added_by=coordinator)
    return case.round


def test_the_opening_confirmation_lists_who_is_emailed_and_the_agency_without_a_lead(
    client, coordinator, planned, lead_a
):
    client.force_login(coordinator)
    page = client.get(_advance_url(planned)).text
    assert "Are you sure you want to open the round?" in page
    assert "The lead of each agency taking part is e-mailed an invitation." in page
    assert f"{lead_a.full_name} ({lead_a.email})" in page
    assert "Agency B Police has no active agency lead" in page
    assert "Yes, open the round" in page


def test_an_inactive_lead_is_no_lead(planned, lead_a):
    lead_a.is_active = False
    lead_a.save()
    assert [invitation.sent for invitation in round_invitations(planned)] == [False, False]


def test_the_opening_confirmation_shows_what_stops_a_round_opening(client, coordinator, audit_round):
    client.force_login(coordinator)
    page = client.get(_advance_url(audit_round)).text
    assert "The round cannot open yet." in page and "Add at least one case" in page
    assert "Yes, open the round" not in page


def test_after_opening_the_result_names_each_agency_sent_or_not_and_why(
    client, coordinator, planned, lead_a, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_advance_url(planned), {"confirm": "yes", "from_status": "planning"}, follow=True)
    text = response.text
    assert "The invitation is being e-mailed to the leads of: Agency A Children&#x27;s Services." in text
    assert "No invitation was sent to Agency B Police: the agency has no active agency lead to send it to." in text
    assert "sent to the lead of each agency" not in text
    assert [message.to for message in mail.outbox] == [[lead_a.email]]


def test_send_round_invitations_returns_each_agencys_outcome(planned, lead_a):
    _set_status(planned, Status.OPEN)
    assert send_round_invitations(planned.pk) == [
        {"agency": "Agency A Children's Services", "sent": 1, "reason": ""},
        {"agency": "Agency B Police", "sent": 0, "reason": "the agency has no active agency lead to send it to"},
    ]


def test_the_round_page_flags_agencies_without_a_lead_to_the_coordinator(client, coordinator, planned, lead_a):
    client.force_login(coordinator)
    page = client.get(planned.get_absolute_url()).text
    assert "1 agency has no active agency lead" in page
    assert page.count("No active lead") == 1


def test_choosing_a_cases_agencies_flags_those_without_a_lead(client, coordinator, case, agency_b, lead_a):
    client.force_login(coordinator)
    page = client.get(reverse("audits:case-agencies", args=[case.round_id, case.number])).text
    assert "Agency B Police (no active lead)" in page
    assert "Agency A Children&#x27;s Services (no active lead)" not in page
