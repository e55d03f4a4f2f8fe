"""Access matrix of the action plan pages. Agency A took part in the round and leads the action:
its lead updates it, its auditor reads it; coordinators manage; administrators read; board
viewers get 403; agency B (not in the round) gets 404 for the round's plan and its actions."""

import pytest
from django.urls import reverse

from tests import access, factories
from tests.access import FORBIDDEN, OK, REDIRECT, roles, round_roles

READ = round_roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK)
MANAGE = round_roles(coordinator=OK)
UPDATE = round_roles(lead_a=OK)
# The plan across rounds: everyone who may see any round (B sees an empty plan); board viewers 403.
CROSS = roles(OK, board_viewer=FORBIDDEN)
# Downloads are POSTs that queue an export and redirect to its status page (tests/exports/).
READ_EXPORT = round_roles(coordinator=REDIRECT, administrator=REDIRECT, lead_a=REDIRECT, auditor_a=REDIRECT)
CROSS_EXPORT = roles(REDIRECT, board_viewer=FORBIDDEN)


def round_kwargs(action):
    return {"pk": action.round_id}


def action_kwargs(action):
    return {"pk": action.pk}


def no_kwargs(action):
    return {}


MATRIX = {
    "audits:round-actions": ("get", round_kwargs, READ, {"GET", "HEAD"}),
    "audits:round-actions-csv": ("post", round_kwargs, READ_EXPORT, {"POST"}),
    "audits:round-actions-xlsx": ("post", round_kwargs, READ_EXPORT, {"POST"}),
    "audits:round-actions-pdf": ("post", round_kwargs, READ_EXPORT, {"POST"}),
    "audits:action-add": ("get", round_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:action-list": ("get", no_kwargs, CROSS, {"GET", "HEAD"}),
    "audits:action-list-csv": ("post", no_kwargs, CROSS_EXPORT, {"POST"}),
    "audits:action-list-xlsx": ("post", no_kwargs, CROSS_EXPORT, {"POST"}),
    "audits:action-list-pdf": ("post", no_kwargs, CROSS_EXPORT, {"POST"}),
    "audits:action-detail": ("get", action_kwargs, READ, {"GET", "HEAD"}),
    "audits:action-edit": ("get", action_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:action-update": ("get", action_kwargs, UPDATE, {"GET", "HEAD", "POST"}),
    "audits:action-propose": ("get", action_kwargs, UPDATE, {"GET", "HEAD", "POST"}),
    # Confirming an action nobody proposed as complete is refused with a message and a redirect.
    "audits:action-confirm": ("post", action_kwargs, round_roles(coordinator=REDIRECT), {"POST"}),
    "audits:action-reopen": ("get", action_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "audits:action-not-going-ahead": ("get", action_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
}


@pytest.fixture
def action(open_case, agency_a, coordinator):
    return factories.ActionFactory(round=open_case.round, lead_agency=agency_a, created_by=coordinator)


AREA = access.Area(("action",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


def test_lead_of_another_agency_in_the_round_reads_the_plan_but_cannot_update(
    client, action, agency_b, lead_b, coordinator
):
    other = factories.CaseFactory(round=action.round, number=2)
    factories.CaseAgencyFactory(case=other, agency=agency_b, added_by=coordinator)
    client.force_login(lead_b)
    assert client.get(reverse("audits:round-actions", args=[action.round_id])).status_code == 200
    assert client.get(action.get_absolute_url()).status_code == 200
    assert client.get(reverse("audits:action-update", args=[action.pk])).status_code == 403
    assert client.post(reverse("audits:action-propose", args=[action.pk])).status_code == 403


def test_agency_b_does_not_see_the_action_in_the_cross_round_plan(client, action, lead_b):
    client.force_login(lead_b)
    response = client.get(reverse("audits:action-list"))
    assert action.what not in response.text
