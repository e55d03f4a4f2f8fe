"""Access matrix of the chronology pages (agency A's chronology)."""

import pytest
from django.urls import reverse

from tests import access, factories
from tests.access import OK, REDIRECT, round_roles


def chronology_kwargs(chronology):
    return {"pk": chronology.pk}


def entry_kwargs(chronology):
    return {"pk": chronology.pk, "entry_pk": chronology.entries.first().pk}


MATRIX = {
    "audits:chronology-detail": (
        "get",
        chronology_kwargs,
        round_roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
    "audits:entry-add": ("get", chronology_kwargs, round_roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:entry-edit": ("get", entry_kwargs, round_roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:entry-delete": ("get", entry_kwargs, round_roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:chronology-submit": ("post", chronology_kwargs, round_roles(lead_a=REDIRECT), {"POST"}),
    "audits:chronology-return": ("get", chronology_kwargs, round_roles(coordinator=OK), {"GET", "HEAD", "POST"}),
    "audits:chronology-accept": ("post", chronology_kwargs, round_roles(coordinator=REDIRECT), {"POST"}),
}


@pytest.fixture
def chronology(chronology_a):
    factories.EntryFactory(chronology=chronology_a)
    return chronology_a


AREA = access.Area(("chronology",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    MATRIX, AREA, wrong_method_as="lead_a"
)


def test_auditor_of_a_cannot_open_agency_b_chronology(client, chronology_b, auditor_a):
    factories.EntryFactory(chronology=chronology_b)
    client.force_login(auditor_a)
    assert client.get(chronology_b.get_absolute_url()).status_code == 404
    assert client.get(reverse("audits:entry-edit", kwargs=entry_kwargs(chronology_b))).status_code == 404
