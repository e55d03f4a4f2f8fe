"""Two-factor sign-in: enforcement, setting up an authenticator app, the code page, recovery codes."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.accounts.two_factor import SESSION_NEW_CODES, qr_code_svg, text_key
from agencies.models import AccessEvent
from tests.agencies.accounts.two_factor_helpers import (
    RECOVERY_CODE,
    code_for,
    confirm_identity,
    give_authenticator,
    sign_in_verified,
)
from tests.factories import PASSWORD

ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]
CODE_URL = reverse("two-factor-code")
SET_UP_URL = reverse("two-factor-set-up")


def sign_in_with_password(client, user):
    response = client.post(reverse("sign-in"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def events(kind):
    return list(AccessEvent.objects.filter(kind=kind))


# --- Enforcement, with two-factor sign-in required (as whenever DEBUG is off) ---


@pytest.mark.two_factor
@pytest.mark.parametrize("role", ROLES)
def test_every_role_without_an_authenticator_is_sent_to_set_one_up(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == SET_UP_URL


@pytest.mark.two_factor
@pytest.mark.parametrize("role", ROLES)
def test_every_role_with_an_authenticator_is_asked_for_the_code(client, request, role):
    user = request.getfixturevalue(role)
    give_authenticator(user)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response["Location"] == CODE_URL


@pytest.mark.two_factor
@pytest.mark.parametrize("role", ROLES)
def test_a_verified_session_reaches_the_service(client, request, role):
    sign_in_verified(client, request.getfixturevalue(role))
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account")).status_code == 200


@pytest.mark.two_factor
def test_the_password_alone_leads_to_the_code_page_and_the_code_to_the_page_asked_for(client, coordinator):
    device = give_authenticator(coordinator)
    wanted = reverse("audits:round-list") + "?status=open"
    response = sign_in_with_password(client, coordinator)
    response = client.get(wanted)
    assert response["Location"] == f"{CODE_URL}?next={quote(wanted, safe='')}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Enter the code from your authenticator app" in page.text
    assert f'name="next" value="{wanted}"' in page.text.replace("&amp;", "&")
    response = client.post(CODE_URL, {"code": code_for(device), "next": wanted})
    assert response["Location"] == wanted
    assert client.get(wanted).status_code == 200


@pytest.mark.two_factor
def test_the_administration_site_is_covered_too(client, django_user_model):
    root = django_user_model.objects.create_superuser(email="root@example.test", password="x", full_name="Root")
    give_authenticator(root)
    client.force_login(root)
    response = client.get("/admin/agencies/user/")
    assert response["Location"] == f"{CODE_URL}?next={quote('/admin/agencies/user/', safe='')}"
    sign_in_verified(client, root)
    assert client.get("/admin/agencies/user/").status_code == 200


@pytest.mark.two_factor
def test_a_post_is_redirected_without_being_acted_on(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("keep-alive"))
    assert response.status_code == 302
    assert response["Location"] == SET_UP_URL


@pytest.mark.two_factor
def test_signing_out_works_before_the_code(client, coordinator):
    give_authenticator(coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("sign-out"))
    assert response["Location"] == reverse("sign-in")
    assert client.get(reverse("home"))["Location"].startswith(reverse("sign-in"))


@pytest.mark.two_factor
def test_static_files_are_not_redirected(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/static/govuk/application.css")
    assert response.get("Location", "") != SET_UP_URL


@pytest.mark.two_factor
def test_the_page_asked_for_is_not_kept_when_it_points_elsewhere(client, coordinator):
    device = give_authenticator(coordinator)
    client.force_login(coordinator)
    # A path of "//host/" would be a link to another site if it were sent back as it is.
    response = client.get("/", PATH_INFO="//evil.example/path/")
    assert response["Location"] == CODE_URL
    page = client.get(CODE_URL, {"next": "https://evil.example/"})
    assert 'name="next" value="/"' in page.text
    response = client.post(CODE_URL, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


@pytest.mark.two_factor
def test_anonymous_people_are_sent_to_sign_in(client, db):
    for url in [CODE_URL, SET_UP_URL, reverse("two-factor-recovery-codes")]:
        assert client.get(url)["Location"].startswith(reverse("sign-in") + "?next=")


def test_without_the_requirement_people_may_skip_two_factor(client, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("home")).status_code == 200


def test_without_the_requirement_people_who_set_it_up_are_still_asked(client, lead_a):
    device = give_authenticator(lead_a)
    sign_in_with_password(client, lead_a)
    assert client.get(reverse("home"))["Location"] == CODE_URL
    client.post(CODE_URL, {"code": code_for(device)})
    assert client.get(reverse("home")).status_code == 200


# --- Setting up an authenticator app ---


@pytest.mark.two_factor
def test_set_up_page_shows_a_qr_code_and_the_key_to_type(client, lead_a):
    client.force_login(lead_a)
    page = client.get(SET_UP_URL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=lead_a)
    assert not device.confirmed
    assert "<svg" in page.text
    assert text_key(device) in page.text
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", text_key(device))
    # The same key each time the page is shown, until the first code confirms it.
    client.get(SET_UP_URL)
    assert TOTPDevice.objects.filter(user=lead_a).count() == 1


@pytest.mark.two_factor
def test_someone_else_with_the_password_gets_their_own_key_and_cannot_use_the_owners(client, lead_a):
    """The key being set up belongs to the session: another session signed in with the same
    password (someone who learned it) sees a different key, and a code from the owner's key
    does not verify that other session."""
    from django.test import Client

    client.force_login(lead_a)
    client.get(SET_UP_URL)
    owners = TOTPDevice.objects.get(user=lead_a)

    other = Client()
    other.force_login(lead_a)
    page = other.get(SET_UP_URL)
    theirs = TOTPDevice.objects.exclude(pk=owners.pk).get(user=lead_a)
    assert text_key(owners) not in page.text
    assert text_key(theirs) in page.text

    # The owner confirms their own key; the other session cannot use a code from it.
    assert client.post(SET_UP_URL, {"code": code_for(owners)}).status_code == 302
    owners.refresh_from_db()
    assert owners.confirmed
    assert not TOTPDevice.objects.filter(pk=theirs.pk).exists()
    # The other session knows only the key it was shown: its codes are refused.
    assert other.get(reverse("home"))["Location"].startswith(reverse("two-factor-code"))
    refused = other.post(reverse("two-factor-code"), {"code": code_for(theirs)})
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.text


def test_the_qr_code_has_no_style_attribute_for_the_content_security_policy(lead_a):
    device = TOTPDevice.objects.create(user=lead_a, confirmed=False)
    svg = qr_code_svg(device)
    assert svg.startswith("<svg")
    assert "style" not in svg.lower()
    assert "<script" not in svg.lower()
    assert "<title>" in svg


@pytest.mark.two_factor
def test_a_wrong_first_code_saves_nothing(client, lead_a):
    client.force_login(lead_a)
    client.get(SET_UP_URL)
    device = TOTPDevice.objects.get(user=lead_a)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(SET_UP_URL, {"code": wrong})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "That code is wrong" in response.text
    assert response.text.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=lead_a).exists()
    assert not events(AccessEvent.Kind.TWO_FACTOR_SET_UP)
    assert client.get(reverse("home"))["Location"] == SET_UP_URL


@pytest.mark.two_factor
@pytest.mark.parametrize("code", ["", "12345", "abcdef"])
def test_a_code_that_is_not_six_digits_is_refused(client, lead_a, code):
    client.force_login(lead_a)
    response = client.post(SET_UP_URL, {"code": code})
    assert "govuk-error-summary" in response.text
    assert not TOTPDevice.objects.filter(user=lead_a, confirmed=True).exists()


@pytest.mark.two_factor
def test_setting_up_confirms_the_app_and_shows_recovery_codes_once(client, lead_a):
    sign_in_with_password(client, lead_a)
    client.get(SET_UP_URL)
    device = TOTPDevice.objects.get(user=lead_a)
    code = code_for(device)
    response = client.post(SET_UP_URL, {"code": f"{code[:3]} {code[3:]}"})
    assert response["Location"] == reverse("two-factor-recovery-codes")
    device.refresh_from_db()
    assert device.confirmed
    codes = list(StaticToken.objects.filter(device__user=lead_a).values_list("token", flat=True))
    assert len(codes) == 10
    assert len(set(codes)) == 10
    page = client.get(reverse("two-factor-recovery-codes"))
    assert page.status_code == 200
    assert "Save your recovery codes" in page.text
    for recovery_code in codes:
        assert recovery_code in page.text
    assert SESSION_NEW_CODES not in client.session
    again = client.get(reverse("two-factor-recovery-codes"))
    assert again["Location"] == reverse("account")
    account = client.get(again["Location"])
    for recovery_code in codes:
        assert recovery_code not in account.text
    # The session is verified by the first code.
    assert client.get(reverse("home")).status_code == 200
    (event,) = events(AccessEvent.Kind.TWO_FACTOR_SET_UP)
    assert event.user == lead_a


@pytest.mark.two_factor
def test_someone_with_an_app_cannot_replace_it_with_a_password_alone(client, lead_a):
    give_authenticator(lead_a)
    client.force_login(lead_a)
    assert client.get(SET_UP_URL)["Location"] == CODE_URL
    assert not TOTPDevice.objects.filter(user=lead_a, confirmed=False).exists()


@pytest.mark.two_factor
def test_a_verified_person_can_set_up_a_new_app_which_replaces_the_old(client, lead_a):
    old = sign_in_verified(client, lead_a)
    confirm_identity(client)
    page = client.get(SET_UP_URL)
    assert "Set up a new authenticator app" in page.text
    new = TOTPDevice.objects.get(user=lead_a, confirmed=False)
    client.post(SET_UP_URL, {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=lead_a)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert not StaticToken.objects.filter(token=RECOVERY_CODE).exists()


# --- The code page ---


@pytest.mark.two_factor
def test_the_right_code_verifies_the_session(client, auditor_a):
    device = give_authenticator(auditor_a)
    sign_in_with_password(client, auditor_a)
    response = client.post(CODE_URL, {"code": code_for(device)})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    (event,) = events(AccessEvent.Kind.TWO_FACTOR_VERIFIED)
    assert event.user == auditor_a
    # Once verified, the code page sends people on.
    assert client.get(CODE_URL)["Location"] == reverse("home")


@pytest.mark.two_factor
def test_a_wrong_code_is_refused_with_an_error_summary(client, auditor_a):
    device = give_authenticator(auditor_a)
    client.force_login(auditor_a)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    response = client.post(CODE_URL, {"code": wrong})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert 'href="#id_code"' in response.text
    assert "That code is wrong or has expired" in response.text
    assert client.get(reverse("home"))["Location"] == CODE_URL
    (event,) = events(AccessEvent.Kind.TWO_FACTOR_FAILED)
    assert event.user == auditor_a
    assert wrong not in event.what


@pytest.mark.two_factor
def test_an_empty_code_asks_for_one(client, auditor_a):
    give_authenticator(auditor_a)
    client.force_login(auditor_a)
    response = client.post(CODE_URL, {"code": "", "recovery_code": ""})
    assert "Enter the code from your authenticator app" in response.text
    assert "govuk-error-summary" in response.text
    assert not events(AccessEvent.Kind.TWO_FACTOR_FAILED)


@pytest.mark.two_factor
def test_after_repeated_wrong_codes_even_the_right_one_must_wait(client, auditor_a):
    device = give_authenticator(auditor_a)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=6, throttling_failure_timestamp=timezone.now()
    )
    client.force_login(auditor_a)
    response = client.post(CODE_URL, {"code": code_for(device)})
    assert response.status_code == 200
    assert "You have entered too many wrong codes. Wait" in response.text
    assert client.get(reverse("home"))["Location"] == CODE_URL
    (event,) = events(AccessEvent.Kind.TWO_FACTOR_FAILED)
    assert "too many wrong codes" in event.what


@pytest.mark.two_factor
def test_a_second_quick_wrong_code_is_throttled(client, auditor_a):
    device = give_authenticator(auditor_a)
    client.force_login(auditor_a)
    wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
    client.post(CODE_URL, {"code": wrong})
    response = client.post(CODE_URL, {"code": wrong})
    assert "too many wrong codes" in response.text


@pytest.mark.two_factor
def test_a_code_once_used_is_not_accepted_again(client, auditor_a):
    device = give_authenticator(auditor_a)
    code = code_for(device)
    client.force_login(auditor_a)
    assert client.post(CODE_URL, {"code": code}).status_code == 302
    other = Client()
    other.force_login(auditor_a)
    assert other.post(CODE_URL, {"code": code}).status_code == 200


@pytest.mark.two_factor
def test_a_recovery_code_works_once(client, lead_b):
    give_authenticator(lead_b, recovery_codes=[RECOVERY_CODE, "wxyz7777"])
    sign_in_with_password(client, lead_b)
    page = client.get(CODE_URL)
    assert "Use a recovery code instead" in page.text
    response = client.post(CODE_URL, {"code": "", "recovery_code": "ABCD 2345"})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert not StaticToken.objects.filter(token=RECOVERY_CODE).exists()
    (event,) = events(AccessEvent.Kind.RECOVERY_CODE_USED)
    assert event.user == lead_b

    client.post(reverse("sign-out"))
    sign_in_with_password(client, lead_b)
    response = client.post(CODE_URL, {"code": "", "recovery_code": RECOVERY_CODE})
    assert response.status_code == 200
    assert "That recovery code is wrong or has been used" in response.text
    assert 'href="#id_recovery_code"' in response.text
    # The details stay open, so that the field the error names can be seen.
    assert '<details class="govuk-details" open>' in response.text
    assert client.get(reverse("home"))["Location"] == CODE_URL


@pytest.mark.two_factor
def test_code_page_without_an_app_sends_people_to_set_one_up(client, lead_b):
    client.force_login(lead_b)
    assert client.get(CODE_URL)["Location"] == SET_UP_URL


@pytest.mark.two_factor
def test_the_unverified_pages_offer_sign_out_but_not_the_service_menu(client, lead_b):
    give_authenticator(lead_b)
    client.force_login(lead_b)
    page = client.get(CODE_URL)
    assert "govuk-service-navigation" not in page.text
    assert f'action="{reverse("sign-out")}"' in page.text
    assert "Not lead.b@example.test?" in page.text


@pytest.mark.two_factor
@pytest.mark.parametrize("url_name", ["two-factor-code", "two-factor-set-up"])
def test_two_factor_pages_refuse_other_methods(client, lead_b, url_name):
    client.force_login(lead_b)
    assert client.put(reverse(url_name)).status_code == 405


@pytest.mark.two_factor
def test_recovery_codes_page_is_get_only(client, lead_b):
    sign_in_verified(client, lead_b)
    assert client.post(reverse("two-factor-recovery-codes")).status_code == 405


def test_without_the_requirement_a_reset_stops_the_asking(client, lead_a, administrator):
    from agencies.accounts.two_factor import two_factor_reset

    give_authenticator(lead_a)
    sign_in_with_password(client, lead_a)
    two_factor_reset(actor=administrator, user=lead_a)
    # Offered from their account page, not forced: the service is open again.
    assert client.get(reverse("home")).status_code == 200
