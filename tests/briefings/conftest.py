"""A round with meeting learning of every kind: cases 1 and 2 (case 1 has the fictional
identifiers of tests/conftest.py), a meeting agency A attended, returned work and an action."""

import pytest

from audits.models import Attendance, CaseDraw, LearningPoint, PracticeTheme, ReflectiveQuestion, ResourceLink
from audits.returns.models import WorkStatus
from briefings.models import Briefing
from briefings.services import briefing_create
from tests import factories

Kind = LearningPoint.Kind


def _point(case, kind, heading, text, *, position, themes=(), evidence=(), callout=""):
    point = factories.LearningPointFactory(
        round=case.round if case else evidence[0].round,
        case=case if kind in (Kind.STRENGTH, Kind.FINDING) else None,
        kind=kind,
        heading=heading,
        text=text,
        position=position,
        callout=callout,
    )
    point.themes.set(themes)
    point.evidence_cases.set(evidence)
    return point


@pytest.fixture
def learning_round(case, agency_a, agency_b, coordinator):
    """Round with a confirmed draw, two cases and learning of every kind (headings say where they go)."""
    audit_round = case.round
    draw = CaseDraw.objects.create(
        round=audit_round,
        status=CaseDraw.Status.CONFIRMED,
        file_name="candidates.csv",
        file_sha256="0" * 64,
        stored_file="draws/x.csv",
        candidate_count=40,
        seed=7,
        number_of_cases=2,
        strata=["age_band", "plan_type"],
        selected_references=[],
        created_by=coordinator,
    )
    case.summary = "Child 1 lives with an aunt; the school noticed low attendance."
    case.draw = draw
    case.save()
    case2 = factories.CaseFactory(round=audit_round, number=2, summary="Child 2 was referred after a fall at home.")
    factories.CaseAgencyFactory(case=case2, agency=agency_b, added_by=coordinator)
    factories.ToolFactory(case=case, agency=agency_a, status=WorkStatus.ACCEPTED)
    factories.ChronologyFactory(case=case2, agency=agency_b, status=WorkStatus.SUBMITTED)
    meeting = factories.MeetingFactory(round=audit_round)
    Attendance.objects.create(meeting=meeting, agency=agency_a, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, agency=agency_b, status=Attendance.Status.APOLOGIES)
    factories.ActionFactory(round=audit_round, lead_agency=agency_a)
    voice, _ = PracticeTheme.objects.get_or_create(name="Voice of the child")
    sharing, _ = PracticeTheme.objects.get_or_create(name="Information sharing")
    _point(case, Kind.STRENGTH, "Strength A one", "Seen alone at every visit.", position=1, themes=[voice])
    _point(case, Kind.STRENGTH, "Strength A two", "Quick referral by the school.", position=2, themes=[sharing])
    _point(
        case2,
        Kind.STRENGTH,
        "Strength B one",
        "Health visitor shared notes the same day.",
        position=1,
        themes=[sharing],
    )
    _point(case, Kind.FINDING, "Finding A one", "The plan did not name a lead.", position=1)
    _point(case2, Kind.FINDING, "Finding B one", "No one asked about the father.", position=1)
    _point(
        None, Kind.RECOMMENDATION, "Recommendation one", "Escalate drift sooner.", position=1, evidence=[case, case2]
    )
    _point(None, Kind.GOOD_PRACTICE, "Good practice one", "Schools acting early.", position=1, evidence=[case2])
    key = _point(
        None,
        Kind.KEY_MESSAGE,
        "Key message one",
        "Ask who else lives in the home.",
        position=1,
        evidence=[case],
        callout="Think about every adult in the household.",
    )
    ReflectiveQuestion.objects.create(learning_point=key, position=1, text="Who visits the home?")
    ReflectiveQuestion.objects.create(learning_point=key, position=2, text="Have you checked with others?")
    ResourceLink.objects.create(
        learning_point=key, position=1, title="Escalation policy", url="https://example.test/escalation"
    )
    _point(None, Kind.KEY_MESSAGE, "Key message two", "Record the child's own words.", position=2, evidence=[case2])
    return audit_round


@pytest.fixture
def make_briefing(learning_round, coordinator):
    def make(briefing_format=Briefing.Format.SIX_STEP, **kwargs):
        rounds = [learning_round, *kwargs.pop("other_rounds", [])]
        return briefing_create(
            actor=coordinator,
            rounds=rounds,
            briefing_format=briefing_format,
            title=kwargs.pop("title", "Neglect audit briefing"),
            introduction=kwargs.pop("introduction", "What the audit found."),
            **kwargs,
        )

    return make
