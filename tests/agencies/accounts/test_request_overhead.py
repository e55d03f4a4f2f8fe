"""Every signed-in page costs at most three queries before its view's own (issue 14): the
session, the person with their agency, and a session save at most once a minute. The two-factor
device and the permissions come from the session until something changes them."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.accounts.access_cache import SESSION_KEY
from agencies.models import Membership
from agencies.permissions import is_coordinator
from tests.agencies.accounts.two_factor_helpers import give_authenticator, sign_in_verified

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agencies.accounts.overhead_urls")]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def _queries(client, url="/overhead/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response
    # Savepoints are the test's own transaction around the session's save: not round trips a
    # request makes in autocommit.
    return [query["sql"] for query in queries.captured_queries if "SAVEPOINT" not in query["sql"]]


def _signed_in(client, user):
    sign_in_verified(client, user)
    _queries(client)  # the first request works the session's cache out
    return client


@pytest.mark.parametrize("who", ["coordinator", "lead_a", "auditor_a", "board_viewer", "administrator"])
def test_a_signed_in_page_costs_at_most_two_queries_before_its_view(client, request, who):
    _signed_in(client, request.getfixturevalue(who))
    queries = _queries(client)
    assert len(queries) <= 2, queries
    assert not any("otp_" in sql or "auth_permission" in sql or "auth_group" in sql for sql in queries)


def test_the_session_is_saved_once_a_minute_not_on_every_request(client, coordinator, time_machine):
    _signed_in(client, coordinator)
    assert not any(sql.startswith("UPDATE") for sql in _queries(client))
    time_machine.shift(datetime.timedelta(seconds=61))
    saved = _queries(client)
    assert any(sql.startswith("UPDATE") and "django_session" in sql for sql in saved)
    assert len(saved) <= 3, saved


def test_the_idle_time_out_still_ends_the_session(client, coordinator, time_machine, settings):
    # In the database, whose expiry follows the test's clock (a shared cache keeps real time).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    _signed_in(client, coordinator)
    time_machine.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    response = client.get("/overhead/")
    assert response.status_code == 302 and reverse("sign-in") in response["Location"]


def test_pages_count_down_from_the_time_the_session_is_sure_to_last(client, coordinator, settings):
    _signed_in(client, coordinator)
    response = client.get("/overhead/")
    assert f'data-timeout-seconds="{settings.SESSION_COOKIE_AGE - settings.SESSION_TOUCH_SECONDS}"' in response.text


def test_a_role_taken_away_is_seen_on_the_next_request(client, coordinator):
    _signed_in(client, coordinator)
    assert "audits.manage_rounds" in client.session[SESSION_KEY]["perms"]
    coordinator.groups.clear()
    _queries(client)
    assert "audits.manage_rounds" not in client.session[SESSION_KEY]["perms"]
    assert client.get(reverse("audits:round-list")).status_code == 403


def test_a_permission_taken_from_a_role_is_seen_on_the_next_request(client, coordinator):
    _signed_in(client, coordinator)
    group = coordinator.groups.get()
    group.permissions.remove(Permission.objects.get(codename="manage_rounds"))
    _queries(client)
    assert "audits.manage_rounds" not in client.session[SESSION_KEY]["perms"]
    group.permissions.add(Permission.objects.get(codename="manage_rounds"))


def test_a_role_given_is_seen_on_the_next_request(client, lead_a, coordinator):
    _signed_in(client, lead_a)
    Group.objects.get(pk=coordinator.groups.get().pk).user_set.add(lead_a)
    _queries(client)
    assert "audits.manage_rounds" in client.session[SESSION_KEY]["perms"]


def test_a_move_to_another_agency_is_seen_on_the_next_request(client, lead_a, agency_b):
    _signed_in(client, lead_a)
    Membership.objects.filter(user=lead_a).update(agency=agency_b)  # no signal: a bulk update
    Membership.objects.get(user=lead_a).save()  # a save through the model is seen
    client.get("/overhead/")
    assert client.session[SESSION_KEY]["version"] == type(lead_a).objects.get(pk=lead_a.pk).access_version


def test_a_two_factor_reset_ends_the_verified_session_on_the_next_request(client, lead_a):
    _signed_in(client, lead_a)
    TOTPDevice.objects.filter(user=lead_a).delete()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "two-factor" in response["Location"]


def test_the_cached_permissions_answer_as_the_database_does(client, coordinator, rf):
    _signed_in(client, coordinator)
    response = client.get("/overhead/")
    user = response.wsgi_request.user
    assert is_coordinator(user) and user.is_verified()
    assert user.get_all_permissions() == type(coordinator).objects.get(pk=coordinator.pk).get_all_permissions()


def test_a_superuser_made_ordinary_loses_every_permission_on_the_next_request(client, administrator):
    administrator.is_superuser = True
    administrator.save()
    _signed_in(client, administrator)
    assert "audits.view_restricted_identifiers" in client.session[SESSION_KEY]["perms"]
    demoted = type(administrator).objects.get(pk=administrator.pk)
    demoted.is_superuser = False
    demoted.save()
    _queries(client)
    assert "audits.view_restricted_identifiers" not in client.session[SESSION_KEY]["perms"]


def test_a_role_deleted_is_seen_on_the_next_request(client, coordinator):
    _signed_in(client, coordinator)
    coordinator.groups.get().delete()
    _queries(client)
    assert "audits.manage_rounds" not in client.session[SESSION_KEY]["perms"]


def test_checking_a_code_does_not_make_sessions_look_again(lead_a):
    version = type(lead_a).objects.get(pk=lead_a.pk).access_version
    device = give_authenticator(lead_a)  # a new device: a verified session stays as it was
    assert type(lead_a).objects.get(pk=lead_a.pk).access_version == version
    device = TOTPDevice.objects.get(pk=device.pk)
    device.last_t = 12345
    device.save()
    assert type(lead_a).objects.get(pk=lead_a.pk).access_version == version
    device.confirmed = False
    device.save()
    assert type(lead_a).objects.get(pk=lead_a.pk).access_version == version + 1


def test_a_stale_copy_of_a_person_never_writes_back_an_older_version(lead_a, coordinator):
    stale = type(lead_a).objects.get(pk=lead_a.pk)
    Group.objects.get(pk=coordinator.groups.get().pk).user_set.add(lead_a)
    current = type(lead_a).objects.get(pk=lead_a.pk).access_version
    stale.job_title = "Changed"
    stale.save()
    assert type(lead_a).objects.get(pk=lead_a.pk).access_version == current
