"""Access matrix of the learning library: whoever may read published briefings (coordinators,
administrators, board viewers); agency staff 403, whichever agency."""

import pytest
from django.urls import reverse

OK, FORBIDDEN = 200, 403
ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]
READ = dict.fromkeys(ROLES, FORBIDDEN) | {"coordinator": OK, "administrator": OK, "board_viewer": OK}

MATRIX = {
    "audits:library": ("get", dict, READ, {"GET", "HEAD"}),
    "audits:library-themes": ("get", dict, READ, {"GET", "HEAD"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs()))
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, db, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, coordinator, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(coordinator)
    for method in ("post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(reverse(url_name, kwargs=kwargs())).status_code == 405


@pytest.mark.parametrize("role", ["coordinator", "administrator", "board_viewer"])
def test_the_library_is_in_the_navigation_of_those_who_may_read_it(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert f'href="{reverse("audits:library")}"' in client.get(reverse("home")).text


def test_agency_staff_have_no_library_in_their_navigation(client, lead_a):
    client.force_login(lead_a)
    assert f'href="{reverse("audits:library")}"' not in client.get(reverse("home")).text
