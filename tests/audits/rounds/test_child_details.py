"""The "Child's details" panel: the staff of an agency taking part in a case see its child's name,
date of birth and their own agency's record number while the round's agency work is live (open and
meeting stages, not ended early), each view logged; after that, "Child N" only and why."""

from html import unescape

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.models import AccessEvent
from audits.models import AuditRound, RestrictedIdentifiers
from audits.rounds import identifiers
from audits.rounds.emails import send_round_invitations
from audits.rounds.permissions import can_see_child_details
from audits.templatetags.audit_tags import child_details_link
from tests import factories

Status = AuditRound.Status
Kind = AccessEvent.Kind


def details_url(case):
    return reverse("audits:case-child-details", args=[case.round_id, case.number])


def end_url(case):
    return reverse("audits:case-agency-details-end", args=[case.round_id, case.number])


def set_status(case, status, **fields):
    AuditRound.objects.filter(pk=case.round_id).update(status=status, **fields)
    case.round.refresh_from_db()


@pytest.mark.parametrize(
    ("status", "live"),
    [
        (Status.PLANNING, False),
        (Status.OPEN, True),
        (Status.MEETING, True),
        (Status.LEARNING, False),
        (Status.PUBLISHED, False),
        (Status.CLOSED, False),
    ],
)
def test_the_window_follows_the_stage(case, lead_a, auditor_a, status, live):
    set_status(case, status)
    assert can_see_child_details(lead_a, case) is live
    assert can_see_child_details(auditor_a, case) is live


def test_the_window_closes_when_the_coordinator_ends_it(open_case, lead_a, coordinator):
    assert can_see_child_details(lead_a, open_case)
    identifiers.agency_details_end(actor=coordinator, audit_round=open_case.round)
    open_case.round.refresh_from_db()
    assert not can_see_child_details(lead_a, open_case)


@pytest.mark.parametrize("who", ["coordinator", "administrator", "board_viewer", "lead_b"])
def test_only_staff_of_a_taking_part_agency_are_in_the_rule(open_case, request, who):
    assert not can_see_child_details(request.getfixturevalue(who), open_case)


@pytest.mark.parametrize("status", [Status.OPEN, Status.MEETING])
@pytest.mark.parametrize("who", ["lead_a", "auditor_a"])
def test_staff_see_the_child_while_live(client, request, case, status, who):
    set_status(case, status)
    client.force_login(request.getfixturevalue(who))
    response = client.get(details_url(case))
    assert response.status_code == 200
    assert "Zebedee Quillfeather" in response.text
    assert "29 February 2016" in response.text
    assert "Do not copy these into summaries" in response.text  # the coordinator's warning
    # The title and URL say Case N only.
    title = response.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Quillfeather" not in title and "Case 1" in title


def test_planned_rounds_are_not_found_for_agency_staff(client, case, lead_a):
    client.force_login(lead_a)
    assert client.get(details_url(case)).status_code == 404
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()


@pytest.mark.parametrize("status", [Status.LEARNING, Status.PUBLISHED, Status.CLOSED])
def test_after_the_meeting_the_page_says_child_n_and_why(client, case, lead_a, status):
    set_status(case, status)
    client.force_login(lead_a)
    response = client.get(details_url(case))
    assert response.status_code == 200
    assert "Quillfeather" not in response.text and "2016" not in response.text
    assert "Child 1 only now" in response.text
    assert "until the multi-agency meeting's record is complete" in unescape(response.text)
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()


def test_ended_early_the_page_says_who_ended_it_and_when(client, open_case, lead_a, coordinator):
    identifiers.agency_details_end(actor=coordinator, audit_round=open_case.round)
    client.force_login(lead_a)
    response = client.get(details_url(open_case))
    assert response.status_code == 200
    assert "Quillfeather" not in response.text
    assert "Child 1 only now" in response.text
    assert "The audit coordinator ended agencies' access" in unescape(response.text)
    assert "23 November 2026" in response.text
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()


def test_staff_see_their_own_agencys_number_only(client, open_case, agency_b, lead_a, lead_b, coordinator):
    factories.CaseAgencyFactory(case=open_case, agency=agency_b, added_by=coordinator)
    RestrictedIdentifiers.objects.filter(case=open_case).delete()
    factories.RestrictedIdentifiersFactory(
        case=open_case, child_name="Zebedee Quillfeather", record_numbers="agency a: 4471-AA; Agency B 99812"
    )
    client.force_login(lead_a)
    response = client.get(details_url(open_case))
    assert "4471-AA" in response.text and "99812" not in response.text
    client.force_login(lead_b)
    response = client.get(details_url(open_case))
    assert "99812" in response.text and "4471-AA" not in response.text


