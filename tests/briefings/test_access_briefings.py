"""Access matrix of the briefing pages. Coordinators write; coordinators, administrators, board
viewers and approvers, agency leads and auditors read published briefings and download published
versions (a briefing never published is 404 to them); board approvers read a briefing once it is
sent for approval (a draft is 404 to them); anonymous visitors go to sign in."""

import pytest
from django.urls import get_resolver, reverse

from briefings.models import Briefing, BriefingRender, PublishedVersion
from lib.storage import private_storage
from tests import access
from tests.access import FORBIDDEN, NOT_FOUND, OK, REDIRECT, roles
from tests.briefings.test_workflow import PNG

MANAGE = roles(coordinator=OK)
# Readers of published briefings: the partnership's roles and every agency's staff.
READ = roles(coordinator=OK, administrator=OK, board_viewer=OK, lead_a=OK, auditor_a=OK, lead_b=OK)
# The briefing as it stands (a draft again since version 1): a draft does not exist for approvers.
REVIEW = roles(coordinator=OK, board_approver=NOT_FOUND)


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
    "briefings:briefing-preview": ("get", briefing_kwargs, REVIEW, {"GET", "HEAD"}),
    "briefings:briefing-render": ("post", briefing_kwargs, roles(coordinator=REDIRECT), {"POST"}),
    "briefings:render-download": ("get", render_kwargs, REVIEW, {"GET", "HEAD"}),
    "briefings:briefing-docx": ("get", briefing_kwargs, REVIEW, {"GET", "HEAD"}),
    # The workflow's confirmation pages: GET says what will happen (or why it cannot).
    "briefings:briefing-submit": ("get", briefing_kwargs, MANAGE, {"GET", "HEAD", "POST"}),
    "briefings:briefing-approve": ("get", briefing_kwargs, REVIEW, {"GET", "HEAD", "POST"}),
    "briefings:briefing-publish": ("get", briefing_kwargs, REVIEW, {"GET", "HEAD", "POST"}),
    "briefings:briefing-reopen": (
        "post",
        briefing_kwargs,
        roles(coordinator=REDIRECT, board_approver=NOT_FOUND),
        {"POST"},
    ),
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


@pytest.mark.parametrize("role", ["administrator", "board_viewer", "board_approver", "lead_a", "auditor_a"])
def test_readers_get_404_for_a_briefing_never_published(client, request, briefing, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("briefings:briefing-detail", args=[briefing.pk])).status_code == NOT_FOUND
    assert client.get(reverse("briefings:version-download", args=[briefing.pk, 1])).status_code == NOT_FOUND
    preview = client.get(reverse("briefings:briefing-preview", args=[briefing.pk])).status_code
    assert preview == (NOT_FOUND if role == "board_approver" else FORBIDDEN)


@pytest.mark.parametrize("status", [Briefing.Status.AWAITING, Briefing.Status.APPROVED])
def test_a_board_approver_reads_a_briefing_once_it_is_sent(client, board_approver, board_viewer, briefing, status):
    Briefing.objects.filter(pk=briefing.pk).update(status=status)
    client.force_login(board_approver)
    for name in ("briefing-detail", "briefing-preview", "briefing-approve", "briefing-publish"):
        assert client.get(reverse(f"briefings:{name}", args=[briefing.pk])).status_code == OK, name
    assert (
        client.get(reverse("briefings:render-download", args=[briefing.pk, briefing.done_render.pk])).status_code == OK
    )
    # A board viewer only ever reads what is published.
    client.force_login(board_viewer)
    assert client.get(reverse("briefings:briefing-detail", args=[briefing.pk])).status_code == NOT_FOUND
    assert client.get(reverse("briefings:briefing-preview", args=[briefing.pk])).status_code == FORBIDDEN


def test_every_briefings_url_is_in_the_matrix():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["briefings"][1]
    names = {f"briefings:{name}" for name in namespace.reverse_dict if isinstance(name, str)}
    assert names == set(MATRIX)
