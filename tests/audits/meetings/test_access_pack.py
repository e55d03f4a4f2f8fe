"""Access matrix of the meeting pack's request page. The round's case has agency A only:
coordinators and agency A's lead and auditor ask for the pack (a POST queues it and goes to its
status page); administrators and board viewers 403; agency B's lead (not in the round) 404."""

import pytest
from django.urls import reverse

from audits.models import AuditRound
from tests import access
from tests.access import FORBIDDEN, OK, round_roles


def round_kwargs(case):
    return {"pk": case.round_id}


MATRIX = {
    "audits:meeting-pack": (
        "get",
        round_kwargs,
        round_roles(coordinator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD", "POST"},
    ),
}

AREA = access.Area(("open_case",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


@pytest.mark.parametrize("role", ["coordinator", "lead_a", "auditor_a"])
def test_the_pack_is_queued_for_those_who_may_have_it(client, request, open_case, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("audits:meeting-pack", kwargs=round_kwargs(open_case)), {"chronology": "key"})
    assert response.status_code == 302 and "/exports/" in response["Location"]


@pytest.mark.parametrize("role", ["administrator", "board_viewer"])
def test_others_are_refused_the_pack(client, request, open_case, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("audits:meeting-pack", kwargs=round_kwargs(open_case)), {"chronology": "key"})
    assert response.status_code == FORBIDDEN


def test_no_pack_of_a_round_still_being_planned(client, case, coordinator):
    """While a round is planned its cases and agencies change: no pack yet (403)."""
    assert case.round.status == AuditRound.Status.PLANNING
    client.force_login(coordinator)
    assert client.get(reverse("audits:meeting-pack", kwargs=round_kwargs(case))).status_code == FORBIDDEN
