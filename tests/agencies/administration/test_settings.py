"""The settings page and the navigation's one "Settings" item: what it lists is what the person
may manage, and the pages it leads to light it."""

import pytest
from django.urls import resolve, reverse

from config.context_processors import service


def labels(rf, user, path="/"):
    request = rf.get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return {item["label"]: item["current"] for item in service(request)["navigation"]}


@pytest.mark.parametrize(
    ("role", "listed", "not_listed"),
    [
        ("coordinator", ["Audit tool templates", "Practice themes"], ["People", "Access log", "Django admin"]),
        (
            "administrator",
            ["Audit tool templates", "Practice themes", "People", "Agencies", "Areas", "Needs", "Access log"],
            ["Django admin"],
        ),
    ],
)
def test_the_page_lists_what_the_person_may_manage(client, request, role, listed, not_listed):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("administration:settings")).text
    for label in listed:
        assert f">{label}</a>" in page, label
    for label in not_listed:
        assert f">{label}</a>" not in page, label


def test_a_superuser_finds_djangos_admin_there(client, rf, administrator):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    assert ">Django admin</a>" in client.get(reverse("administration:settings")).text
    assert "Django admin" not in labels(rf, administrator)


@pytest.mark.parametrize("role", ["lead_a", "auditor_a", "board_viewer"])
def test_others_have_no_settings(client, rf, request, role):
    user = request.getfixturevalue(role)
    assert "Settings" not in labels(rf, user)
    client.force_login(user)
    assert client.get(reverse("administration:settings")).status_code == 403


def test_the_navigation_has_one_settings_item_in_place_of_the_settings_pages(rf, administrator, coordinator):
    assert list(labels(rf, administrator)) == [
        "Your tasks",
        "Audit rounds",
        "Action plan",
        "Learning library",
        "Briefings",
        "Settings",
    ]
    assert "Settings" in labels(rf, coordinator)


@pytest.mark.parametrize(
    "url_name",
    [
        "administration:settings",
        "audits:template-list",
        "audits:theme-list",
        "administration:index",
        "administration:person-list",
        "access-log",
    ],
)
def test_the_settings_pages_light_settings(rf, administrator, url_name):
    current = [label for label, is_current in labels(rf, administrator, reverse(url_name)).items() if is_current]
    assert current == ["Settings"]


def test_other_pages_light_their_own_section(rf, coordinator):
    assert labels(rf, coordinator, reverse("audits:round-list"))["Settings"] is False
    assert labels(rf, coordinator, reverse("audits:round-list"))["Audit rounds"] is True