def test_no_number_for_the_agency_says_so(client, open_case, lead_a):
    # The fixture records "CSC-7734219": no part is labelled "Agency A".
    client.force_login(lead_a)
    response = client.get(details_url(open_case))
    assert "Not recorded for your agency" in response.text
    assert "7734219" not in response.text


def test_a_case_without_identifiers_shows_not_recorded(client, open_case, lead_a):
    RestrictedIdentifiers.objects.filter(case=open_case).delete()
    client.force_login(lead_a)
    response = client.get(details_url(open_case))
    assert response.status_code == 200
    assert "Not recorded for your agency" in response.text


@pytest.mark.parametrize(
    ("text", "short_name", "expected"),
    [
        ("CSC 123456; Police 987", "Police", "987"),
        ("CSC 123456; Police 987", "csc", "123456"),
        ("CSC-7734219", "CSC", "7734219"),
        ("Health: 12\nhealth 13", "HEALTH", "12; 13"),
        ("CSCX 1", "CSC", ""),
        ("Police 987", "CSC", ""),
        ("", "CSC", ""),
        ("Police", "Police", ""),
    ],
)
def test_record_number_for_reads_the_part_labelled_with_the_agency(text, short_name, expected):
    assert identifiers.record_number_for(text, short_name) == expected


@pytest.mark.parametrize(
    ("text", "short_name"),
    [
        ("CSC 123, Police 987", "CSC"),
        ("Police 987, CSC 123", "Police"),
        ("CSC 123 / Police 987", "CSC"),
        ("CSC 123 Police 987", "CSC"),
        ("CSC 123 and the police number is 987", "CSC"),
    ],
)
def test_another_agencys_number_is_never_shown_whatever_the_separator(text, short_name):
    shown = identifiers.record_number_for(text, short_name, ["CSC", "Police"])
    assert "987" not in shown if short_name == "CSC" else "123" not in shown
    assert shown in ("123", "987", identifiers.UNCLEAR_NUMBER)


def test_a_label_of_an_agency_not_in_the_case_is_not_read_as_part_of_a_number():
    # Every agency's name is a label, so "CSC North" is not CSC's "North 77".
    assert identifiers.record_number_for("CSC North 77; CSC 5", "CSC", ["CSC North", "Police"]) == "5"


def test_a_longer_label_of_another_agency_wins():
    text = "Police Scotland 55; Police 9"
    assert identifiers.record_number_for(text, "Police", ["Police Scotland"]) == "9"
    assert identifiers.record_number_for(text, "Police Scotland", ["Police"]) == "55"


def test_a_non_taking_part_agency_gets_404_even_in_the_same_round(client, open_case, agency_b, lead_b):
    other = factories.CaseFactory(round=open_case.round, number=2)
    factories.CaseAgencyFactory(case=other, agency=agency_b, added_by=open_case.round.created_by)
    client.force_login(lead_b)
    assert client.get(details_url(open_case)).status_code == 404
    assert client.get(details_url(other)).status_code == 200
    with pytest.raises(PermissionDenied):
        identifiers.child_details_for_user(user=lead_b, case=open_case)


def test_the_service_refuses_outside_the_window(case, lead_a):
    set_status(case, Status.LEARNING)
    with pytest.raises(PermissionDenied):
        identifiers.child_details_for_user(user=lead_a, case=case)
    assert not AccessEvent.objects.exists()


def test_coordinators_are_sent_to_their_own_page(client, open_case, coordinator):
    client.force_login(coordinator)
    response = client.get(details_url(open_case))
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:case-identifiers", args=[open_case.round_id, open_case.number])


def test_the_tool_and_chronology_link_to_the_panel_while_live(client, tool_a, chronology_a, lead_a):
    case = tool_a.case
    pages = [
        reverse("audits:tool-detail", args=[tool_a.pk]),
        reverse("audits:chronology-detail", args=[chronology_a.pk]),
    ]
    client.force_login(lead_a)
    for url in pages:
        assert details_url(case) in client.get(url).text
    set_status(case, Status.LEARNING)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and details_url(case) not in response.text


