"""Access matrix of the round completion views: coordinators and administrators only."""

import pytest
from django.urls import reverse

ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]
ALL_ROUNDS_ONLY = {
    "coordinator": 200,
    "administrator": 200,
    "board_viewer": 403,
    # Agency A's staff can see the round, but not other agencies' progress in it.
    "lead_a": 403,
    "auditor_a": 403,
    # Agency B is not part of the round at all.
    "lead_b": 404,
}

# url name -> (method, kwargs builder (case, draw), expected status per role, allowed methods)
MATRIX = {
    "audits:round-completion": ("get", lambda c, d: {"pk": c.round_id}, ALL_ROUNDS_ONLY, {"GET", "HEAD"}),
    "audits:round-completion-csv": ("get", lambda c, d: {"pk": c.round_id}, ALL_ROUNDS_ONLY, {"GET", "HEAD"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, open_case, lead_a, auditor_a, lead_b, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(open_case, None)))
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, open_case, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(open_case, None)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in") + "?next=")


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, open_case, coordinator, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(coordinator)
    url = reverse(url_name, kwargs=kwargs(open_case, None))
    for method in ("get", "post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(url).status_code == 405, f"{method.upper()} {url_name}"


def test_agency_staff_get_404_while_the_round_is_planned(client, case, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("audits:round-completion", args=[case.round_id])).status_code == 404
