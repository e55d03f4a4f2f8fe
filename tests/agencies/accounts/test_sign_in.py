import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


def test_sign_in_with_email_and_password(client, coordinator):
    response = client.post(reverse("sign-in"), {"username": "COORDINATOR@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_error_summary(client, coordinator):
    response = client.post(reverse("sign-in"), {"username": "coordinator@example.test", "password": "nope"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Enter a correct e-mail address and password" in response.text
    assert 'value="coordinator@example.test"' in response.text


def test_empty_sign_in_names_both_fields(client, db):
    response = client.post(reverse("sign-in"), {})
    assert "Enter your e-mail address" in response.text
    assert "Enter your password" in response.text


def test_lockout_after_five_failures_even_with_the_right_password(client, coordinator):
    for _ in range(5):
        client.post(reverse("sign-in"), {"username": "coordinator@example.test", "password": "wrong"})
    response = client.post(reverse("sign-in"), {"username": "coordinator@example.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked for now" in response.text
    assert client.get(reverse("home")).status_code == 302


def test_sign_out_is_post_only(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("sign-out")).status_code == 405
    assert client.post(reverse("sign-out")).status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("sign-in"))


def test_password_reset_by_email(client, coordinator):
    response = client.post(reverse("password-reset"), {"email": "coordinator@example.test"})
    assert response["Location"] == reverse("password-reset-sent")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.text
    new_password = "a-long-new-password-2026"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response["Location"] == reverse("password-reset-complete")
    response = client.post(reverse("sign-in"), {"username": "coordinator@example.test", "password": new_password})
    assert response["Location"] == reverse("home")


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("password-reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("password-reset-sent")
    assert mail.outbox == []


@pytest.mark.parametrize("url_name", ["sign-in", "password-reset", "password-reset-sent", "password-reset-complete"])
def test_sign_in_and_reset_pages_need_no_sign_in(client, db, url_name):
    assert client.get(reverse(url_name)).status_code == 200


def test_admin_sign_in_goes_through_the_service_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_sessions_expire_after_idle_time(settings):
    # Saved at most once a minute while nothing changes: tests/agencies/accounts/test_request_overhead.py.
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_TOUCH_SECONDS == 60


def test_error_pages_use_the_service_shell(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "app-header" in response.text


def test_keep_alive_extends_a_signed_in_session_only(client, coordinator):
    assert client.post(reverse("keep-alive"))["Location"].startswith(reverse("sign-in"))
    client.force_login(coordinator)
    assert client.get(reverse("keep-alive")).status_code == 405
    response = client.post(reverse("keep-alive"))
    assert response.status_code == 204
    # The session is saved again, so its server-side expiry moves 30 minutes on.
    assert "sessionid" in response.cookies


def test_pages_carry_the_timeout_warning_for_signed_in_users(client, coordinator):
    assert "app-timeout-warning" not in client.get(reverse("sign-in")).text
    client.force_login(coordinator)
    page = client.get(reverse("home")).text
    assert 'data-timeout-seconds="1740"' in page  # 30 minutes, less the minute a save may wait