def test_the_panel_is_not_linked_from_lists_or_the_case(client, open_case, lead_a):
    client.force_login(lead_a)
    for url in (
        reverse("home"),
        reverse("audits:round-list"),
        open_case.round.get_absolute_url(),
        open_case.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200 and details_url(open_case) not in response.text


def test_the_link_tag_asks_the_rule(open_case, lead_a, coordinator, lead_b):
    assert child_details_link(lead_a, open_case) == details_url(open_case)
    assert child_details_link(coordinator, open_case) == ""
    assert child_details_link(lead_b, open_case) == ""


def test_the_invitation_says_where_the_details_are_without_them(open_case, lead_a, identifier_texts):
    send_round_invitations(open_case.round_id)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert "Child's details" in message.body and "Child's details" in html
    for text in identifier_texts:
        assert text not in message.body and text not in html


# Ending the window early


def test_the_coordinator_is_offered_the_end_while_live(client, open_case, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("audits:case-identifiers", args=[open_case.round_id, open_case.number])).text
    assert end_url(open_case) in page
    set_status(open_case, Status.LEARNING)
    page = client.get(reverse("audits:case-identifiers", args=[open_case.round_id, open_case.number])).text
    assert end_url(open_case) not in page


def test_ending_asks_first_then_ends_for_the_whole_round(client, open_case, agency_a, coordinator, lead_a):
    other = factories.CaseFactory(round=open_case.round, number=2)
    factories.CaseAgencyFactory(case=other, agency=agency_a, added_by=coordinator)
    client.force_login(coordinator)
    confirm = client.get(end_url(open_case))
    assert confirm.status_code == 200
    text = unescape(confirm.text)
    assert "Are you sure" in text and agency_a.name in text and "2 cases" in text
    open_case.round.refresh_from_db()
    assert open_case.round.agency_details_ended_at is None  # a GET changes nothing
    response = client.post(end_url(open_case), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    open_case.round.refresh_from_db()
    assert open_case.round.agency_details_ended_at is not None
    assert open_case.round.history.first().history_user == coordinator
    event = AccessEvent.objects.get(kind=Kind.IDENTIFIERS_CHANGED)
    assert event.what == f"Agencies' access to the identifiers of round {open_case.round_id} ended"
    assert event.user == coordinator and event.ip_address == "192.0.2.7"
    assert not can_see_child_details(lead_a, other)
    page = unescape(client.get(response["Location"]).text)
    assert "Agencies' access to this round's children's details was ended on 23 November 2026" in page


def test_ending_twice_is_refused(client, open_case, coordinator):
    identifiers.agency_details_end(actor=coordinator, audit_round=open_case.round)
    with pytest.raises(ValidationError):
        identifiers.agency_details_end(actor=coordinator, audit_round=open_case.round)
    client.force_login(coordinator)
    assert client.get(end_url(open_case)).status_code == 302  # nothing to confirm
    response = client.post(end_url(open_case), follow=True)
    assert "nothing to end" in response.text
    assert AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_CHANGED).count() == 1


@pytest.mark.parametrize("status", [Status.PLANNING, Status.LEARNING])
def test_ending_outside_the_window_is_refused(case, coordinator, status):
    set_status(case, status)
    with pytest.raises(ValidationError):
        identifiers.agency_details_end(actor=coordinator, audit_round=case.round)


@pytest.mark.parametrize("who", ["lead_a", "administrator"])
def test_only_coordinators_end_it(open_case, request, who):
    with pytest.raises(PermissionDenied):
        identifiers.agency_details_end(actor=request.getfixturevalue(who), audit_round=open_case.round)
    open_case.round.refresh_from_db()
    assert open_case.round.agency_details_ended_at is None


def test_pages_showing_identifiers_are_not_kept_by_the_browser(client, open_case, lead_a, coordinator):
    client.force_login(lead_a)
    assert "no-store" in client.get(details_url(open_case))["Cache-Control"]
    client.force_login(coordinator)
    page = reverse("audits:case-identifiers", args=[open_case.round.pk, open_case.number])
    assert "no-store" in client.get(page)["Cache-Control"]


@pytest.mark.parametrize("superuser", [False, True])
def test_an_administrator_with_an_agency_never_sees_the_childs_details(client, open_case, agency_a, superuser):
    """An administrator (or a superuser) who is also on an agency taking part, however the
    membership came (Django's admin, a shell): 403, nothing read, nothing linked."""
    if superuser:
        person = factories.UserFactory(agency=agency_a, agency_role="lead", is_superuser=True)
    else:
        person = factories.UserFactory(role="Administrator", agency=agency_a, agency_role="lead")
    assert not can_see_child_details(person, open_case)
    assert child_details_link(person, open_case) == ""
    with pytest.raises(PermissionDenied):
        identifiers.child_details_for_user(user=person, case=open_case)
    client.force_login(person)
    response = client.get(details_url(open_case))
    assert response.status_code == 403 and "Zebedee" not in response.text
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()
