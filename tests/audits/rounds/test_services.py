import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audits.models import AuditRound
from audits.rounds import services
from tests import factories


def test_first_round_of_an_area_is_proposed_from_today(db, settings):
    area = factories.AreaFactory()
    proposal = services.round_proposal(area=area, today=datetime.date(2026, 11, 23))
    assert proposal["launch_date"] == datetime.date(2026, 11, 23)
    assert proposal["tools_due_date"] == datetime.date(2026, 11, 23) + datetime.timedelta(days=28)
    assert proposal["briefing_due_date"] == datetime.date(2026, 11, 23) + datetime.timedelta(days=70)
    saturday = services.round_proposal(area=area, today=datetime.date(2026, 11, 28))
    assert saturday["launch_date"] == datetime.date(2026, 11, 30)
    assert proposal["period_label"] == "2026/27 round 2"


def test_next_round_is_proposed_six_months_after_the_areas_last(audit_round):
    other_area_round = factories.AuditRoundFactory(area=factories.AreaFactory(), launch_date=datetime.date(2026, 8, 1))
    assert other_area_round.area != audit_round.area
    proposal = services.round_proposal(area=audit_round.area, today=datetime.date(2026, 11, 23))
    assert proposal["launch_date"] == datetime.date(2027, 5, 3)  # 2 May 2027 is a Sunday
    assert proposal["meeting_date"] == datetime.date(2027, 5, 3) + datetime.timedelta(days=42)
    assert proposal["period_label"] == "2027/28 round 1"
    assert proposal["theme"] == audit_round.theme


def test_milestone_plan_comes_from_settings(audit_round, settings):
    settings.ROUND_MILESTONE_OFFSETS = {"tools_due": 21, "meeting": 35, "learning_due": 49, "briefing_due": 63}
    proposal = services.round_proposal(area=audit_round.area, today=datetime.date(2026, 11, 23))
    assert proposal["tools_due_date"] - proposal["launch_date"] == datetime.timedelta(days=21)


def test_month_end_launch_rolls_to_a_real_date(db):
    area = factories.AreaFactory()
    factories.AuditRoundFactory(area=area, launch_date=datetime.date(2026, 8, 31))
    proposal = services.round_proposal(area=area, today=datetime.date(2026, 9, 1))
    assert proposal["launch_date"] == datetime.date(2027, 3, 1)  # 28 February 2027 is a Sunday


def test_round_create_records_the_actor_in_history(coordinator):
    area = factories.AreaFactory()
    proposal = services.round_proposal(area=area, today=datetime.date(2026, 11, 23))
    proposal.pop("area")
    proposal["theme"] = "Neglect"
    audit_round = services.round_create(actor=coordinator, area=area, **proposal)
    assert audit_round.status == AuditRound.Status.PLANNING
    assert audit_round.created_by == coordinator
    assert audit_round.history.get().history_user == coordinator


def test_milestones_out_of_order_are_refused_by_the_service(coordinator):
    area = factories.AreaFactory()
    fields = services.round_proposal(area=area, today=datetime.date(2026, 11, 23))
    fields.pop("area")
    fields["theme"] = "Neglect"
    fields["meeting_date"] = fields["launch_date"]
    with pytest.raises(ValidationError):
        services.round_create(actor=coordinator, area=area, **fields)
    assert not AuditRound.objects.exists()


def test_the_database_refuses_milestones_out_of_order(audit_round):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditRound.objects.filter(pk=audit_round.pk).update(tools_due_date=audit_round.launch_date)


def test_a_round_opens_only_with_cases_that_all_have_agencies(audit_round, coordinator, agency_a):
    with pytest.raises(ValidationError, match="Add at least one case"):
        services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    case = factories.CaseFactory(round=audit_round, number=1)
    with pytest.raises(ValidationError, match="Choose the agencies taking part in Case 1"):
        services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_a])
    opened = services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    assert opened.status == AuditRound.Status.OPEN
    assert opened.history.first().history_user == coordinator


def test_advancing_from_a_stage_the_round_has_left_is_refused(case, coordinator):
    services.round_advance(actor=coordinator, audit_round=case.round, from_status="planning")
    with pytest.raises(ValidationError, match="already moved on"):
        services.round_advance(actor=coordinator, audit_round=case.round, from_status="planning")
    assert AuditRound.objects.get().status == AuditRound.Status.OPEN


def test_stages_run_in_order_and_stop_at_closed(case, coordinator):
    seen = []
    audit_round = case.round
    while audit_round.status in services.ROUND_TRANSITIONS:
        audit_round = services.round_advance(actor=coordinator, audit_round=audit_round, from_status=audit_round.status)
        seen.append(audit_round.status)
    assert seen == ["open", "meeting", "learning", "published", "closed"]
    with pytest.raises(ValidationError):
        services.round_advance(actor=coordinator, audit_round=audit_round, from_status="closed")
    with pytest.raises(ValidationError, match="closed"):
        services.round_update(actor=coordinator, audit_round=audit_round, title="Changed")


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("planning", datetime.date(2026, 11, 2), ("Launch", False)),
        ("planning", datetime.date(2026, 11, 3), ("Launch", True)),
        ("open", datetime.date(2026, 11, 30), ("Audit tools and chronologies due", False)),
        ("open", datetime.date(2026, 12, 1), ("Audit tools and chronologies due", True)),
        ("learning", datetime.date(2026, 12, 28), ("Learning summary due", False)),
        ("learning", datetime.date(2026, 12, 29), ("Briefing due", False)),
        ("learning", datetime.date(2027, 1, 12), ("Briefing due", True)),
    ],
)
def test_next_milestone_and_lateness(db, status, today, expected):
    audit_round = factories.AuditRoundFactory.build(status=status)  # launch 2 Nov 2026, +28, +42, +56, +70
    milestone = audit_round.next_milestone(today)
    assert (milestone["label"], milestone["late"]) == expected


def test_published_and_closed_rounds_have_no_next_milestone(db):
    assert factories.AuditRoundFactory.build(status="closed").next_milestone(datetime.date(2030, 1, 1)) is None


def test_adding_months_keeps_to_real_dates():
    assert services._add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert services._add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert services._add_months(datetime.date(2026, 11, 15), 6) == datetime.date(2027, 5, 15)
