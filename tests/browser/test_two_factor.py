"""Two-factor sign-in in Chromium, as a partnership user meets it: password, set up the app, save
the recovery codes, sign out, and sign in again with the password and a code. Every page passes
axe and the Content Security Policy (the QR code is inline SVG with no style attribute)."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.agencies.accounts.two_factor_helpers import RECOVERY_CODE, give_authenticator
from tests.factories import PASSWORD

pytestmark = pytest.mark.two_factor

EMAIL = "lead@example.test"
NEW_PASSWORD = "a-long-new-passphrase-2026"


def code_from_key(text_key, *, steps_ahead=0):
    """What an authenticator app given the typed key shows now (or some 30-second steps on)."""
    key = text_key.replace(" ", "")
    key_bytes = base64.b32decode(key + "=" * (-len(key) % 8))
    totp = TOTP(key_bytes)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_set_up_two_factor_then_sign_in_with_a_code(visitor, settings):
    assert settings.TWO_FACTOR_REQUIRED
    agency = factories.AgencyFactory()
    factories.UserFactory(email=EMAIL, agency=agency, agency_role="lead")
    page = visitor.page

    visitor.sign_in(EMAIL)
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor sign-in"
    assert page.locator("main svg").count() == 1
    page.get_by_text("I cannot scan the QR code").click()
    text_key = page.locator("#text-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", text_key)
    visitor.check()

    # A wrong code first: the error summary, and nothing set up.
    page.get_by_label("Code from your authenticator app").fill(
        "000000" if code_from_key(text_key) != "000000" else "111111"
    )
    visitor.click("button", name="Continue")
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    # django-otp refuses another try for a second after a wrong code (doubling with each one).
    time.sleep(1.1)
    page.get_by_label("Code from your authenticator app").fill(code_from_key(text_key))
    visitor.click("button", name="Continue")
    assert not page.locator(".govuk-error-summary").count(), page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Save your recovery codes"
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    visitor.click("link", name="I have saved my recovery codes")
    assert page.get_by_role("heading", level=1).inner_text() == "Your tasks"

    visitor.click("link", name="Your account")
    assert "You have 10 recovery codes left" in page.content()
    visitor.click("link", name="Change your password")
    visitor.click("button", name="Change password")
    assert "Enter your current password" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    visitor.click("button", name="Change password")
    assert "Your password has been changed" in page.content()
    visitor.click("link", name="Get new recovery codes")
    # Confirm it is you first: the password and a current code (here a recovery code, used up).
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm it is you"
    visitor.click("button", name="Continue")
    assert "Enter your password" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your password").fill(NEW_PASSWORD)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(codes[0])
    visitor.click("button", name="Continue")
    visitor.click("button", name="Get new recovery codes")
    assert page.locator("#recovery-codes li").all_inner_texts() != codes
    visitor.click("link", name="I have saved my recovery codes")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    visitor.click("button", name=re.compile(r"^Sign out"))

    visitor.sign_in_with(EMAIL, NEW_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Enter the code from your authenticator app"
    # The code used to set up has been used: the app's next code is accepted.
    page.get_by_label("Code", exact=True).fill(code_from_key(text_key, steps_ahead=1))
    visitor.click("button", name="Continue")
    assert page.get_by_role("heading", level=1).inner_text() == "Your tasks"


def test_sign_in_with_a_recovery_code_without_javascript(visitor_without_js):
    visitor = visitor_without_js
    user = factories.UserFactory(email=EMAIL, role="Board viewer")
    give_authenticator(user)
    page = visitor.page
    visitor.sign_in(EMAIL)
    assert page.get_by_role("heading", level=1).inner_text() == "Enter the code from your authenticator app"
    page.get_by_text("Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(RECOVERY_CODE)
    visitor.click("button", name="Continue")
    assert page.get_by_role("heading", level=1).inner_text() == "Your tasks"
