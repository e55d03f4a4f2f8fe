"""Every view and change of restricted identifiers is in the access log, naming the round and
case, never the child."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import AccessEvent
from audits.models import AuditRound, RestrictedIdentifiers
from audits.rounds import identifiers, services

Kind = AccessEvent.Kind

CSV = b"reference,child_name,date_of_birth,plan_type\nQX-4471,Zebedee Quillfeather,29/02/2016,CIN\n"


def identifiers_url(case, edit=False):
    return reverse(
        "audits:case-identifiers-edit" if edit else "audits:case-identifiers", args=[case.round_id, case.number]
    )


def assert_log_holds_no_identifier(identifier_texts):
    for event in AccessEvent.objects.all():
        row = " ".join(str(value) for value in vars(event).values()).lower()
        for text in [*identifier_texts, "QX-4471", "CSC-7734219", "Thistlewood"]:
            assert text.lower() not in row


def test_viewing_identifiers_adds_a_row_without_them(client, coordinator, case, identifier_texts):
    client.force_login(coordinator)
    response = client.get(identifiers_url(case))
    assert response.status_code == 200
    assert "Zebedee Quillfeather" in response.text
    event = AccessEvent.objects.get(kind=Kind.IDENTIFIERS_VIEWED)
    assert event.what == f"Identifiers of round {case.round_id} case {case.number}"
    assert event.user == coordinator and event.user_email == coordinator.email
    assert event.ip_address == "127.0.0.1"
    client.get(identifiers_url(case))
    assert AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).count() == 2
    assert_log_holds_no_identifier(identifier_texts)


def test_the_change_form_is_a_view_and_saving_is_a_change(client, coordinator, case, identifier_texts):
    client.force_login(coordinator)
    client.get(identifiers_url(case, edit=True))
    assert AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).count() == 1
    response = client.post(
        identifiers_url(case, edit=True),
        {
            "child_name": "Marigold Thistlewood",
            "date_of_birth_0": "3",
            "date_of_birth_1": "4",
            "date_of_birth_2": "2014",
            "record_numbers": "CSC-7734219",
        },
    )
    assert response.status_code == 302
    assert RestrictedIdentifiers.objects.get(case=case).date_of_birth == datetime.date(2014, 4, 3)
    change = AccessEvent.objects.get(kind=Kind.IDENTIFIERS_CHANGED)
    assert change.what == f"Identifiers of round {case.round_id} case {case.number}"
    assert change.user == coordinator and change.ip_address == "127.0.0.1"
    # Posting reads nothing stored, so it is not also a view.
    assert AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).count() == 1
    assert_log_holds_no_identifier(identifier_texts)


def test_an_invalid_change_is_not_recorded_as_a_change(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(
        identifiers_url(case, edit=True),
        {"child_name": "x", "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2014"},
    )
    assert response.status_code == 200
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_CHANGED).exists()


@pytest.mark.parametrize("who", ["lead_a", "administrator", "board_viewer"])
def test_refused_people_leave_no_view_row(client, request, case, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(identifiers_url(case))
    assert response.status_code in (403, 404)
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()


def test_adding_a_case_with_identifiers_is_a_change(audit_round, coordinator, identifier_texts):
    case = services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="",
        age_band="5_9",
        plan_type="cin",
        needs=[],
        child_name="Zebedee Quillfeather",
        date_of_birth=datetime.date(2016, 2, 29),
    )
    event = AccessEvent.objects.get(kind=Kind.IDENTIFIERS_CHANGED)
    assert event.what == f"Identifiers of round {audit_round.pk} case {case.number}"
    assert event.user == coordinator
    assert_log_holds_no_identifier(identifier_texts)


def test_checking_a_draw_is_a_view_of_the_candidate_list(client, audit_round, coordinator, identifier_texts):
    draw = services.draw_preview(
        actor=coordinator, audit_round=audit_round, data=CSV, file_name="list.csv", number_of_cases=1, strata=[], seed=1
    )
    client.force_login(coordinator)
    url = reverse("audits:draw-preview", args=[audit_round.pk, draw.pk])
    response = client.get(url)
    assert response.status_code == 200 and "QX-4471" in response.text
    event = AccessEvent.objects.get(kind=Kind.IDENTIFIERS_VIEWED)
    assert event.what == f"Candidate list of round {audit_round.pk} draw {draw.pk}"
    uploaded = AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_CHANGED).count()
    assert uploaded == 1  # the candidate list's upload, recorded by draw_preview
    client.post(url)
    assert AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_CHANGED).count() == uploaded + 1  # the case it added
    assert_log_holds_no_identifier(identifier_texts)


def test_identifiers_added_with_a_case_or_a_draw_are_logged_with_the_address(client, audit_round, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("audits:case-add", args=[audit_round.pk]),
        {
            "summary": "",
            "age_band": "5_9",
            "plan_type": "cin",
            "child_name": "Fictional Person",
            "record_numbers": "",
        },
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 302, response.text
    changed = AccessEvent.objects.get(kind=AccessEvent.Kind.IDENTIFIERS_CHANGED)
    assert changed.ip_address == "192.0.2.9"


def child_details_url(case):
    return reverse("audits:case-child-details", args=[case.round_id, case.number])


@pytest.mark.parametrize("who", ["lead_a", "auditor_a"])
def test_each_view_of_the_childs_details_adds_a_row_without_them(client, request, open_case, who, identifier_texts):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(child_details_url(open_case), REMOTE_ADDR="192.0.2.4")
    assert "Zebedee Quillfeather" in response.text
    event = AccessEvent.objects.get(kind=Kind.IDENTIFIERS_VIEWED)
    assert event.what == f"Identifiers of round {open_case.round_id} case {open_case.number}"
    assert event.user == user and event.ip_address == "192.0.2.4"
    client.get(child_details_url(open_case))
    assert AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED, user=user).count() == 2
    assert_log_holds_no_identifier(identifier_texts)


@pytest.mark.parametrize("who", ["lead_b", "administrator", "board_viewer", "coordinator"])
def test_no_view_row_for_those_not_shown_the_childs_details(client, request, open_case, who):
    client.force_login(request.getfixturevalue(who))
    client.get(child_details_url(open_case))
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()


@pytest.mark.parametrize("status", [AuditRound.Status.LEARNING, AuditRound.Status.CLOSED])
def test_no_view_row_after_the_window(client, open_case, lead_a, status):
    AuditRound.objects.filter(pk=open_case.round_id).update(status=status)
    client.force_login(lead_a)
    assert client.get(child_details_url(open_case)).status_code == 200
    assert not AccessEvent.objects.filter(kind=Kind.IDENTIFIERS_VIEWED).exists()


def test_ending_the_agencies_access_is_logged_without_identifiers(open_case, coordinator, identifier_texts):
    identifiers.agency_details_end(actor=coordinator, audit_round=open_case.round, origin="192.0.2.5")
    event = AccessEvent.objects.get(kind=Kind.IDENTIFIERS_CHANGED)
    assert event.what == f"Agencies' access to the identifiers of round {open_case.round_id} ended"
    assert event.user == coordinator and event.ip_address == "192.0.2.5"
    assert_log_holds_no_identifier(identifier_texts)
