"""Access matrix of the integrated chronology and its exports.

Coordinators always; staff of the case's agencies once the round's tools due date has passed
(403 before); other agencies' staff 404; administrators and board viewers 403."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditRound
from tests import access, factories
from tests.access import FORBIDDEN, NOT_FOUND, OK, REDIRECT, roles

# lead_b's agency B takes part in the case (returns_case); lead_c's agency C does not.
ROLES = [*access.ROLES, "lead_c"]

AFTER_DUE = roles(coordinator=OK, lead_a=OK, auditor_a=OK, lead_b=OK, lead_c=NOT_FOUND)
BEFORE_DUE = {**AFTER_DUE, "lead_a": FORBIDDEN, "auditor_a": FORBIDDEN, "lead_b": FORBIDDEN}
# Downloads are POSTs that queue an export and redirect to its status page (tests/exports/).
EXPORT_AFTER_DUE = {role: REDIRECT if status == OK else status for role, status in AFTER_DUE.items()}
EXPORT_BEFORE_DUE = {role: REDIRECT if status == OK else status for role, status in BEFORE_DUE.items()}


def _case(case):
    return {"pk": case.round_id, "number": case.number}


# url name -> (method, kwargs builder, expected status per role once tools are due, allowed methods)
MATRIX = {
    "audits:integrated-chronology": ("get", _case, AFTER_DUE, {"GET", "HEAD"}),
    "audits:integrated-chronology-csv": ("post", _case, EXPORT_AFTER_DUE, {"POST"}),
    "audits:integrated-chronology-xlsx": ("post", _case, EXPORT_AFTER_DUE, {"POST"}),
    "audits:integrated-chronology-pdf": ("post", _case, EXPORT_AFTER_DUE, {"POST"}),
}


def move_tools_due_date(audit_round, days_from_today):
    """Shift every milestone so the tools due date falls ``days_from_today`` from today."""
    shift = timezone.localdate() + datetime.timedelta(days=days_from_today) - audit_round.tools_due_date
    AuditRound.objects.filter(pk=audit_round.pk).update(
        launch_date=F("launch_date") + shift,
        tools_due_date=F("tools_due_date") + shift,
        meeting_date=F("meeting_date") + shift,
        learning_due_date=F("learning_due_date") + shift,
        briefing_due_date=F("briefing_due_date") + shift,
    )
    audit_round.refresh_from_db()


@pytest.fixture
def due_case(returns_case):
    """The case with agencies A and B, in a round whose tools were due yesterday."""
    move_tools_due_date(returns_case.round, -1)
    return returns_case


@pytest.fixture
def lead_c(due_case):
    """The lead of agency C, which takes part in case 2 of the same round but not in case 1."""
    agency = factories.AgencyFactory(name="Agency C Health", short_name="Agency C")
    other = factories.CaseFactory(round=due_case.round, number=2)
    factories.CaseAgencyFactory(case=other, agency=agency, added_by=due_case.round.created_by)
    return factories.UserFactory(email="lead.c@example.test", agency=agency, agency_role="lead")


# Once the tools are due: the MATRIX.
AREA = access.Area(("due_case",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    MATRIX, AREA, role_names=ROLES
)


@pytest.mark.parametrize("url_name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_access_before_tools_are_due(client, request, due_case, url_name, role):
    move_tools_due_date(due_case.round, 0)  # due today: not yet passed
    url = reverse(url_name, kwargs=_case(due_case))
    user = request.getfixturevalue(role)
    method = MATRIX[url_name][0]
    expected = (BEFORE_DUE if method == "get" else EXPORT_BEFORE_DUE)[role]
    access.assert_access(client, user, method, url, expected, url_name=url_name, role=role)


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_coordinator_sees_it_before_tools_are_due(client, returns_case, coordinator, url_name):
    move_tools_due_date(returns_case.round, 10)
    client.force_login(coordinator)
    method = MATRIX[url_name][0]
    response = getattr(client, method)(reverse(url_name, kwargs=_case(returns_case)))
    assert response.status_code == (200 if method == "get" else 302)


def test_agency_staff_do_not_see_it_while_the_round_is_planned(client, due_case, lead_a):
    AuditRound.objects.filter(pk=due_case.round_id).update(status=AuditRound.Status.PLANNING)
    client.force_login(lead_a)
    assert client.get(reverse("audits:integrated-chronology", kwargs=_case(due_case))).status_code == 404
