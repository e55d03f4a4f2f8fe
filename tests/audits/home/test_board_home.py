"""The board's home: the published briefings (the latest first, with their rounds and a download
link) and, for a board approver, what waits for their approval; the coordinator's home lists the
briefings being signed off. Its queries do not grow with the briefings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from briefings import workflow
from briefings.models import Briefing
from briefings.services import briefing_create
from tests import factories
from tests.briefings.conftest import learning_round, make_briefing  # noqa: F401


def _briefing(coordinator, title, *, status="draft", versions=0):
    audit_round = factories.AuditRoundFactory(created_by=coordinator)
    briefing = briefing_create(
        actor=coordinator, rounds=[audit_round], briefing_format=Briefing.Format.SIX_STEP, title=title
    )
    for number in range(1, versions + 1):
        briefing.versions.create(
            number=number, stored_file=f"x/{number}.pdf", sha256="0" * 64, published_by=coordinator
        )
    Briefing.objects.filter(pk=briefing.pk).update(status=status)
    return briefing


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", ["board_viewer", "board_approver"])
def test_the_board_home_lists_published_briefings_latest_first(client, request, coordinator, clock, role):
    older = _briefing(coordinator, "Older briefing", status="published", versions=1)
    clock.shift(3600)
    newer = _briefing(coordinator, "Newer briefing", status="published", versions=2)
    _briefing(coordinator, "A draft nobody reads")
    response = _home(client, request.getfixturevalue(role))
    assert list(response.context["published_briefings"]) == [newer, older]
    text = response.text
    assert text.index("Newer briefing") < text.index("Older briefing")
    assert f"/briefings/{newer.pk}/versions/2/" in text and f"/briefings/{older.pk}/versions/1/" in text
    assert older.rounds.get().title in text
    assert "A draft nobody reads" not in text and "nothing to do" not in text


def test_a_board_approver_sees_what_waits_for_their_approval(client, coordinator, board_approver, board_viewer):
    waiting = _briefing(coordinator, "Waiting briefing", status="awaiting")
    _briefing(coordinator, "Still a draft")
    response = _home(client, board_approver)
    assert list(response.context["awaiting_briefings"]) == [waiting]
    assert f'href="/briefings/{waiting.pk}/approve/"' in response.text
    assert "Still a draft" not in response.text
    assert "No briefings have been published yet." in response.text
    # A board viewer approves nothing: no such list.
    viewer = _home(client, board_viewer)
    assert "awaiting_briefings" not in viewer.context and "Waiting briefing" not in viewer.text


def test_the_author_is_told_another_person_must_approve(client, coordinator, board_approver):
    own = _briefing(coordinator, "Approver's own", status="awaiting")
    Briefing.objects.filter(pk=own.pk).update(created_by=board_approver)  # as if they had written it
    text = _home(client, board_approver).text
    assert "Approver&#x27;s own" in text and f'href="/briefings/{own.pk}/approve/"' not in text
    assert "You wrote this briefing: another person must approve it" in text


def test_the_coordinator_sees_briefings_being_signed_off(client, coordinator):
    waiting = _briefing(coordinator, "Waiting briefing", status="awaiting")
    approved = _briefing(coordinator, "Approved briefing", status="approved")
    _briefing(coordinator, "A draft")
    response = _home(client, coordinator)
    assert list(response.context["sign_off_briefings"]) == [waiting, approved]
    assert "Waiting for a board approver" in response.text and "Ready to publish" in response.text


def test_the_board_home_with_no_briefings_yet(client, board_viewer):
    text = _home(client, board_viewer).text
    assert "No briefings have been published yet." in text


def test_a_real_sign_off_reaches_the_board_home(client, make_briefing, coordinator, board_approver, board_viewer):  # noqa: F811
    briefing = make_briefing()
    workflow.briefing_submit(actor=coordinator, briefing=briefing)
    assert "Neglect audit briefing" in _home(client, board_approver).text
    workflow.briefing_approve(actor=board_approver, briefing=briefing)
    workflow.briefing_publish(actor=board_approver, briefing=briefing)
    text = _home(client, board_viewer).text
    assert "Neglect audit briefing" in text and f"/briefings/{briefing.pk}/versions/1/" in text


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["board_viewer", "board_approver", "coordinator"])
def test_the_home_queries_do_not_grow_with_briefings(client, request, coordinator, role):
    def add(count):
        for n in range(count):
            _briefing(coordinator, f"Published {n}", status="published", versions=2)
            _briefing(coordinator, f"Waiting {n}", status="awaiting")
            _briefing(coordinator, f"Approved {n}", status="approved")

    add(1)
    client.force_login(request.getfixturevalue(role))
    one = _queries(client)
    add(9)
    assert _queries(client) == one
