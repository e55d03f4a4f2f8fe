"""The board's sign-off: the coordinator sends a briefing for approval, a board approver approves
it (never its author while four eyes are on), a board approver or the coordinator publishes it;
each step is in the history, approval and publication in the access log; the pages offer only
what the rules allow and say why approving is refused."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import AccessEvent
from briefings import workflow
from briefings.models import Briefing, BriefingItem
from briefings.permissions import can_approve, can_publish, can_reopen, can_review, can_submit
from briefings.services import briefing_create
from lib.storage import private_storage
from tests import factories
from tests.briefings.test_workflow import sign_off


@pytest.fixture
def author(db):
    """A coordinator who is also a board approver."""
    user = factories.UserFactory(email="both@example.test", full_name="Ash Both", role="Coordinator")
    user.groups.add(Group.objects.get(name="Board approver"))
    return type(user).objects.get(pk=user.pk)  # permissions read afresh


@pytest.fixture
def own(author, learning_round):
    """A briefing the author wrote and sent for approval."""
    briefing = briefing_create(
        actor=author, rounds=[learning_round], briefing_format=Briefing.Format.SIX_STEP, title="Author's own"
    )
    return workflow.briefing_submit(actor=author, briefing=briefing)


@pytest.fixture
def sent(make_briefing, coordinator):
    briefing = make_briefing()
    return workflow.briefing_submit(actor=coordinator, briefing=briefing)


def test_four_eyes_are_on_by_default(settings):
    assert settings.BRIEFING_FOUR_EYES is True


def test_the_board_signs_off_and_publishes(make_briefing, coordinator, board_approver, learning_round):
    briefing = make_briefing()
    assert can_submit(coordinator, briefing) and not can_approve(board_approver, briefing)
    workflow.briefing_submit(actor=coordinator, briefing=briefing)
    briefing.refresh_from_db()
    assert briefing.is_awaiting and can_approve(board_approver, briefing)
    workflow.briefing_approve(actor=board_approver, briefing=briefing, origin="192.0.2.7")
    briefing.refresh_from_db()
    assert briefing.is_approved and briefing.approved_by == board_approver
    version = workflow.briefing_publish(actor=board_approver, briefing=briefing, origin="192.0.2.7")
    briefing.refresh_from_db()
    assert briefing.is_published and version.published_by == board_approver

    # The history: who sent it, who approved it, who published it.
    history = [(h.status, h.history_user) for h in briefing.history.order_by("history_date", "history_id")]
    assert ("awaiting", coordinator) in history
    assert ("approved", board_approver) in history
    assert history[-1] == ("published", board_approver)
    # The access log: approval and publication, by whom and from where, naming the briefing by number.
    events = AccessEvent.objects.filter(kind__in=["briefing_approved", "briefing_published"]).order_by("pk")
    assert [(e.kind, e.user, e.ip_address) for e in events] == [
        ("briefing_approved", board_approver, "192.0.2.7"),
        ("briefing_published", board_approver, "192.0.2.7"),
    ]
    assert events[1].what == f"Briefing {briefing.pk} version 1 published"


def test_the_published_version_holds_the_learning_it_printed_and_says_its_version(
    make_briefing, coordinator, board_approver
):
    briefing = make_briefing()
    left_out = BriefingItem.objects.filter(briefing=briefing).order_by("position").first()
    left_out.included = False
    left_out.save()
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    version = workflow.briefing_publish(actor=coordinator, briefing=briefing)
    printed = set(version.learning_points.values_list("pk", flat=True))
    assert printed and left_out.learning_point_id not in printed
    included = set(briefing.items.filter(included=True).values_list("learning_point_id", flat=True))
    assert printed <= included
    pdf = PdfReader(io.BytesIO(private_storage.read_bytes(version.stored_file)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Version 1" in text and "DRAFT" not in text


def test_the_coordinator_cannot_approve_with_four_eyes_on(sent, coordinator):
    with pytest.raises(ValidationError, match="Only a board approver can approve"):
        workflow.briefing_approve(actor=coordinator, briefing=sent)
    assert Briefing.objects.get(pk=sent.pk).is_awaiting


def test_the_author_never_approves_their_own_even_as_a_board_approver(own, author, board_approver):
    assert own.created_by == author
    with pytest.raises(ValidationError, match="You wrote this briefing: another person must approve it"):
        workflow.briefing_approve(actor=author, briefing=own)
    assert not can_approve(author, own)
    assert can_reopen(author, own)  # they may still take it back
    workflow.briefing_approve(actor=board_approver, briefing=own)  # another approver may
    assert Briefing.objects.get(pk=own.pk).approved_by == board_approver


def test_with_four_eyes_off_a_coordinator_approves_their_own_draft(settings, make_briefing, coordinator):
    settings.BRIEFING_FOUR_EYES = False
    briefing = make_briefing()
    assert can_approve(coordinator, briefing)
    workflow.briefing_approve(actor=coordinator, briefing=briefing)
    briefing.refresh_from_db()
    assert briefing.is_approved and briefing.approved_by == coordinator
    other = workflow.briefing_submit(actor=coordinator, briefing=make_briefing(title="Second"))
    workflow.briefing_approve(actor=coordinator, briefing=other)  # once sent too
    assert Briefing.objects.get(pk=other.pk).is_approved


def test_a_board_approver_never_approves_a_draft(make_briefing, board_approver, settings):
    for four_eyes in (True, False):
        settings.BRIEFING_FOUR_EYES = four_eyes
        with pytest.raises(ValidationError, match="waiting for approval"):
            workflow.briefing_approve(actor=board_approver, briefing=make_briefing())


@pytest.mark.parametrize("role", ["board_viewer", "administrator", "lead_a", "auditor_a"])
def test_nobody_else_takes_part(request, sent, role):
    user = request.getfixturevalue(role)
    for service in (workflow.briefing_submit, workflow.briefing_approve, workflow.briefing_publish):
        with pytest.raises(PermissionDenied):
            service(actor=user, briefing=sent)
    with pytest.raises(PermissionDenied):
        workflow.briefing_reopen(actor=user, briefing=sent)
    assert not can_review(user, sent)


def test_a_board_approver_sends_back_only_what_waits_for_approval(sent, coordinator, board_approver):
    workflow.briefing_reopen(actor=board_approver, briefing=sent)
    sent.refresh_from_db()
    assert sent.is_draft
    sign_off(sent, coordinator=coordinator, approver=board_approver)
    with pytest.raises(ValidationError, match="Only a briefing waiting for approval can be sent back"):
        workflow.briefing_reopen(actor=board_approver, briefing=sent)
    workflow.briefing_reopen(actor=coordinator, briefing=sent)  # "Make changes" un-approves
    sent.refresh_from_db()
    assert sent.is_draft and sent.approved_by is None and sent.approved_at is None


def test_publishing_needs_approval_first(sent, coordinator, board_approver):
    assert not can_publish(board_approver, sent)
    with pytest.raises(ValidationError, match="Only an approved briefing can be published"):
        workflow.briefing_publish(actor=board_approver, briefing=sent)


def test_each_step_reads_the_briefing_again_under_its_lock(sent, coordinator, board_approver):
    """A page loaded before someone else moved the briefing on cannot act on the old state."""
    stale = Briefing.objects.get(pk=sent.pk)
    workflow.briefing_reopen(actor=coordinator, briefing=sent)
    with pytest.raises(ValidationError, match="waiting for approval"):
        workflow.briefing_approve(actor=board_approver, briefing=stale)


def test_sending_for_approval_is_refused_while_a_child_could_be_identified(client, make_briefing, coordinator):
    briefing = make_briefing(introduction="We met Zebedee Quillfeather at school.")
    client.force_login(coordinator)
    response = client.post(reverse("briefings:briefing-submit", args=[briefing.pk]), {"confirm": "yes"})
    assert response.status_code == 400
    assert "The briefing could identify a child" in response.text
    assert "Quillfeather" not in response.text  # where, never what
    assert Briefing.objects.get(pk=briefing.pk).is_draft


# --- The pages: what each person is offered ---


def _buttons(client, briefing):
    text = client.get(briefing.get_absolute_url()).text
    return {
        "send": f'href="/briefings/{briefing.pk}/send/"' in text,
        "approve": f'href="/briefings/{briefing.pk}/approve/"' in text,
        "publish": f'href="/briefings/{briefing.pk}/publish/"' in text,
        "make changes": ">Make changes</button>" in text,
        "send back": ">Send back</button>" in text,
        "text": text,
    }


def test_the_briefing_page_offers_each_person_their_next_step(client, make_briefing, coordinator, board_approver):
    briefing = make_briefing()
    client.force_login(coordinator)
    page = _buttons(client, briefing)
    assert page["send"] and not page["approve"] and not page["publish"] and not page["make changes"]

    workflow.briefing_submit(actor=coordinator, briefing=briefing)
    page = _buttons(client, briefing)
    assert not page["send"] and not page["approve"] and page["make changes"]
    assert "Only a board approver can approve a briefing." in page["text"]

    client.force_login(board_approver)
    page = _buttons(client, briefing)
    assert page["approve"] and page["send back"] and not page["publish"] and not page["make changes"]
    assert "Waiting for approval" in page["text"]

    workflow.briefing_approve(actor=board_approver, briefing=briefing)
    page = _buttons(client, briefing)
    assert page["publish"] and not page["approve"] and not page["send back"]
    assert 'data-testid="approved-by"' in page["text"] and board_approver.full_name in page["text"]


def test_the_author_is_told_why_they_cannot_approve(client, own, author):
    client.force_login(author)
    page = _buttons(client, own)
    assert not page["approve"] and "You wrote this briefing: another person must approve it" in page["text"]
    refused = client.get(reverse("briefings:briefing-approve", args=[own.pk])).text
    assert "You wrote this briefing: another person must approve it" in refused and "Yes, approve" not in refused
    client.post(reverse("briefings:briefing-approve", args=[own.pk]), {"confirm": "yes"})
    assert Briefing.objects.get(pk=own.pk).is_awaiting


def test_the_board_viewer_and_agency_staff_read_only_what_is_published(
    client, make_briefing, coordinator, board_approver, board_viewer, lead_a
):
    briefing = make_briefing()
    sign_off(briefing, coordinator=coordinator, approver=board_approver)
    for reader in (board_viewer, lead_a):
        client.force_login(reader)
        assert client.get(briefing.get_absolute_url()).status_code == 404
    workflow.briefing_publish(actor=coordinator, briefing=briefing)
    for reader in (board_viewer, lead_a):
        client.force_login(reader)
        page = _buttons(client, briefing)
        assert not any(page[key] for key in ("send", "approve", "publish", "make changes", "send back"))
        assert f"/briefings/{briefing.pk}/versions/1/" in page["text"]
        assert client.get(f"/briefings/{briefing.pk}/versions/1/").status_code == 200


def test_agency_staff_see_briefings_and_the_library_in_the_navigation(client, lead_a, auditor_a):
    for user in (lead_a, auditor_a):
        client.force_login(user)
        text = client.get(reverse("home")).text
        assert 'href="/briefings/"' in text and f'href="{reverse("audits:library")}"' in text
