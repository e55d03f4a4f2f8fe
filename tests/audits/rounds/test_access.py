"""The access matrix of every audits view: who gets what, for every role.

Roles: anonymous, coordinator, administrator (reads all rounds, changes none), board viewer (no
rounds), lead and auditor of agency A (part of the case), lead of agency B (not part of it)."""

import importlib
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse

from audits.models import CaseDraw
from tests import access, factories
from tests.access import FORBIDDEN, OK, REDIRECT, roles, round_roles

READ_ALL = round_roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK)
MANAGE = round_roles(coordinator=OK)
MANAGE_NEW = roles(coordinator=OK)

# url name -> (method, kwargs builder, expected status per role, allowed methods)
MATRIX = {
    "home": ("get", lambda c, d: {}, roles(OK), {"GET", "HEAD"}),
    "audits:round-list": (
        "get",
        lambda c, d: {},
        roles(OK, board_viewer=FORBIDDEN),
        {"GET", "HEAD"},
    ),
    "audits:round-plan": ("get", lambda c, d: {}, MANAGE_NEW, {"GET", "HEAD", "POST"}),
    "audits:round-plan-details": (
        "get",
        lambda c, d: {"area_pk": c.round.area_id},
        MANAGE_NEW,
        {"GET", "HEAD", "POST"},
    ),
    "audits:round-detail": ("get", lambda c, d: {"pk": c.round_id}, READ_ALL, {"GET", "HEAD"}),
    "audits:round-edit": ("get", lambda c, d: {"pk": c.round_id}, MANAGE, {"GET", "HEAD", "POST"}),
    # GET is the confirmation page (what moving on does, what is outstanding); the POST is tested
    # in test_views.py (it needs confirm=yes).
    "audits:round-advance": ("get", lambda c, d: {"pk": c.round_id}, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:round-history": ("get", lambda c, d: {"pk": c.round_id}, MANAGE, {"GET", "HEAD"}),
    "audits:case-add": ("get", lambda c, d: {"pk": c.round_id}, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:draw-start": ("get", lambda c, d: {"pk": c.round_id}, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:draw-preview": (
        "get",
        lambda c, d: {"pk": c.round_id, "draw_pk": d.pk},
        MANAGE,
        {"GET", "HEAD", "POST"},
    ),
    "audits:case-detail": ("get", lambda c, d: {"pk": c.round_id, "number": c.number}, READ_ALL, {"GET", "HEAD"}),
    "audits:case-edit": (
        "get",
        lambda c, d: {"pk": c.round_id, "number": c.number},
        MANAGE,
        {"GET", "HEAD", "POST"},
    ),
    "audits:case-agencies": (
        "get",
        lambda c, d: {"pk": c.round_id, "number": c.number},
        MANAGE,
        {"GET", "HEAD", "POST"},
    ),
    "audits:case-identifiers": (
        "get",
        lambda c, d: {"pk": c.round_id, "number": c.number},
        MANAGE,
        {"GET", "HEAD"},
    ),
    "audits:case-identifiers-edit": (
        "get",
        lambda c, d: {"pk": c.round_id, "number": c.number},
        MANAGE,
        {"GET", "HEAD", "POST"},
    ),
    "audits:case-agency-details-end": (
        "get",
        lambda c, d: {"pk": c.round_id, "number": c.number},
        MANAGE,
        {"GET", "HEAD", "POST"},
    ),
    # The "Child's details" panel: staff of an agency taking part (the round is open, so the
    # details show); coordinators are sent to their own identifiers page; administrators, who
    # see the case but not identifiers, are refused.
    "audits:case-child-details": (
        "get",
        lambda c, d: {"pk": c.round_id, "number": c.number},
        round_roles(coordinator=REDIRECT, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
}


@pytest.fixture
def draw(case, coordinator, settings):
    from lib.storage import private_storage

    draw = CaseDraw.objects.create(
        round=case.round,
        file_name="candidates.csv",
        file_sha256="0" * 64,
        stored_file="candidate-lists/test",
        candidate_count=1,
        seed=1,
        number_of_cases=1,
        strata=[],
        selected_references=["R1"],
        created_by=coordinator,
    )
    private_storage.write(
        draw.stored_file,
        b"reference,child_name,date_of_birth,plan_type\nR1,Test Child,01/01/2015,CIN\n",
    )
    return draw


def _audits_url_names():
    names = {"home"}
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "audits":
            names |= {f"audits:{name}" for name in _names(pattern)}
    return names


def _names(pattern):
    if hasattr(pattern, "url_patterns"):
        for inner in pattern.url_patterns:
            yield from _names(inner)
    elif pattern.name:
        yield pattern.name


def test_every_audits_view_is_in_a_matrix():
    """Each feature's access tests live in a tests/audits/<feature>/test_access*.py module with a
    MATRIX of url name -> expectations; a view that no MATRIX names fails here."""
    covered = set()
    audits_tests = Path(__file__).parent.parent
    for path in audits_tests.glob("*/test_access*.py"):
        module = importlib.import_module(f"tests.audits.{path.parent.name}.{path.stem}")
        covered |= set(getattr(module, "MATRIX", {}))
    missing = _audits_url_names() - covered
    assert not missing, f"add these views to an access MATRIX: {sorted(missing)}"


AREA = access.Area(("open_case", "draw"), post_data=lambda c, d: {"from_status": c.round.status})
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


def test_lead_of_other_agency_gets_404_for_round_and_case_of_a_round_they_are_in(client, open_case, agency_b, lead_b):
    case = open_case
    """Agency B takes part in case 2 of the same round, not in case 1: it sees the round, not case 1."""
    other = factories.CaseFactory(round=case.round, number=2)
    factories.CaseAgencyFactory(case=other, agency=agency_b, added_by=case.round.created_by)
    client.force_login(lead_b)
    assert client.get(case.round.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 200
    assert client.get(case.get_absolute_url()).status_code == 404


def test_agency_staff_do_not_see_a_round_while_it_is_planned(client, case, lead_a):
    client.force_login(lead_a)
    assert client.get(case.round.get_absolute_url()).status_code == 404
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.round.title not in client.get(reverse("audits:round-list")).text
    assert case.round.title not in client.get(reverse("home")).text


def test_draw_pages_need_the_identifier_permission(client, open_case, draw, coordinator):
    from django.contrib.auth.models import Permission

    coordinator.groups.get().permissions.remove(Permission.objects.get(codename="view_restricted_identifiers"))
    client.force_login(coordinator)
    assert client.get(reverse("audits:draw-start", args=[open_case.round_id])).status_code == 403
    assert client.get(reverse("audits:draw-preview", args=[open_case.round_id, draw.pk])).status_code == 403
