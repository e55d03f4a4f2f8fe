"""Replacing the authenticator app or the recovery codes asks for the password and a current
code first ("Confirm it is you"), so that a session left open cannot swap the second factor."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.accounts import two_factor
from agencies.models import AccessEvent
from tests.agencies.accounts.two_factor_helpers import RECOVERY_CODE, code_for, give_authenticator, sign_in_verified
from tests.factories import PASSWORD

pytestmark = pytest.mark.two_factor

SET_UP_URL = reverse("two-factor-set-up")
CODES_URL = reverse("account-recovery-codes")
Kind = AccessEvent.Kind


@pytest.mark.parametrize("url", [SET_UP_URL, CODES_URL])
def test_a_verified_session_is_asked_to_confirm_first(client, lead_a, url):
    sign_in_verified(client, lead_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm it is you" in page.text
    assert 'autocomplete="current-password"' in page.text
    # Nothing of the change yet: no new authenticator key made, no codes replaced.
    assert not TOTPDevice.objects.filter(user=lead_a, confirmed=False).exists()


def test_posting_the_change_without_confirming_changes_nothing(client, lead_a):
    sign_in_verified(client, lead_a)
    response = client.post(CODES_URL)
    assert "There is a problem" in response.text
    assert "Enter your password" in response.text
    assert StaticToken.objects.filter(device__user=lead_a, token=RECOVERY_CODE).exists()
    assert not AccessEvent.objects.filter(kind=Kind.TWO_FACTOR_SET_UP).exists()


def test_password_and_authenticator_code_then_new_recovery_codes(client, lead_a):
    device = sign_in_verified(client, lead_a)
    response = client.post(CODES_URL, {"password": PASSWORD, "code": code_for(device)})
    assert response["Location"] == CODES_URL
    assert "Get new recovery codes" in client.get(CODES_URL).text
    response = client.post(CODES_URL)
    assert response["Location"] == reverse("two-factor-recovery-codes")
    assert not StaticToken.objects.filter(token=RECOVERY_CODE).exists()
    (event,) = AccessEvent.objects.filter(kind=Kind.TWO_FACTOR_SET_UP)
    assert event.what == "New recovery codes"
    # One change per confirmation.
    assert "Confirm it is you" in client.get(CODES_URL).text


def test_a_recovery_code_confirms_too_and_is_used_up(client, lead_a):
    old = sign_in_verified(client, lead_a)
    response = client.post(SET_UP_URL, {"password": PASSWORD, "code": RECOVERY_CODE.upper()})
    assert response["Location"] == SET_UP_URL
    assert not StaticToken.objects.filter(token=RECOVERY_CODE).exists()
    assert AccessEvent.objects.filter(kind=Kind.RECOVERY_CODE_USED).exists()
    assert "Set up a new authenticator app" in client.get(SET_UP_URL).text
    new = TOTPDevice.objects.get(user=lead_a, confirmed=False)
    client.post(SET_UP_URL, {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=lead_a)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert AccessEvent.objects.filter(kind=Kind.TWO_FACTOR_SET_UP, user=lead_a).exists()


def test_a_wrong_new_code_keeps_the_confirmation(client, lead_a):
    device = sign_in_verified(client, lead_a)
    client.post(SET_UP_URL, {"password": PASSWORD, "code": code_for(device)})
    client.get(SET_UP_URL)
    response = client.post(SET_UP_URL, {"code": "000000"})
    assert "That code is wrong or has expired" in response.text
    assert "Set up a new authenticator app" in response.text


def test_a_wrong_password_is_refused_with_an_error_summary_and_logged(client, lead_a):
    device = sign_in_verified(client, lead_a)
    response = client.post(CODES_URL, {"password": "not-the-password", "code": code_for(device)})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Your password is wrong" in response.text
    assert "not-the-password" not in response.text
    assert AccessEvent.objects.filter(kind=Kind.SIGN_IN_FAILED, user=lead_a).exists()
    assert StaticToken.objects.filter(token=RECOVERY_CODE).exists()


@pytest.mark.parametrize("code", ["000000", "zzzz9999"])
def test_a_wrong_code_is_refused_with_an_error_summary_and_logged(client, lead_a, code):
    sign_in_verified(client, lead_a)
    response = client.post(SET_UP_URL, {"password": PASSWORD, "code": code})
    assert "govuk-error-summary" in response.text
    assert "is wrong" in response.text
    assert "Confirm it is you" in response.text
    (event,) = AccessEvent.objects.filter(kind=Kind.TWO_FACTOR_FAILED)
    assert event.what.endswith("to replace two-factor sign-in")
    assert not TOTPDevice.objects.filter(user=lead_a, confirmed=False).exists()


def test_a_badly_typed_code_is_explained(client, lead_a):
    sign_in_verified(client, lead_a)
    response = client.post(CODES_URL, {"password": PASSWORD, "code": "12"})
    assert "Enter the 6-digit code from your authenticator app, or a recovery code" in response.text
    assert not AccessEvent.objects.filter(kind=Kind.TWO_FACTOR_FAILED).exists()


def test_the_confirmation_lasts_ten_minutes(client, lead_a, clock):
    device = sign_in_verified(client, lead_a)
    client.post(CODES_URL, {"password": PASSWORD, "code": code_for(device)})
    clock.shift(datetime.timedelta(minutes=11))
    assert "Confirm it is you" in client.get(CODES_URL).text


def test_the_first_set_up_needs_no_current_code(client, lead_a):
    # Nobody to confirm against: a person with no authenticator yet sets one up after their password.
    client.post(reverse("sign-in"), {"username": lead_a.email, "password": PASSWORD})
    page = client.get(SET_UP_URL)
    assert "Confirm it is you" not in page.text
    assert TOTPDevice.objects.filter(user=lead_a, confirmed=False).exists()


def test_the_services_refuse_without_the_confirmation(rf, lead_a):
    # The views ask first; the services check again, so no other caller can skip it.
    give_authenticator(lead_a)
    request = rf.post("/")
    request.user, request.session = lead_a, SessionStore()
    with pytest.raises(PermissionDenied):
        two_factor.recovery_codes_replace(actor=lead_a, request=request)
    pending = TOTPDevice.objects.create(user=lead_a, name="new", confirmed=False)
    request.session[two_factor.SESSION_PENDING_DEVICE] = pending.pk
    with pytest.raises(PermissionDenied):
        two_factor.two_factor_set_up(actor=lead_a, request=request, device=pending, code=code_for(pending))
    assert StaticToken.objects.filter(token=RECOVERY_CODE).exists()
    assert TOTPDevice.objects.filter(user=lead_a, confirmed=True).count() == 1
