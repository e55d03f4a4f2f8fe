"""Access matrix of the chronology pages (agency A's chronology)."""

import pytest
from django.urls import reverse

from tests import access, factories
from tests.access import OK, REDIRECT, round_roles


def chronology_kwargs(chronology):
    return {"pk": chronology.pk}


def entry_kwargs(chronology):
    return {"pk": chronology.pk, "entry_pk": chronology.entries.first().pk}


def either_kwargs(chronology):
    """The URLs shared by audit tools and chronologies (issue 12) take the kind too."""
    return {"kind": "chronologies", "pk": chronology.pk}


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
    # Deleting selected entries: with nothing selected, the chronology page with an error.
    "audits:entries-delete": ("get", chronology_kwargs, round_roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:chronology-submit": ("post", chronology_kwargs, round_roles(lead_a=REDIRECT), {"POST"}),
    "audits:chronology-return": ("get", chronology_kwargs, round_roles(coordinator=OK), {"GET", "HEAD", "POST"}),
    "audits:chronology-accept": ("post", chronology_kwargs, round_roles(coordinator=REDIRECT), {"POST"}),
    # Assignment (issue 12): only the lead assigns; an auditor marks it ready (the lead, who
    # submits it, is sent back to it); the page after a submission is for the agency's staff (sent
    # back to it while it is not submitted); the review and its Accept confirmation are the
    # coordinator's (sent back to it while it is not submitted).
    "audits:return-assign": ("get", either_kwargs, round_roles(lead_a=OK), {"GET", "HEAD", "POST"}),
    "audits:return-ready": (
        "get",
        either_kwargs,
        round_roles(lead_a=REDIRECT, auditor_a=OK),
        {"GET", "HEAD", "POST"},
    ),
    "audits:return-submitted": (
        "get",
        either_kwargs,
        round_roles(lead_a=REDIRECT, auditor_a=REDIRECT),
        {"GET", "HEAD"},
    ),
    "audits:return-review": ("get", either_kwargs, round_roles(coordinator=OK), {"GET", "HEAD"}),
    "audits:return-accept": ("get", either_kwargs, round_roles(coordinator=REDIRECT), {"GET", "HEAD", "POST"}),
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
