"""Access matrix of the briefing pages. Coordinators write; coordinators, administrators and board
viewers read published briefings and download published versions (a briefing never published is
404 to them); agency staff 403 everywhere; anonymous visitors go to sign in."""

import pytest
from django.urls import get_resolver, reverse

from briefings.models import BriefingRender, PublishedVersion
from lib.storage import private_storage
from tests import access
from tests.access import FORBIDDEN, NOT_FOUND, OK, REDIRECT, roles
from tests.briefings.test_workflow import PNG

MANAGE = roles(coordinator=OK)
READ = roles(coordinator=OK, administrator=OK, board_viewer=OK)


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
    "briefings:branding": ("get", none, roles(administrator=OK), {"GET", "HEAD", "POST"}),
    "briefings:briefing-create": ("get", round_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "briefings:briefing-detail": ("get", briefing_kwargs, READ, {"GET", "HEAD"}),
    "briefings:briefing-edit": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "briefings:briefing-items": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "briefings:briefing-refresh": ("post", briefing_kwargs, roles(coordinator=REDIRECT), {"POST"}),
    "briefings:briefing-preview": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD"}),
    "briefings:briefing-render": ("post", briefing_kwargs, roles(coordinator=REDIRECT), {"POST"}),
    "briefings:render-download": ("get", render_kwargs, MANAGE, {"GET", "HEAD"}),
    "briefings:briefing-approve": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD", "POST"}),  # a confirmation page
    "briefings:briefing-publish": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD", "POST"}),  # a confirmation page
    "briefings:briefing-reopen": ("post", briefing_kwargs, roles(coordinator=REDIRECT), {"POST"}),
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


AREA = access.Area(("published",))
test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    MATRIX,
    AREA,
    wrong_method_as=lambda url_name: "administrator" if url_name == "briefings:branding" else "coordinator",
)


@pytest.mark.parametrize("role", ["administrator", "board_viewer"])
def test_readers_get_404_for_a_briefing_never_published(client, request, briefing, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("briefings:briefing-detail", args=[briefing.pk])).status_code == NOT_FOUND
    assert client.get(reverse("briefings:version-download", args=[briefing.pk, 1])).status_code == NOT_FOUND
    assert client.get(reverse("briefings:briefing-preview", args=[briefing.pk])).status_code == FORBIDDEN


def test_every_briefings_url_is_in_the_matrix():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["briefings"][1]
    names = {f"briefings:{name}" for name in namespace.reverse_dict if isinstance(name, str)}
    assert names == set(MATRIX)
