"""Access matrix of the audit tool pages. Agency A's tool: A's lead and auditor edit it, only the
lead submits, coordinators decide, administrators read, agency B's staff get 404."""

import pytest
from django.urls import reverse

from audits.returns import services as tool_services

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]


def _roles(**statuses):
    return {role: statuses.get(role, FORBIDDEN) for role in ROLES} | {"lead_b": statuses.get("lead_b", NOT_FOUND)}


def tool_kwargs(tool):
    return {"pk": tool.pk}


def section_kwargs(tool):
    return {"pk": tool.pk, "section_pk": tool_services.sections_of(tool)[0].pk}


MATRIX = {
    "audits:tool-detail": (
        "get",
        tool_kwargs,
        _roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
    "audits:tool-section": ("get", section_kwargs, _roles(lead_a=OK, auditor_a=OK), {"GET", "HEAD", "POST"}),
    "audits:tool-check": (
        "get",
        tool_kwargs,
        _roles(coordinator=OK, administrator=OK, lead_a=OK, auditor_a=OK),
        {"GET", "HEAD"},
    ),
    # The lead's submit of an incomplete tool answers 200 with the list of missing answers.
    "audits:tool-submit": ("post", tool_kwargs, _roles(lead_a=OK), {"POST"}),
    "audits:tool-return": ("get", tool_kwargs, _roles(coordinator=OK), {"GET", "HEAD", "POST"}),
    "audits:tool-accept": ("post", tool_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, tool_a, lead_a, auditor_a, lead_b, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(tool_a)))
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, tool_a, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(tool_a)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, tool_a, lead_a, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(lead_a)
    for method in ("get", "post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(reverse(url_name, kwargs=kwargs(tool_a))).status_code == 405


def test_auditor_of_a_cannot_open_agency_b_tool(client, tool_b, auditor_a):
    client.force_login(auditor_a)
    assert client.get(tool_b.get_absolute_url()).status_code == 404
    assert client.get(reverse("audits:tool-section", kwargs=section_kwargs(tool_b))).status_code == 404
