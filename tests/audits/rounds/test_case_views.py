import pytest
from django.urls import reverse

from audits.models import Case, CaseAgency, RestrictedIdentifiers
from tests import factories


def test_add_case_by_hand_with_identifiers(client, coordinator, audit_round):
    client.force_login(coordinator)
    response = client.post(
        reverse("audits:case-add", args=[audit_round.pk]),
        {
            "summary": "Child 1 lives with an aunt.",
            "age_band": "10_15",
            "plan_type": "lac",
            "child_name": "Fictional Person",
            "date_of_birth_0": "4",
            "date_of_birth_1": "7",
            "date_of_birth_2": "2013",
            "record_numbers": "CSC 55",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("audits:case-agencies", args=[audit_round.pk, 1])
    assert RestrictedIdentifiers.objects.get(case=case).date_of_birth.year == 2013


def test_add_case_errors_keep_the_summary(client, coordinator, audit_round):
    client.force_login(coordinator)
    response = client.post(reverse("audits:case-add", args=[audit_round.pk]), {"summary": "Typed summary text"})
    assert "Select the child&#x27;s age band" in response.text
    assert "Typed summary text" in response.text
    assert not Case.objects.exists()


def test_choose_agencies(client, coordinator, case, agency_b):
    client.force_login(coordinator)
    url = reverse("audits:case-agencies", args=[case.round.pk, case.number])
    assert client.post(url, {}).status_code == 200
    response = client.post(url, {"agencies": [agency_b.pk]})
    assert response.status_code == 302
    assert list(CaseAgency.objects.filter(case=case).values_list("agency", flat=True)) == [agency_b.pk]


def test_removing_agency_once_open_is_refused_with_message(client, coordinator, case, agency_a, agency_b):
    from audits.rounds import services

    services.round_advance(actor=coordinator, audit_round=case.round, from_status="planning")
    client.force_login(coordinator)
    url = reverse("audits:case-agencies", args=[case.round.pk, case.number])
    response = client.post(url, {"agencies": [agency_b.pk]})
    assert response.status_code == 200
    assert "cannot be taken off a case" in response.text
    assert CaseAgency.objects.filter(case=case, agency=agency_a).exists()


def test_edit_case(client, coordinator, case):
    need = factories.Need = None  # noqa: F841 - needs are seeded by migration
    from audits.models import Need

    neglect = Need.objects.get(slug="neglect")
    client.force_login(coordinator)
    url = reverse("audits:case-edit", args=[case.round.pk, case.number])
    response = client.post(url, {"summary": "New", "age_band": "1_4", "plan_type": "cp", "needs": [neglect.pk]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.summary, case.plan_type, list(case.needs.all())) == ("New", "cp", [neglect])


def test_identifiers_page_and_edit(client, coordinator, case, identifier_texts):
    client.force_login(coordinator)
    page = client.get(reverse("audits:case-identifiers", args=[case.round.pk, case.number])).text
    assert "Zebedee Quillfeather" in page
    response = client.post(
        reverse("audits:case-identifiers-edit", args=[case.round.pk, case.number]),
        {
            "child_name": "Other Fictional",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "2016",
            "record_numbers": "",
        },
    )
    assert response.status_code == 200
    assert "The date of birth must be a real date" in response.text
    assert 'value="Other Fictional"' in response.text


@pytest.mark.parametrize("role", ["lead_a", "auditor_a", "administrator", "coordinator"])
def test_restricted_identifiers_never_appear_on_shared_pages(client, request, open_case, role, identifier_texts):
    case = open_case
    client.force_login(request.getfixturevalue(role))
    for url in [
        reverse("home"),
        reverse("audits:round-list"),
        case.round.get_absolute_url(),
        case.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        page = response.text
        for text in identifier_texts:
            assert text not in page, f"{text!r} on {url} for {role}"


def test_lead_never_reaches_identifiers(client, open_case, lead_a, identifier_texts):
    case = open_case
    client.force_login(lead_a)
    response = client.get(reverse("audits:case-identifiers", args=[case.round.pk, case.number]))
    assert response.status_code == 403
    assert "Quillfeather" not in response.text
    assert "View restricted identifiers" not in client.get(case.get_absolute_url()).text
