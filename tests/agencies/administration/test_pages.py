"""The administration pages: changes ask for confirmation first, bad input comes back in an
error summary with what was typed, and the lists cost the same queries whatever their length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.administration import services
from agencies.models import AccessEvent, Agency, Area, Membership, User
from audits.models import Need
from tests import factories


@pytest.fixture
def signed_in(client, administrator):
    client.force_login(administrator)
    return client


def test_changing_access_asks_to_confirm_first(signed_in, lead_a, agency_b):
    url = reverse("administration:person-access", args=[lead_a.pk])
    data = {"roles": ["Board viewer"], "agency": agency_b.pk, "agency_role": "auditor"}
    page = signed_in.post(url, data)
    assert page.status_code == 200
    assert "Are you sure you want to change this person's access?" in page.text
    assert "Board viewer" in page.text and agency_b.name in page.text
    assert Membership.objects.get(user=lead_a).agency != agency_b  # nothing changed yet
    done = signed_in.post(url, {**data, "confirmed": "yes"})
    assert done.status_code == 302
    membership = Membership.objects.get(user=lead_a)
    assert (membership.agency, membership.role) == (agency_b, "auditor")
    assert User.objects.get(pk=lead_a.pk).groups.filter(name="Board viewer").exists()


def test_an_agency_without_a_role_there_is_refused_in_the_summary(signed_in, lead_a, agency_b):
    page = signed_in.post(reverse("administration:person-access", args=[lead_a.pk]), {"agency": agency_b.pk})
    assert "govuk-error-summary" in page.text
    assert "Choose whether they are the agency" in page.text


def test_an_invitation_with_bad_input_keeps_what_was_typed(signed_in, coordinator):
    page = signed_in.post(
        reverse("administration:person-invite"),
        {"full_name": "Kept Name", "email": coordinator.email, "roles": ["Coordinator", "Administrator"]},
    )
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert 'value="Kept Name"' in page.text
    assert "both an administrator and a coordinator" in page.text
    page = signed_in.post(
        reverse("administration:person-invite"), {"full_name": "Kept Name", "email": coordinator.email}
    )
    assert "There is already an account with this e-mail address" in page.text
    assert not User.objects.filter(full_name="Kept Name").exists()


def test_deactivating_asks_first_then_ends_the_account(signed_in, client, lead_a):
    url = reverse("administration:person-deactivate", args=[lead_a.pk])
    assert "Are you sure you want to deactivate this account?" in signed_in.get(url).text
    assert User.objects.get(pk=lead_a.pk).is_active
    signed_in.post(url)
    assert not User.objects.get(pk=lead_a.pk).is_active
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.ACCOUNT_DEACTIVATED).count() == 1
    again = signed_in.post(url, follow=True)
    assert "This account is already deactivated" in again.text


def test_an_administrator_cannot_open_changes_to_their_own_account(signed_in, administrator):
    for name in ("person-access", "person-deactivate", "person-two-factor-reset"):
        assert signed_in.get(reverse(f"administration:{name}", args=[administrator.pk])).status_code == 403


def test_agencies_list_their_leads(signed_in, lead_a, agency_b):
    page = signed_in.get(reverse("administration:agency-list"))
    row_a = page.text.split("Agency A Children", 1)[1].split("</tr>", 1)[0]
    assert str(lead_a) in row_a
    row_b = page.text.split("Agency B Police", 1)[1].split("</tr>", 1)[0]
    assert "No lead" in row_b


def test_an_agency_name_taken_is_refused(signed_in, agency_a):
    page = signed_in.post(
        reverse("administration:agency-add"), {"name": agency_a.name, "short_name": "New", "sector": "police"}
    )
    assert "There is already an agency with this name" in page.text and "govuk-error-summary" in page.text
    signed_in.post(
        reverse("administration:agency-edit", args=[agency_a.pk]),
        {"name": "Renamed agency", "short_name": agency_a.short_name, "sector": "police"},
    )
    agency = Agency.objects.get(pk=agency_a.pk)
    assert agency.name == "Renamed agency" and not agency.is_active


def test_areas_and_needs_are_added_and_changed(signed_in):
    signed_in.post(reverse("administration:area-add"), {"name": "Westshire", "short_name": "WS"})
    area = Area.objects.get(short_name="WS")
    signed_in.post(reverse("administration:area-edit", args=[area.pk]), {"name": "West Shire", "short_name": "WS"})
    assert Area.objects.get(pk=area.pk).name == "West Shire"
    signed_in.post(reverse("administration:need-add"), {"name": "Young carer role", "slug": "young-carer-role"})
    assert Need.objects.filter(slug="young-carer-role").exists()
    page = signed_in.post(reverse("administration:need-add"), {"name": "Bad", "slug": "Not a slug!"})
    assert "Use only lower-case letters" in page.text


def test_the_people_list_costs_the_same_queries_for_more_people(signed_in, agency_a):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(reverse("administration:person-list")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(6):
        factories.UserFactory(role="Board viewer", agency=agency_a, agency_role="auditor")
    assert queries() == few


def test_invited_means_one_thing_on_the_list_and_the_persons_page(signed_in, administrator, lead_a):
    """Invited: active and never set a password, whether or not the link was sent or has expired
    (``User.account_status``); a deactivated one is Deactivated on both pages."""
    invited = services.person_invite(actor=administrator, full_name="Ivy Waiting", email="ivy@example.test")
    # The invitation task has not run: no Invitation row, yet the person is invited.
    listed = signed_in.get(reverse("administration:person-list")).text
    row = listed.split("Ivy Waiting", 1)[1].split("</tr>", 1)[0]
    assert "govuk-tag--blue" in row and ">Invited<" in row
    page = signed_in.get(reverse("administration:person-detail", args=[invited.pk])).text
    assert ">Invited<" in page and "Send a new invitation" in page
    services.person_deactivate(actor=administrator, person=invited)
    listed = signed_in.get(reverse("administration:person-list")).text
    assert ">Deactivated<" in listed.split("Ivy Waiting", 1)[1].split("</tr>", 1)[0]
    page = signed_in.get(reverse("administration:person-detail", args=[invited.pk])).text
    assert ">Deactivated<" in page and ">Invited<" not in page and "Send a new invitation" not in page
    lead_row = listed.split(lead_a.email, 1)[1].split("</tr>", 1)[0]
    assert ">No two-factor yet<" in lead_row
