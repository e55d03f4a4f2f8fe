"""Access matrix of the chronology pages (agency A's chronology)."""

import pytest
from django.urls import reverse

from tests import factories
from tests.audits.returns.test_access_tools import FORBIDDEN, NOT_FOUND, OK, REDIRECT, ROLES


def _roles(**statuses):
    return {role: statuses.get(role, FORBIDDEN) for role in ROLES} | {"lead_b": statuses.get("lead_b", NOT_FOUND)}


def chronology_kwargs(chronology):
    return {"pk": chronology.pk}


def entry_kwargs(chronology):
    return {"pk": chronology.pk, "entry_pk": chronology.entries.first().pk}


MATRIX = {
    "audits:chronology-detail": (
        "get",
        chronology_kwargs,
        _roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
    "audits:entry-add": ("get", chronology_kwargs, _roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:entry-edit": ("get", entry_kwargs, _roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:entry-delete": ("get", entry_kwargs, _roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:chronology-submit": ("post", chronology_kwargs, _roles(lead_a=REDIRECT), {"POST"}),
    "audits:chronology-return": ("get", chronology_kwargs, _roles(coordinator=OK), {"GET", "HEAD", "POST"}),
    "audits:chronology-accept": ("post", chronology_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
}


@pytest.fixture
def chronology(chronology_a):
    factories.EntryFactory(chronology=chronology_a)
    return chronology_a


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, chronology, lead_a, auditor_a, lead_b, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(chronology)))
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, chronology, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(chronology)))
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, chronology, lead_a, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(lead_a)
    for method in ("get", "post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(reverse(url_name, kwargs=kwargs(chronology))).status_code == 405


def test_auditor_of_a_cannot_open_agency_b_chronology(client, chronology_b, auditor_a):
    factories.EntryFactory(chronology=chronology_b)
    client.force_login(auditor_a)
    assert client.get(chronology_b.get_absolute_url()).status_code == 404
    assert client.get(reverse("audits:entry-edit", kwargs=entry_kwargs(chronology_b))).status_code == 404
