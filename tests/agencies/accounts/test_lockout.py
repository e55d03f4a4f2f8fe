"""Lockout after five failed sign-ins counts one account whatever the letter case of the address:
django-axes keys on ``agencies.accounts.lockout.lockout_username``, at the failure, the lockout check and
the reset on success."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from agencies.accounts.lockout import lockout_username
from tests import factories
from tests.factories import PASSWORD

SPELLINGS = ["someone@example.org", "SOMEONE@EXAMPLE.ORG", "Someone@Example.org", " someone@EXAMPLE.org "]


@pytest.fixture
def someone(db):
    return factories.UserFactory(email="someone@example.org", role="Coordinator")


@pytest.mark.parametrize("typed", SPELLINGS)
def test_the_callable_gives_one_spelling_from_credentials_or_the_form(typed):
    request = RequestFactory().post("/sign-in/", {"username": typed})
    assert lockout_username(request, {"username": typed}) == "someone@example.org"
    assert lockout_username(request) == "someone@example.org"
    assert lockout_username(request, {}) == "someone@example.org"


def test_the_callable_copes_with_nothing_typed():
    request = RequestFactory().post("/sign-in/", {})
    assert lockout_username(request) == ""
    assert lockout_username(request, {"username": None}) == ""


def _authenticate(username, password):
    request = RequestFactory().post("/sign-in/", {"username": username, "password": password})
    return authenticate(request, username=username, password=password)


def test_five_failures_under_mixed_spellings_lock_the_account(someone):
    for typed in [*SPELLINGS, "someone@example.ORG"]:
        assert _authenticate(typed, "wrong-password") is None
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("someone@example.org", 5)]
    # Locked: the right password under every spelling is refused, and clears nothing.
    for typed in SPELLINGS:
        assert _authenticate(typed, PASSWORD) is None
    assert AccessAttempt.objects.get().failures_since_start >= 5


def test_a_success_clears_only_its_own_accounts_count(client, someone):
    factories.UserFactory(email="other@example.org", role="Coordinator")
    for typed in SPELLINGS:
        client.post(reverse("sign-in"), {"username": typed, "password": "wrong-password"})
    # Someone else's success, under any spelling, leaves this account's four failures counted.
    response = client.post(reverse("sign-in"), {"username": "OTHER@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("home")
    client.post(reverse("sign-out"))
    assert _authenticate("someone@Example.org", "wrong-password") is None
    assert _authenticate("someone@example.org", PASSWORD) is None


def test_the_accounts_own_success_under_another_spelling_clears_its_count(client, someone):
    # The count is cleared when the person is signed in (user_logged_in), so through the page.
    for typed in SPELLINGS[:3]:
        client.post(reverse("sign-in"), {"username": typed, "password": "wrong-password"})
    assert AccessAttempt.objects.get(username="someone@example.org").failures_since_start == 3
    response = client.post(reverse("sign-in"), {"username": "SOMEONE@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert not AccessAttempt.objects.exists()


def test_through_the_sign_in_page_case_variants_lock_the_account(client, someone):
    for attempt in range(16):
        typed = SPELLINGS[attempt % len(SPELLINGS)]
        response = client.post(reverse("sign-in"), {"username": typed, "password": f"guess-{attempt}"})
        if attempt < 4:
            assert response.status_code == 200 and "Enter a correct e-mail address and password" in response.text
        else:  # the fifth failure locks the account, and every guess after it is refused unchecked
            assert response.status_code == 429, f"guess {attempt + 1} was not refused as locked"
    for typed in SPELLINGS:
        response = client.post(reverse("sign-in"), {"username": typed, "password": PASSWORD})
        assert response.status_code == 429
        assert "Your account is locked for now" in response.text
    assert client.get(reverse("home")).status_code == 302
