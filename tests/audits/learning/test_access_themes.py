"""Access matrix of the practice-theme pages: coordinators and administrators only."""

import pytest
from django.urls import reverse

from audits.models import PracticeTheme

OK, FORBIDDEN = 200, 403
ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]
MANAGERS = {role: OK if role in ("coordinator", "administrator") else FORBIDDEN for role in ROLES}


def no_kwargs(theme):
    return {}


def theme_kwargs(theme):
    return {"pk": theme.pk}


MATRIX = {
    "audits:theme-list": ("get", no_kwargs, MANAGERS, {"GET", "HEAD"}),
    "audits:theme-add": ("get", no_kwargs, MANAGERS, {"GET", "HEAD", "POST"}),
    "audits:theme-edit": ("get", theme_kwargs, MANAGERS, {"GET", "HEAD", "POST"}),
}


@pytest.fixture
def theme(db):
    return PracticeTheme.objects.order_by("name").first()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, theme, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(theme)))
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, theme, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(theme)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, theme, coordinator, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(coordinator)
    for method in ("get", "post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(reverse(url_name, kwargs=kwargs(theme))).status_code == 405


def test_missing_theme_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("audits:theme-edit", kwargs={"pk": 999999})).status_code == 404
