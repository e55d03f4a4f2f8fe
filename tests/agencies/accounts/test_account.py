"""Your account: the page, changing the password, new recovery codes; administrators resetting
someone's two-factor sign-in."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import AccessEvent, User
from tests.agencies.accounts.two_factor_helpers import (
    RECOVERY_CODE,
    confirm_identity,
    give_authenticator,
    sign_in_verified,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.two_factor

ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]
OWN_ACCOUNT_URLS = ["account", "account-password", "account-recovery-codes"]
NEW_PASSWORD = "a-long-new-passphrase-2026"


def events(kind):
    return list(AccessEvent.objects.filter(kind=kind))


# --- Access ---


@pytest.mark.parametrize("url_name", [*OWN_ACCOUNT_URLS, "two-factor-recovery-codes"])
def test_anonymous_people_are_sent_to_sign_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in") + "?next=")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", OWN_ACCOUNT_URLS)
def test_every_role_reaches_their_own_account_pages(client, request, role, url_name):
    sign_in_verified(client, request.getfixturevalue(role))
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_account_pages_need_the_code_first(client, request, role):
    user = request.getfixturevalue(role)
    give_authenticator(user)
    client.force_login(user)
    response = client.get(reverse("account"))
    assert response["Location"] == reverse("two-factor-code") + "?next=%2Faccount%2F"


@pytest.mark.parametrize("url_name", ["account", "two-factor-recovery-codes"])
def test_get_only_pages_refuse_posts(client, lead_a, url_name):
    sign_in_verified(client, lead_a)
    assert client.post(reverse(url_name)).status_code == 405


def test_account_recovery_codes_refuses_other_methods(client, lead_a):
    sign_in_verified(client, lead_a)
    assert client.put(reverse("account-recovery-codes")).status_code == 405


# --- The page ---


def test_account_page_shows_name_email_role_and_two_factor(client, lead_a):
    sign_in_verified(client, lead_a)
    page = client.get(reverse("account"))
    assert "Your account" in page.text
    assert lead_a.full_name in page.text
    assert lead_a.email in page.text
    assert "Agency lead, Agency A Children&#x27;s Services" in page.text
    assert "You have 1 recovery code left" in page.text
    assert reverse("account-password") in page.text
    assert reverse("account-recovery-codes") in page.text
    # The header's "Your account" link is marked as the current page.
    assert 'aria-current="true"' in page.text


def test_account_link_is_in_the_header(client, coordinator):
    sign_in_verified(client, coordinator)
    page = client.get(reverse("home"))
    assert f'href="{reverse("account")}"' in page.text
    assert "Your account" in page.text


def test_without_the_requirement_the_account_page_offers_to_set_up(client, settings, board_viewer):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(board_viewer)
    page = client.get(reverse("account"))
    assert page.status_code == 200
    assert "Set up two-factor sign-in" in page.text
    assert "Board viewer" in page.text


# --- Changing the password ---


def test_changing_the_password_keeps_this_session_and_signs_out_every_other(client, coordinator):
    elsewhere = Client()
    sign_in_verified(elsewhere, coordinator)
    assert elsewhere.get(reverse("home")).status_code == 200
    sign_in_verified(client, coordinator)
    response = client.post(
        reverse("account-password"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("account")
    page = client.get(reverse("account"))
    assert page.status_code == 200
    assert "Your password has been changed" in page.text
    assert User.objects.get(pk=coordinator.pk).check_password(NEW_PASSWORD)
    assert elsewhere.get(reverse("home"))["Location"].startswith(reverse("sign-in"))
    (event,) = events(AccessEvent.Kind.PASSWORD_CHANGED)
    assert event.user == coordinator
    assert NEW_PASSWORD not in event.what


def test_a_wrong_current_password_changes_nothing(client, coordinator):
    sign_in_verified(client, coordinator)
    response = client.post(
        reverse("account-password"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Your current password is wrong" in response.text
    assert NEW_PASSWORD not in response.text
    assert User.objects.get(pk=coordinator.pk).check_password(PASSWORD)
    assert not events(AccessEvent.Kind.PASSWORD_CHANGED)


def test_an_empty_password_form_names_every_field(client, coordinator):
    sign_in_verified(client, coordinator)
    response = client.post(reverse("account-password"), {})
    for message in ["Enter your current password", "Enter a new password", "Confirm your new password"]:
        assert message in response.text


# --- New recovery codes ---


def test_new_recovery_codes_replace_the_old_and_are_shown_once(client, auditor_a):
    sign_in_verified(client, auditor_a)
    confirm_identity(client)
    page = client.get(reverse("account-recovery-codes"))
    assert "Your old recovery codes will stop working" in page.text
    response = client.post(reverse("account-recovery-codes"))
    assert response["Location"] == reverse("two-factor-recovery-codes")
    codes = list(StaticToken.objects.filter(device__user=auditor_a).values_list("token", flat=True))
    assert len(codes) == 10
    assert RECOVERY_CODE not in codes
    shown = client.get(reverse("two-factor-recovery-codes"))
    assert all(code in shown.text for code in codes)
    assert f'href="{reverse("account")}"' in shown.text
    assert client.get(reverse("two-factor-recovery-codes"))["Location"] == reverse("account")
    (event,) = events(AccessEvent.Kind.TWO_FACTOR_SET_UP)
    assert event.what == "New recovery codes"


def test_new_recovery_codes_need_an_authenticator(client, settings, auditor_a):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(auditor_a)
    assert client.post(reverse("account-recovery-codes"))["Location"] == reverse("two-factor-set-up")
    assert not StaticDevice.objects.filter(user=auditor_a).exists()


# --- Administrators reset someone's two-factor sign-in ---


def _reset(client, *users):
    """Reset each person's two-factor sign-in from their page in the service (agencies/administration)."""
    for user in users:
        response = client.post(reverse("administration:person-two-factor-reset", args=[user.pk]), follow=True)
    return response


