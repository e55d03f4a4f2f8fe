"""Sending for approval, approving and publishing ask first ("Are you sure", what will happen), and publishing a round's
briefing moves the round from learning to "Briefing published", in the same transaction, or says
on the confirmation page why it will not."""

from unittest import mock

import pytest

from audits.models import AuditRound
from briefings import workflow
from briefings.models import Briefing, PublishedVersion
from tests.briefings.test_workflow import sign_off

Status = AuditRound.Status


def _at(audit_round, status):
    AuditRound.objects.filter(pk=audit_round.pk).update(status=status)


def _status(audit_round):
    return AuditRound.objects.get(pk=audit_round.pk).status


def test_publishing_moves_a_round_in_the_learning_stage_on(make_briefing, learning_round, coordinator, board_approver):
    _at(learning_round, Status.LEARNING)
    briefing = make_briefing()
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    workflow.briefing_publish(actor=coordinator, briefing=briefing)
    assert _status(learning_round) == Status.PUBLISHED
    assert AuditRound.history.filter(id=learning_round.pk).first().history_user == coordinator


def test_publishing_leaves_a_round_in_another_stage_where_it_is(
    make_briefing, learning_round, coordinator, board_approver
):
    _at(learning_round, Status.OPEN)
    briefing = make_briefing()
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    workflow.briefing_publish(actor=coordinator, briefing=briefing)
    assert _status(learning_round) == Status.OPEN


def test_a_failed_publication_moves_no_round(make_briefing, learning_round, coordinator, board_approver):
    _at(learning_round, Status.LEARNING)
    briefing = make_briefing()
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    with (
        mock.patch("briefings.workflow.rounds_briefing_published", side_effect=RuntimeError("lock lost")),
        pytest.raises(RuntimeError),
    ):
        workflow.briefing_publish(actor=coordinator, briefing=briefing)
    assert _status(learning_round) == Status.LEARNING
    assert not PublishedVersion.objects.filter(briefing=briefing).exists()


def test_sending_for_approval_asks_first(client, coordinator, make_briefing):
    briefing = make_briefing()
    client.force_login(coordinator)
    detail = client.get(briefing.get_absolute_url()).text
    assert f'href="/briefings/{briefing.pk}/send/"' in detail
    assert f'href="/briefings/{briefing.pk}/approve/"' not in detail  # four eyes: never the author
    page = client.get(f"/briefings/{briefing.pk}/send/")
    assert page.status_code == 200
    assert "Are you sure you want to send this briefing for approval?" in page.text
    assert "govuk-warning-text" in page.text and "Yes, send for approval" in page.text
    assert "You cannot approve a briefing you wrote" in page.text
    response = client.post(f"/briefings/{briefing.pk}/send/")  # no confirmation: nothing happens
    assert response.status_code == 302 and response["Location"] == f"/briefings/{briefing.pk}/send/"
    assert Briefing.objects.get(pk=briefing.pk).is_draft
    done = client.post(f"/briefings/{briefing.pk}/send/", {"confirm": "yes"}, follow=True)
    assert "Briefing sent for approval" in done.text
    assert Briefing.objects.get(pk=briefing.pk).is_awaiting
    assert "Only a draft can be sent for approval" in client.get(f"/briefings/{briefing.pk}/send/").text


def test_the_approve_page_asks_first(client, coordinator, board_approver, make_briefing):
    briefing = make_briefing()
    workflow.briefing_submit(actor=coordinator, briefing=briefing)
    client.force_login(board_approver)
    detail = client.get(briefing.get_absolute_url()).text
    assert f'href="/briefings/{briefing.pk}/approve/"' in detail
    page = client.get(f"/briefings/{briefing.pk}/approve/")
    assert page.status_code == 200
    assert "Are you sure you want to approve this briefing?" in page.text
    assert "Nothing is published or sent" in page.text and "govuk-warning-text" in page.text
    # A POST without the confirmation does nothing.
    response = client.post(f"/briefings/{briefing.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == f"/briefings/{briefing.pk}/approve/"
    assert Briefing.objects.get(pk=briefing.pk).is_awaiting
    client.post(f"/briefings/{briefing.pk}/approve/", {"confirm": "yes"})
    assert Briefing.objects.get(pk=briefing.pk).status == Briefing.Status.APPROVED
    assert (
        "Only a briefing waiting for approval can be approved" in client.get(f"/briefings/{briefing.pk}/approve/").text
    )


def test_the_publish_page_says_which_rounds_move_on_and_why_not(
    client, coordinator, board_approver, make_briefing, learning_round
):
    _at(learning_round, Status.OPEN)
    briefing = make_briefing()
    client.force_login(coordinator)
    assert "Only an approved briefing can be published" in client.get(f"/briefings/{briefing.pk}/publish/").text
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    page = client.get(f"/briefings/{briefing.pk}/publish/").text
    assert "Are you sure you want to publish this briefing?" in page
    assert "kept, with its checksum, as version 1" in page
    assert f"{learning_round.title} (Northshire) stays at the stage: Open for returns." in page
    _at(learning_round, Status.LEARNING)
    page = client.get(f"/briefings/{briefing.pk}/publish/").text
    assert f"{learning_round.title} (Northshire) moves to the stage: Briefing published." in page

    response = client.post(f"/briefings/{briefing.pk}/publish/")  # no confirmation: nothing happens
    assert response["Location"] == f"/briefings/{briefing.pk}/publish/"
    assert not PublishedVersion.objects.filter(briefing=briefing).exists()

    done = client.post(f"/briefings/{briefing.pk}/publish/", {"confirm": "yes"}, follow=True)
    assert "Briefing published" in done.text
    assert f"{learning_round.title} is now at the stage: Briefing published." in done.text
    assert _status(learning_round) == Status.PUBLISHED
