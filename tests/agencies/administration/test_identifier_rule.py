"""A new coordinator sees no child's identifiers until they have set up two-factor sign-in and
someone else (another confirmed coordinator or an administrator, never whoever gave them the
role) has confirmed them; administrators and superusers never see identifiers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.administration import services
from agencies.models import AccessEvent, User
from agencies.permissions import can_read_identifiers
from tests import factories
from tests.agencies.accounts.two_factor_helpers import give_authenticator


def identifiers_url(case):
    return reverse("audits:case-identifiers", args=[case.round_id, case.number])


@pytest.fixture
def second_administrator(db):
    return factories.UserFactory(email="admin2@example.test", role="Administrator")


@pytest.fixture
def new_coordinator(administrator, lead_b):
    """lead_b, given the Coordinator role by the administrator (and leaving agency B)."""
    services.person_access_change(actor=administrator, person=lead_b, role_names=["Coordinator"])
    return User.objects.get(pk=lead_b.pk)


def test_a_new_coordinator_sees_no_identifiers_until_confirmed(client, new_coordinator, coordinator, case):
    client.force_login(new_coordinator)
    assert client.get(identifiers_url(case)).status_code == 403
    give_authenticator(new_coordinator)
    # Set up two-factor sign-in, still not confirmed: still refused.
    assert client.get(identifiers_url(case)).status_code == 403
    services.coordinator_confirm(actor=coordinator, person=new_coordinator, origin="10.1.1.1")
    response = client.get(identifiers_url(case))
    assert response.status_code == 200 and "Zebedee Quillfeather" in response.text
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.COORDINATOR_CONFIRMED)
    assert event.user == coordinator and str(new_coordinator.pk) in event.what


def test_confirmation_waits_for_two_factor_sign_in(new_coordinator, coordinator):
    with pytest.raises(ValidationError, match="two-factor"):
        services.coordinator_confirm(actor=coordinator, person=new_coordinator)
    assert not User.objects.get(pk=new_coordinator.pk).identifiers_confirmed


def test_whoever_gave_the_role_cannot_confirm_it(new_coordinator, administrator, second_administrator):
    give_authenticator(new_coordinator)
    with pytest.raises(ValidationError, match="someone else"):
        services.coordinator_confirm(actor=administrator, person=new_coordinator)
    services.coordinator_confirm(actor=second_administrator, person=new_coordinator)
    assert User.objects.get(pk=new_coordinator.pk).identifiers_confirmed


def test_an_unconfirmed_coordinator_confirms_nobody(administrator, new_coordinator):
    other = factories.UserFactory(role="Coordinator", confirmed=False)
    give_authenticator(other)
    give_authenticator(new_coordinator)
    with pytest.raises(PermissionDenied):
        services.coordinator_confirm(actor=new_coordinator, person=other)
    assert not User.objects.get(pk=other.pk).identifiers_confirmed


def test_administrators_and_superusers_never_read_identifiers(client, administrator, django_user_model, case):
    root = django_user_model.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
    for user in (administrator, root):
        client.force_login(user)
        assert client.get(identifiers_url(case)).status_code == 403
        assert not can_read_identifiers(user)


def test_the_confirmation_can_be_switched_off(settings, new_coordinator):
    assert not can_read_identifiers(new_coordinator)
    settings.COORDINATOR_CONFIRMATION_REQUIRED = False
    assert can_read_identifiers(new_coordinator)


def test_an_administrator_cannot_also_be_a_coordinator(administrator, lead_a):
    with pytest.raises(ValidationError, match="both an administrator and a coordinator"):
        services.person_access_change(actor=administrator, person=lead_a, role_names=["Coordinator", "Administrator"])


def test_the_confirm_page_asks_first_then_confirms(client, new_coordinator, coordinator):
    give_authenticator(new_coordinator)
    url = reverse("administration:coordinator-confirm", args=[new_coordinator.pk])
    client.force_login(coordinator)
    page = client.get(url)
    assert page.status_code == 200 and "Are you sure you want to confirm this coordinator?" in page.text
    assert not User.objects.get(pk=new_coordinator.pk).identifiers_confirmed
    assert client.post(url).status_code == 302
    assert User.objects.get(pk=new_coordinator.pk).identifiers_confirmed_by == coordinator


def test_the_confirm_page_says_why_not(client, new_coordinator, administrator):
    give_authenticator(new_coordinator)
    client.force_login(administrator)
    page = client.get(reverse("administration:coordinator-confirm", args=[new_coordinator.pk]))
    assert "You gave this person the Coordinator role" in page.text
    assert "Yes, confirm them" not in page.text
