"""Access matrix of the briefing pages. Coordinators write; coordinators, administrators and board
viewers read published briefings and download published versions (a briefing never published is
404 to them); agency staff 403 everywhere; anonymous visitors go to sign in."""

import pytest
from django.urls import get_resolver, reverse

from briefings.models import BriefingRender, PublishedVersion
from lib.storage import private_storage
from tests.briefings.test_workflow import PNG

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ["coordinator", "administrator", "board_viewer", "lead_a", "auditor_a", "lead_b"]


def _roles(**statuses):
    return {role: statuses.get(role, FORBIDDEN) for role in ROLES}


MANAGE = _roles(coordinator=OK)
READ = _roles(coordinator=OK, administrator=OK, board_viewer=OK)


def none(b):
    return {}


def round_kwargs(b):
    return {"pk": b.rounds.get().pk}


def briefing_kwargs(b):
    return {"pk": b.pk}


def render_kwargs(b):
    return {"pk": b.pk, "render_pk": b.done_render.pk}


def version_kwargs(b):
    return {"pk": b.pk, "number": 1}


MATRIX = {
    "briefings:briefing-list": ("get", none, READ, {"GET", "HEAD"}),
    "briefings:branding": ("get", none, _roles(administrator=OK), {"GET", "HEAD", "POST"}),
    "briefings:briefing-create": ("get", round_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "briefings:briefing-detail": ("get", briefing_kwargs, READ, {"GET", "HEAD"}),
    "briefings:briefing-edit": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "briefings:briefing-items": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "briefings:briefing-refresh": ("post", briefing_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
    "briefings:briefing-preview": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD"}),
    "briefings:briefing-render": ("post", briefing_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
    "briefings:render-download": ("get", render_kwargs, MANAGE, {"GET", "HEAD"}),
    "briefings:briefing-approve": ("post", briefing_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
    "briefings:briefing-publish": ("post", briefing_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
    "briefings:briefing-reopen": ("post", briefing_kwargs, _roles(coordinator=REDIRECT), {"POST"}),
    "briefings:version-download": ("get", version_kwargs, READ, {"GET", "HEAD"}),
}


@pytest.fixture
def briefing(make_briefing, coordinator):
    """A draft briefing with a finished render, never published."""
    briefing = make_briefing()
    private_storage.write("briefings/test/render.pdf", PNG)
    briefing.done_render = BriefingRender.objects.create(
        briefing=briefing, requested_by=coordinator, state="done", stored_file="briefings/test/render.pdf"
    )
    return briefing


@pytest.fixture
def published(briefing, coordinator):
    """The briefing with a version 1 from an earlier publication (a draft again since)."""
    private_storage.write("briefings/test/v1.pdf", PNG)
    PublishedVersion.objects.create(
        briefing=briefing, number=1, stored_file="briefings/test/v1.pdf", sha256="0" * 64, published_by=coordinator
    )
    return briefing


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access(client, request, published, lead_a, auditor_a, lead_b, url_name, role):
    method, kwargs, expected, _ = MATRIX[url_name]
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(published)))
    assert response.status_code == expected[role], f"{role} {url_name}"


@pytest.mark.parametrize("role", ["administrator", "board_viewer"])
def test_readers_get_404_for_a_briefing_never_published(client, request, briefing, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("briefings:briefing-detail", args=[briefing.pk])).status_code == NOT_FOUND
    assert client.get(reverse("briefings:version-download", args=[briefing.pk, 1])).status_code == NOT_FOUND
    assert client.get(reverse("briefings:briefing-preview", args=[briefing.pk])).status_code == FORBIDDEN


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(client, published, url_name):
    method, kwargs, _, _ = MATRIX[url_name]
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs(published)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_wrong_method_is_refused(client, published, coordinator, administrator, url_name):
    _, kwargs, _, allowed = MATRIX[url_name]
    client.force_login(administrator if url_name == "briefings:branding" else coordinator)
    for method in ("get", "post", "put", "delete"):
        if method.upper() not in allowed:
            assert getattr(client, method)(reverse(url_name, kwargs=kwargs(published))).status_code == 405


def test_every_briefings_url_is_in_the_matrix():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["briefings"][1]
    names = {f"briefings:{name}" for name in namespace.reverse_dict if isinstance(name, str)}
    assert names == set(MATRIX)