def test_administrator_resets_someones_two_factor(client, administrator, lead_a):
    give_authenticator(lead_a)
    sign_in_verified(client, administrator)
    response = _reset(client, lead_a)
    assert f"Two-factor sign-in reset for {lead_a}" in response.text
    assert not TOTPDevice.objects.filter(user=lead_a).exists()
    assert not StaticDevice.objects.filter(user=lead_a).exists()
    (event,) = events(AccessEvent.Kind.TWO_FACTOR_RESET)
    assert event.user == administrator
    assert event.what == f"Two-factor reset for user #{lead_a.pk}"
    # At their next sign-in they set it up again.
    other = Client()
    other.post(reverse("sign-in"), {"username": lead_a.email, "password": PASSWORD})
    assert other.get(reverse("home"))["Location"] == reverse("two-factor-set-up")


def test_a_reset_ends_the_verified_sessions_of_that_person(client, administrator, lead_a):
    lead = Client()
    sign_in_verified(lead, lead_a)
    assert lead.get(reverse("home")).status_code == 200
    sign_in_verified(client, administrator)
    _reset(client, lead_a)
    assert lead.get(reverse("home"))["Location"] == reverse("two-factor-set-up")


def test_administrator_cannot_reset_their_own(client, administrator, lead_a):
    sign_in_verified(client, administrator)
    give_authenticator(lead_a)
    own = client.post(reverse("administration:person-two-factor-reset", args=[administrator.pk]))
    assert own.status_code == 403
    _reset(client, lead_a)
    assert TOTPDevice.objects.filter(user=administrator).exists()
    assert not TOTPDevice.objects.filter(user=lead_a).exists()
    (event,) = events(AccessEvent.Kind.TWO_FACTOR_RESET)
    assert event.what == f"Two-factor reset for user #{lead_a.pk}"


def test_people_without_the_administrator_role_cannot_reset(client, coordinator, lead_a):
    give_authenticator(lead_a)
    sign_in_verified(client, coordinator)
    response = client.post(reverse("administration:person-two-factor-reset", args=[lead_a.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=lead_a).exists()


@pytest.mark.parametrize("url_name", [*OWN_ACCOUNT_URLS, "two-factor-code", "two-factor-set-up"])
def test_pages_answer_head_and_refuse_put(client, lead_a, url_name):
    sign_in_verified(client, lead_a)
    assert client.head(reverse(url_name)).status_code in (200, 302)
    assert client.put(reverse(url_name)).status_code == 405


def test_a_head_request_does_not_use_up_the_showing_of_new_codes(client, lead_a):
    sign_in_verified(client, lead_a)
    confirm_identity(client)
    client.post(reverse("account-recovery-codes"))
    assert client.head(reverse("two-factor-recovery-codes")).status_code == 200
    assert client.get(reverse("two-factor-recovery-codes")).status_code == 200
    assert client.get(reverse("two-factor-recovery-codes")).status_code == 302


def test_the_people_list_shows_who_has_set_up_two_factor(client, administrator, lead_a, lead_b):
    give_authenticator(lead_a)
    sign_in_verified(client, administrator)
    page = client.get(reverse("administration:person-list"))
    assert page.status_code == 200
    row_a = page.text.split(lead_a.email, 1)[1].split("</tr>", 1)[0]
    row_b = page.text.split(lead_b.email, 1)[1].split("</tr>", 1)[0]
    assert "No two-factor yet" not in row_a and "No two-factor yet" in row_b
