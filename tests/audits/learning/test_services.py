"""Services of a round's learning across cases: positions 1..N per kind, moves, removals, and
refusals (planning or closed rounds, cases of other rounds, agencies not in the round)."""

import pytest
from django.core.exceptions import ValidationError

from audits.learning import services
from audits.models import AuditRound, LearningPoint, PracticeTheme
from tests import factories

KEY = LearningPoint.Kind.KEY_MESSAGE
RECOMMENDATION = LearningPoint.Kind.RECOMMENDATION


def add(actor, audit_round, heading, kind=KEY, **kwargs):
    return services.round_learning_add(
        actor=actor, audit_round=audit_round, kind=kind, heading=heading, text=f"{heading}: text", **kwargs
    )


def positions(audit_round, kind=KEY):
    points = LearningPoint.objects.filter(round=audit_round, kind=kind).order_by("position")
    return [(p.heading, p.position) for p in points]


def test_points_are_numbered_per_kind_in_the_order_added(open_case, coordinator):
    audit_round = open_case.round
    add(coordinator, audit_round, "First")
    add(coordinator, audit_round, "Second")
    add(coordinator, audit_round, "Only recommendation", kind=RECOMMENDATION)
    assert positions(audit_round) == [("First", 1), ("Second", 2)]
    assert positions(audit_round, RECOMMENDATION) == [("Only recommendation", 1)]


def test_key_message_keeps_questions_links_cases_and_agencies(open_case, coordinator, agency_a):
    theme = PracticeTheme.objects.get(name="Voice of the child")
    point = add(
        coordinator,
        open_case.round,
        "Hear the child",
        themes=[theme],
        agencies=[agency_a],
        evidence_cases=[open_case],
        callout="See the child alone",
        questions=["How did you hear Child 1?", "What changed?"],
        links=[("Guidance", "https://example.org/guidance")],
    )
    assert [q.text for q in point.questions.all()] == ["How did you hear Child 1?", "What changed?"]
    assert [(link.title, link.url, link.position) for link in point.links.all()] == [
        ("Guidance", "https://example.org/guidance", 1)
    ]
    assert list(point.evidence_cases.all()) == [open_case]
    assert point.case is None and point.created_by == coordinator
    assert point.history.first().history_user == coordinator

    services.round_learning_update(
        actor=coordinator, point=point, heading="Hear the child", text="New text", questions=["What changed?"]
    )
    point.refresh_from_db()
    assert [q.text for q in point.questions.all()] == ["What changed?"]
    assert not point.links.exists() and not point.evidence_cases.exists()


def test_remove_closes_the_gap(open_case, coordinator):
    audit_round = open_case.round
    first, second, third = (add(coordinator, audit_round, h) for h in ("A", "B", "C"))
    services.round_learning_remove(actor=coordinator, point=second)
    assert positions(audit_round) == [("A", 1), ("C", 2)]
    assert first.pk and third.pk


def test_move_up_and_down_swap_neighbours_and_stop_at_the_ends(open_case, coordinator):
    audit_round = open_case.round
    a, b, c = (add(coordinator, audit_round, h) for h in ("A", "B", "C"))
    services.round_learning_move(actor=coordinator, point=c, direction="up")
    assert positions(audit_round) == [("A", 1), ("C", 2), ("B", 3)]
    services.round_learning_move(actor=coordinator, point=a, direction="down")
    assert positions(audit_round) == [("C", 1), ("A", 2), ("B", 3)]
    services.round_learning_move(actor=coordinator, point=b, direction="down")
    services.round_learning_move(actor=coordinator, point=c, direction="up")
    assert positions(audit_round) == [("C", 1), ("A", 2), ("B", 3)]
    with pytest.raises(ValidationError):
        services.round_learning_move(actor=coordinator, point=a, direction="sideways")


def test_move_repairs_gaps_and_ties(open_case, coordinator):
    audit_round = open_case.round
    a, b, c = (add(coordinator, audit_round, h) for h in ("A", "B", "C"))
    LearningPoint.objects.filter(pk=a.pk).update(position=5)
    LearningPoint.objects.filter(pk=b.pk).update(position=5)
    LearningPoint.objects.filter(pk=c.pk).update(position=9)
    services.round_learning_move(actor=coordinator, point=c, direction="up")
    assert positions(audit_round) == [("A", 1), ("C", 2), ("B", 3)]


@pytest.mark.parametrize("status", [AuditRound.Status.PLANNING, AuditRound.Status.CLOSED])
def test_refused_while_planning_and_once_closed(case, coordinator, status):
    audit_round = case.round
    point = factories.LearningPointFactory(round=audit_round, kind=KEY, position=1)
    AuditRound.objects.filter(pk=audit_round.pk).update(status=status)
    audit_round.refresh_from_db()
    point.refresh_from_db()
    with pytest.raises(ValidationError):
        add(coordinator, audit_round, "Too early or too late")
    with pytest.raises(ValidationError):
        services.round_learning_update(actor=coordinator, point=point, heading="x", text="y")
    with pytest.raises(ValidationError):
        services.round_learning_move(actor=coordinator, point=point, direction="up")
    with pytest.raises(ValidationError):
        services.round_learning_remove(actor=coordinator, point=point)
    assert LearningPoint.objects.filter(pk=point.pk).exists()


def test_refuses_cases_of_another_round_and_agencies_not_in_the_round(open_case, coordinator, agency_b):
    other_case = factories.CaseFactory(number=1)
    with pytest.raises(ValidationError) as error:
        add(coordinator, open_case.round, "Wrong", evidence_cases=[other_case], agencies=[agency_b])
    assert set(error.value.error_dict) == {"evidence_cases", "agencies"}


def test_only_key_messages_have_questions_links_and_a_callout(open_case, coordinator):
    with pytest.raises(ValidationError):
        add(coordinator, open_case.round, "Recommendation", kind=RECOMMENDATION, questions=["Why?"])
    with pytest.raises(ValidationError):
        add(coordinator, open_case.round, "Finding", kind=LearningPoint.Kind.FINDING, callout="Look!")
    with pytest.raises(ValidationError, match="kind of learning"):
        add(coordinator, open_case.round, "Gossip", kind="gossip")


def test_theme_names_are_unique_whatever_their_capitals(coordinator):
    with pytest.raises(ValidationError) as error:
        services.theme_create(actor=coordinator, name="voice OF the child")
    assert "There is already a practice theme called Voice of the child" in error.value.message_dict["name"][0]
    theme = services.theme_create(actor=coordinator, name="  Online   harms ", description="Harm online.")
    assert theme.name == "Online harms"
    services.theme_update(actor=coordinator, theme=theme, name="Online harms", description="", is_active=False)
    theme.refresh_from_db()
    assert theme.is_active is False
    with pytest.raises(ValidationError):
        services.theme_update(actor=coordinator, theme=theme, name="Neglect", description="", is_active=True)
