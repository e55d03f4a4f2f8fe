"""Sign-in, failure, lockout and sign-out each add a row to the access log (who, when, where)."""

import pytest
from django.urls import reverse

from agencies.models import AccessEvent
from tests.factories import PASSWORD

Kind = AccessEvent.Kind


def _kinds():
    return list(AccessEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_sign_in_is_recorded_with_who_and_where(client, coordinator):
    client.post(reverse("sign-in"), {"username": coordinator.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    (event,) = AccessEvent.objects.all()
    assert event.kind == Kind.SIGN_IN
    assert event.user == coordinator
    assert event.user_email == coordinator.email
    assert event.ip_address == "203.0.113.7"
    assert event.occurred_at is not None


def test_a_failed_sign_in_records_the_address_typed_never_the_password(client, coordinator):
    client.post(reverse("sign-in"), {"username": coordinator.email, "password": "not-the-password"})
    (event,) = AccessEvent.objects.all()
    assert event.kind == Kind.SIGN_IN_FAILED
    assert event.user == coordinator
    assert event.user_email == coordinator.email
    assert "not-the-password" not in str(AccessEvent.objects.values().get())


def test_lockout_is_recorded(client, coordinator):
    for _ in range(6):
        client.post(reverse("sign-in"), {"username": coordinator.email, "password": "wrong"})
    assert Kind.LOCKED_OUT in _kinds()
    # Every attempt is recorded, including the one refused while locked.
    assert _kinds().count(Kind.SIGN_IN_FAILED) == 6


def test_sign_out_is_recorded(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("sign-out"))
    assert _kinds()[-1] == Kind.SIGN_OUT


def test_the_proxy_header_is_used_only_when_configured(client, coordinator, settings):
    client.post(
        reverse("sign-in"),
        {"username": coordinator.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.4",
    )
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.post(reverse("sign-out"), REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.4")
    assert list(AccessEvent.objects.order_by("pk").values_list("ip_address", flat=True)) == [
        "10.0.0.1",
        "198.51.100.4",
    ]


def test_the_log_cannot_be_changed_or_deleted(coordinator):
    from agencies.access_log.services import record

    event = record(Kind.SIGN_IN, user=coordinator)
    event.what = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.update(what="changed")
    assert AccessEvent.objects.get().what == ""


def test_a_password_reset_by_email_link_is_recorded(client, coordinator):
    import re

    from django.core import mail

    client.post(reverse("password-reset"), {"email": coordinator.email})
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new = "a-long-new-password-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    event = AccessEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert (event.user, event.what) == (coordinator, "Password reset by e-mail link")


def test_what_is_typed_for_no_account_is_not_kept(client, db):
    client.post(reverse("sign-in"), {"username": "my-secret-password@x.y", "password": "whatever"})
    (event,) = AccessEvent.objects.all()
    assert (event.kind, event.user, event.user_email) == (Kind.SIGN_IN_FAILED, None, "(no such account)")


def test_of_a_forwarded_list_the_proxys_own_address_is_taken(client, coordinator, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client.post(
        reverse("sign-in"),
        {"username": coordinator.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.66, 198.51.100.4",
    )
    assert AccessEvent.objects.get().ip_address == "198.51.100.4"
