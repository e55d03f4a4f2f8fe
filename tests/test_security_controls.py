"""Headers, cookies, sessions and error reports (issue 6): each control proved by a test."""

import logging

import pytest
from django.test import RequestFactory
from django.urls import path, reverse
from django.views.debug import ExceptionReporter

from tests.factories import PASSWORD


def test_hsts_and_the_other_headers_over_https(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_sign_in_page_carries_the_headers_too(client):
    response = client.get(reverse("sign-in"), secure=True)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" in response


def test_session_and_csrf_cookies_are_secure_and_http_only(client, coordinator, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get(reverse("sign-in"), secure=True)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        reverse("sign-in"),
        {"username": coordinator.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    # A browser-session cookie; the server ends the session after 30 idle minutes.
    assert client.session.get_expiry_age() == 30 * 60


def test_the_session_is_rotated_at_sign_in(client, coordinator):
    client.get(reverse("sign-in"))
    session = client.session
    session["marker"] = "before"
    session.save()
    before = session.session_key
    response = client.post(reverse("sign-in"), {"username": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session["marker"] == "before"  # same session data, new key (no fixation)


def test_a_password_reset_signs_out_every_other_session(client, coordinator):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(coordinator)
    assert elsewhere.get(reverse("home")).status_code == 200
    coordinator.set_password("a-brand-new-long-passphrase")
    coordinator.save()
    # Each session carries a hash of the password: the old one no longer matches.
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_idle_sessions_expire_after_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Saved at most once a minute, not on every request (tests/agencies/accounts/test_request_overhead.py).
    assert settings.SESSION_TOUCH_SECONDS == 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def _report_text(request):
    import sys

    try:
        raise ValueError("boom")
    except ValueError:
        return ExceptionReporter(request, *sys.exc_info()).get_traceback_text()


def test_error_reports_hide_form_contents_and_secrets(settings):
    settings.IDENTIFIER_KEYS = ["a-very-secret-fernet-key-value"]
    settings.DATABASE_URL = "postgres://user:database-password@db/audit"
    request = RequestFactory().post(
        "/rounds/1/cases/1/identifiers/edit/",
        {"child_name": "Fictional Child Name", "record_numbers": "CSC 998877"},
    )
    text = _report_text(request)
    assert "Fictional Child Name" not in text
    assert "CSC 998877" not in text
    assert "child_name" in text  # the field names are kept, to help debugging
    assert "a-very-secret-fernet-key-value" not in text
    assert "database-password" not in text
    assert settings.SECRET_KEY not in text


def _boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls("tests.test_security_controls")
def test_a_server_error_is_logged_without_form_contents(client, coordinator, caplog):
    client.raise_request_exception = False
    client.force_login(coordinator)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.post("/boom/", {"child_name": "Fictional Child Name"})
    assert response.status_code == 500
    assert caplog.records, "the error is logged"
    for record in caplog.records:
        assert "Fictional Child Name" not in record.getMessage()
        assert "Fictional Child Name" not in str(record.__dict__)
