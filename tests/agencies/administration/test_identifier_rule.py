"""A new coordinator sees no child's identifiers until they have set up two-factor sign-in and
someone else (another confirmed coordinator or an administrator, never whoever gave them the
role) has confirmed them; administrators and superusers never see identifiers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.administration import services
from agencies.administration.permissions import confirmation_refusal
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


# An administrator with an agency -------------------------------------------------------------


def test_an_administrator_cannot_be_made_staff_of_an_agency(administrator, lead_a, agency_a):
    with pytest.raises(ValidationError, match="An administrator cannot also be staff of an agency"):
        services.person_access_change(
            actor=administrator, person=lead_a, role_names=["Administrator"], agency=agency_a, agency_role="lead"
        )
    with pytest.raises(ValidationError, match="An administrator cannot also be staff of an agency"):
        services.person_invite(
            actor=administrator,
            full_name="Ada Both",
            email="ada@example.test",
            role_names=["Administrator"],
            agency=agency_a,
            agency_role="auditor",
        )
    assert not User.objects.get(pk=lead_a.pk).groups.exists()


def test_the_access_form_refuses_an_administrator_with_an_agency_and_says_why(client, administrator, lead_a, agency_a):
    client.force_login(administrator)
    page = client.post(
        reverse("administration:person-access", args=[lead_a.pk]),
        {"roles": ["Administrator"], "agency": agency_a.pk, "agency_role": "lead"},
    )
    assert page.status_code == 200 and "govuk-error-summary" in page.text
    assert "An administrator cannot also be staff of an agency" in page.text
    assert "Are you sure" not in page.text


# Four eyes: nobody confirms a coordinator through an account the giver made or raised ---------------


def invite(actor, email, role):
    return services.person_invite(actor=actor, full_name=email.split("@")[0], email=email, role_names=[role])


@pytest.fixture
def root(django_user_model):
    """A superuser made outside the service (createsuperuser): answerable to nobody in it."""
    return django_user_model.objects.create_superuser(email="root@example.test", password="x", full_name="Root")


def test_an_administrator_the_giver_invited_cannot_confirm(root):
    a = invite(root, "a@example.test", "Administrator")
    independent = invite(root, "d@example.test", "Administrator")
    b = invite(a, "b@example.test", "Administrator")
    c = invite(a, "c@example.test", "Coordinator")
    give_authenticator(c)
    with pytest.raises(ValidationError, match="made or given by the person who gave"):
        services.coordinator_confirm(actor=User.objects.get(pk=b.pk), person=c)
    assert not User.objects.get(pk=c.pk).identifiers_confirmed
    # Someone independent of A, who was an administrator before C's role was given, may.
    services.coordinator_confirm(actor=User.objects.get(pk=independent.pk), person=c)
    assert User.objects.get(pk=c.pk).identifiers_confirmed


def test_nor_through_a_longer_chain_or_a_role_the_giver_gave(root, lead_a):
    a = invite(root, "a@example.test", "Administrator")
    b = invite(a, "b@example.test", "Administrator")
    d = invite(b, "d@example.test", "Administrator")  # made by B, whom A made
    # An older account that A raised to Administrator (it was not A's to make).
    services.person_access_change(actor=a, person=lead_a, role_names=["Administrator"])
    c = invite(a, "c@example.test", "Coordinator")
    give_authenticator(c)
    for confirmer in (d, lead_a):
        refusal = confirmation_refusal(User.objects.get(pk=confirmer.pk), User.objects.get(pk=c.pk))
        assert "made or given by the person who gave" in refusal


def test_a_role_given_after_the_one_to_confirm_cannot_confirm_it(root, clock):
    a = invite(root, "a@example.test", "Administrator")
    c = invite(a, "c@example.test", "Coordinator")
    give_authenticator(c)
    clock.shift(datetime.timedelta(minutes=5))
    late = invite(root, "late@example.test", "Administrator")  # not A's, but newer than C's role
    with pytest.raises(ValidationError, match="given after this person's Coordinator role"):
        services.coordinator_confirm(actor=User.objects.get(pk=late.pk), person=c)
    early = User.objects.get(email="a@example.test")
    assert "gave this person the Coordinator role" in confirmation_refusal(early, c)


def test_the_stamps_are_kept_by_every_grant(root, lead_a):
    a = invite(root, "a@example.test", "Administrator")
    services.person_access_change(actor=a, person=lead_a, role_names=["Coordinator"])
    a, lead_a = User.objects.get(pk=a.pk), User.objects.get(pk=lead_a.pk)
    assert (a.invited_by, a.administrator_granted_by) == (root, root)
    assert (lead_a.invited_by, lead_a.coordinator_granted_by) == (None, a)
    assert a.role_granted_at <= lead_a.role_granted_at <= timezone.now()


# A two-factor reset ---------------------------------------------------------------------------


def test_a_two_factor_reset_clears_a_coordinators_confirmation_and_logs_it(client, administrator, coordinator, case):
    give_authenticator(coordinator)
    assert can_read_identifiers(User.objects.get(pk=coordinator.pk))
    services.person_two_factor_reset(actor=administrator, person=coordinator, origin="10.2.2.2")
    fresh = User.objects.get(pk=coordinator.pk)
    assert not fresh.identifiers_confirmed and fresh.identifiers_confirmed_by is None
    assert not can_read_identifiers(fresh)
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.COORDINATOR_UNCONFIRMED)
    assert event.user == administrator and f"user #{coordinator.pk}" in event.what
    client.force_login(fresh)
    assert client.get(identifiers_url(case)).status_code == 403


def test_a_two_factor_reset_of_someone_unconfirmed_logs_no_confirmation(administrator, lead_a):
    give_authenticator(lead_a)
    services.person_two_factor_reset(actor=administrator, person=lead_a)
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.COORDINATOR_UNCONFIRMED).exists()
