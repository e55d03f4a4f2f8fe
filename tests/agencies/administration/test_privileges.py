"""Privileges that are seen: every account made, deactivated or reactivated, every role or agency
change and every coordinator confirmed is in the access log and e-mailed to the administrators
and coordinators, whether made on the service's pages or in Django's admin."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agencies.administration import services
from agencies.models import AccessEvent, Membership, User
from tests import factories
from tests.agencies.accounts.two_factor_helpers import give_authenticator

Kind = AccessEvent.Kind


def kinds():
    """What the log holds, signing in aside."""
    return list(AccessEvent.objects.exclude(kind=Kind.SIGN_IN).order_by("pk").values_list("kind", flat=True))


def test_granting_the_coordinator_role_is_logged_and_emailed(
    administrator, coordinator, lead_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.person_access_change(actor=administrator, person=lead_a, role_names=["Coordinator"], origin="10.0.0.9")
    granted = AccessEvent.objects.get(kind=Kind.ROLE_GRANTED)
    assert granted.what == f"Coordinator role given to user #{lead_a.pk} ({lead_a.email})"
    assert granted.user == administrator and granted.ip_address == "10.0.0.9"
    changed = AccessEvent.objects.get(kind=Kind.AGENCY_CHANGED)
    assert "no agency (was Agency lead, Agency A Children's Services)" in changed.what
    # One message each to the administrators and coordinators, naming the change and who made it.
    assert sorted(message.to[0] for message in mail.outbox) == [administrator.email, coordinator.email]
    body = mail.outbox[0].body
    assert "Coordinator role given to" in body and administrator.email in body
    assert reverse("administration:coordinator-confirm", args=[lead_a.pk]) in body
    assert User.objects.get(pk=lead_a.pk).coordinator_granted_by == administrator


def test_nothing_changed_records_and_sends_nothing(administrator, lead_a, agency_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.person_access_change(actor=administrator, person=lead_a, agency=agency_a, agency_role="lead")
    assert kinds() == [] and mail.outbox == []


def test_deactivating_and_reactivating_are_logged_and_emailed(
    administrator, lead_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.person_deactivate(actor=administrator, person=lead_a)
    assert not User.objects.get(pk=lead_a.pk).is_active
    with django_capture_on_commit_callbacks(execute=True):
        services.person_reactivate(actor=administrator, person=lead_a)
    assert kinds() == [Kind.ACCOUNT_DEACTIVATED, Kind.ACCOUNT_REACTIVATED]
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == f"Access changed: {lead_a}"


def test_an_invitation_records_the_account_and_its_roles(administrator, agency_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_invite(
            actor=administrator,
            full_name="Nia New",
            email="Nia.New@Example.test ",
            role_names=["Board viewer"],
            agency=agency_a,
            agency_role="auditor",
        )
    assert person.email == "nia.new@example.test" and not person.has_usable_password()
    assert kinds() == [Kind.ACCOUNT_CREATED, Kind.ROLE_GRANTED, Kind.AGENCY_CHANGED, Kind.INVITATION_SENT]
    created = AccessEvent.objects.get(kind=Kind.ACCOUNT_CREATED)
    assert (
        created.what
        == f"Account made for user #{person.pk} (nia.new@example.test): Board viewer, Auditor, {agency_a.name}"
    )
    # The notice to the administrator, and the invitation to the person.
    assert sorted(message.to[0] for message in mail.outbox) == [administrator.email, "nia.new@example.test"]


def test_nobody_changes_their_own_access_or_a_superusers(administrator, django_user_model):
    superuser = django_user_model.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
    for person in (administrator, superuser):
        with pytest.raises(PermissionDenied):
            services.person_deactivate(actor=administrator, person=person)
    assert kinds() == []


def test_a_role_given_in_djangos_admin_is_logged_and_emailed(
    client, django_user_model, lead_a, coordinator, django_capture_on_commit_callbacks
):
    superuser = django_user_model.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
    client.force_login(superuser)
    url = reverse("admin:agencies_user_change", args=[lead_a.pk])
    membership = Membership.objects.get(user=lead_a)
    data = {
        "email": lead_a.email,
        "full_name": lead_a.full_name,
        "job_title": "",
        "groups": [Group.objects.get(name="Coordinator").pk],
        "is_active": "on",
        "agency_membership-TOTAL_FORMS": "1",
        "agency_membership-INITIAL_FORMS": "1",
        "agency_membership-MIN_NUM_FORMS": "0",
        "agency_membership-MAX_NUM_FORMS": "1",
        "agency_membership-0-id": membership.pk,
        "agency_membership-0-user": lead_a.pk,
        "agency_membership-0-agency": membership.agency_id,
        "agency_membership-0-role": "auditor",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert kinds() == [Kind.ROLE_GRANTED, Kind.AGENCY_CHANGED]
    assert AccessEvent.objects.get(kind=Kind.ROLE_GRANTED).user == superuser
    assert coordinator.email in [message.to[0] for message in mail.outbox]


def test_an_account_made_in_djangos_admin_is_logged(client, django_user_model, django_capture_on_commit_callbacks):
    superuser = django_user_model.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:agencies_user_add"),
            {
                "email": "made.in.admin@example.test",
                "full_name": "Made In Admin",
                "password1": "a-long-enough-password-1",
                "password2": "a-long-enough-password-1",
                "usable_password": "true",
                "agency_membership-TOTAL_FORMS": "0",
                "agency_membership-INITIAL_FORMS": "0",
                "agency_membership-MIN_NUM_FORMS": "0",
                "agency_membership-MAX_NUM_FORMS": "1",
            },
        )
    assert response.status_code == 302
    event = AccessEvent.objects.get(kind=Kind.ACCOUNT_CREATED)
    assert "made.in.admin@example.test" in event.what and event.user == superuser


def test_only_superusers_use_djangos_admin(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:agencies_user_changelist")).status_code == 302


def test_giving_the_coordinator_role_again_needs_confirming_again(administrator):
    coordinator = factories.UserFactory(role="Coordinator")
    assert User.objects.get(pk=coordinator.pk).identifiers_confirmed
    give_authenticator(coordinator)
    services.person_access_change(actor=administrator, person=coordinator, role_names=[])
    services.person_access_change(actor=administrator, person=coordinator, role_names=["Coordinator"])
    assert not User.objects.get(pk=coordinator.pk).identifiers_confirmed


def test_an_account_deleted_in_djangos_admin_is_logged_as_deleted_and_emailed(
    client, django_user_model, lead_a, coordinator, django_capture_on_commit_callbacks
):
    superuser = django_user_model.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
    client.force_login(superuser)
    pk, email = lead_a.pk, lead_a.email
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:agencies_user_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=pk).exists()
    assert kinds() == [Kind.ACCOUNT_DELETED]
    event = AccessEvent.objects.get(kind=Kind.ACCOUNT_DELETED)
    assert event.user == superuser and event.what == f"Account deleted: user #{pk} ({email})"
    (message,) = [message for message in mail.outbox if message.to == [coordinator.email]]
    assert message.subject == f"Account deleted: user #{pk} ({email})"
    assert f"user #{pk} ({email})" in message.body and "Account deleted" in message.body
