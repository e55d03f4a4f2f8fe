"""Access matrix of the round completion views: coordinators and administrators only."""

from django.urls import reverse

from tests import access
from tests.access import OK, round_roles

# Agency A's staff can see the round, but not other agencies' progress in it (403); agency B is
# not part of the round at all (404).
ALL_ROUNDS_ONLY = round_roles(coordinator=OK, administrator=OK)

# url name -> (method, kwargs builder (case), expected status per role, allowed methods)
MATRIX = {
    "audits:round-completion": ("get", lambda c: {"pk": c.round_id}, ALL_ROUNDS_ONLY, {"GET", "HEAD"}),
    "audits:round-completion-csv": ("get", lambda c: {"pk": c.round_id}, ALL_ROUNDS_ONLY, {"GET", "HEAD"}),
    # "Send a reminder now" (its confirmation page; the POST is in test_completion.py): coordinators
    # only, the administrator reads the matrix but does not chase.
    "audits:round-chase": (
        "get",
        lambda c: {"pk": c.round_id, "agency_pk": c.case_agencies.get().agency_id},
        round_roles(coordinator=OK),
        {"GET", "HEAD", "POST"},
    ),
}


AREA = access.Area(("open_case",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(MATRIX, AREA)


def test_agency_staff_get_404_while_the_round_is_planned(client, case, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("audits:round-completion", args=[case.round_id])).status_code == 404
