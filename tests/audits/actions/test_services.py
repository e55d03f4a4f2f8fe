"""The action plan's services: who may do what, from which status, and what each needs."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audits.actions import services
from audits.models import Action, AuditRound, LearningPoint
from tests import factories

DUE = datetime.date(2027, 3, 31)


@pytest.fixture
def finding(open_case):
    return factories.LearningPointFactory(case=open_case, round=open_case.round, heading="Escalation was slow")


@pytest.fixture
def action(open_case, agency_a, coordinator):
    return services.action_create(
        actor=coordinator,
        audit_round=open_case.round,
        what="Brief school staff on the escalation policy.",
        findings=[],
        lead_agency=agency_a,
        due_date=DUE,
        owner_name="Safeguarding manager",
    )


def _create(actor, audit_round, agency, **overrides):
    arguments = {
        "what": "Review the referral pathway.",
        "findings": [],
        "lead_agency": agency,
        "due_date": DUE,
        "owner_name": "Named manager",
    } | overrides
    return services.action_create(actor=actor, audit_round=audit_round, **arguments)


def test_coordinator_adds_an_action_answering_findings(open_case, agency_a, coordinator, lead_a, finding):
    action = _create(coordinator, open_case.round, agency_a, findings=[finding], owner_user=lead_a, owner_name="")
    assert action.status == Action.Status.NOT_STARTED
    assert list(action.findings.all()) == [finding]
    assert action.created_by == coordinator
    assert action.history.first().history_user == coordinator


@pytest.mark.parametrize("role", ["administrator", "lead_a", "auditor_a", "board_viewer"])
def test_only_coordinators_add_actions(request, open_case, agency_a, role):
    with pytest.raises(PermissionDenied):
        _create(request.getfixturevalue(role), open_case.round, agency_a)


def test_lead_agency_must_have_taken_part(open_case, agency_b, coordinator):
    with pytest.raises(ValidationError) as exc:
        _create(coordinator, open_case.round, agency_b)
    assert "lead_agency" in exc.value.error_dict


def test_owner_user_must_work_for_the_lead_agency(open_case, agency_a, coordinator, lead_b):
    with pytest.raises(ValidationError) as exc:
        _create(coordinator, open_case.round, agency_a, owner_user=lead_b, owner_name="")
    assert "owner_user" in exc.value.error_dict


def test_an_owner_is_needed(open_case, agency_a, coordinator):
    with pytest.raises(ValidationError) as exc:
        _create(coordinator, open_case.round, agency_a, owner_name=" ")
    assert "owner_name" in exc.value.error_dict


def test_findings_must_be_findings_of_the_round(open_case, agency_a, coordinator):
    strength = factories.LearningPointFactory(case=open_case, round=open_case.round, kind=LearningPoint.Kind.STRENGTH)
    elsewhere = factories.LearningPointFactory()
    for wrong in (strength, elsewhere):
        with pytest.raises(ValidationError) as exc:
            _create(coordinator, open_case.round, agency_a, findings=[wrong])
        assert "findings" in exc.value.error_dict


def test_no_actions_while_the_round_is_planned(case, agency_a, coordinator):
    assert case.round.status == AuditRound.Status.PLANNING
    with pytest.raises(ValidationError):
        _create(coordinator, case.round, agency_a)


def test_coordinator_changes_an_open_action(action, coordinator, finding):
    services.action_change(
        actor=coordinator,
        action=action,
        what="Brief all school staff.",
        findings=[finding],
        lead_agency=action.lead_agency,
        due_date=DUE + datetime.timedelta(days=30),
        owner_name="Head of safeguarding",
        at_risk=True,
    )
    action.refresh_from_db()
    assert action.what == "Brief all school staff." and action.at_risk
    # The change and its findings are both in the history, attributed to the coordinator.
    assert action.history.count() >= 2
    assert {h.history_user for h in action.history.all()} == {coordinator}
    assert list(action.history.first().findings.values_list("learningpoint", flat=True)) == [finding.pk]


def test_the_first_progress_update_starts_the_action(action, lead_a):
    update = services.action_add_update(actor=lead_a, action=action, text="Draft briefing written.", at_risk=True)
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.at_risk
    assert update.author == lead_a
    assert action.history.first().history_user == lead_a


@pytest.mark.parametrize("role", ["auditor_a", "lead_b", "coordinator", "administrator"])
def test_only_the_owning_agencys_lead_adds_updates(request, action, role):
    with pytest.raises(PermissionDenied):
        services.action_add_update(actor=request.getfixturevalue(role), action=action, text="Progress.")


def test_an_update_cannot_be_dated_in_the_future(action, lead_a):
    with pytest.raises(ValidationError) as exc:
        services.action_add_update(
            actor=lead_a, action=action, text="Done.", date=datetime.date.today() + datetime.timedelta(days=2)
        )
    assert "date" in exc.value.error_dict


def test_proposing_completion_needs_evidence_and_impact(action, lead_a):
    with pytest.raises(ValidationError) as exc:
        services.action_propose_completion(actor=lead_a, action=action, evidence=" ", impact="")
    assert set(exc.value.error_dict) == {"evidence_of_completion", "impact"}


def test_lead_proposes_and_coordinator_confirms(action, lead_a, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.action_propose_completion(
            actor=lead_a, action=action, evidence="Briefing delivered to 40 staff.", impact="Earlier referrals."
        )
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.completion_proposed_by == lead_a
    # The coordinators hear about it; the e-mail names the action by number only.
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert f"Action {action.pk} of {action.round.title}" in mail.outbox[0].subject
    assert action.what not in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.action_propose_completion(actor=lead_a, action=action, evidence="Again.", impact="Again.")
    services.action_confirm_completion(actor=coordinator, action=action)
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE
    assert action.completed_by == coordinator and action.completed_at is not None
    with pytest.raises(ValidationError):
        services.action_add_update(actor=lead_a, action=action, text="After completion.")


def test_completion_cannot_be_confirmed_unless_proposed(action, coordinator):
    with pytest.raises(ValidationError):
        services.action_confirm_completion(actor=coordinator, action=action)


def test_only_coordinators_confirm(action, lead_a):
    services.action_propose_completion(actor=lead_a, action=action, evidence="Done.", impact="Better.")
    with pytest.raises(PermissionDenied):
        services.action_confirm_completion(actor=lead_a, action=action)


def test_reopen_needs_a_reason_and_records_it_as_an_update(action, lead_a, coordinator):
    services.action_propose_completion(actor=lead_a, action=action, evidence="Done.", impact="Better.")
    services.action_confirm_completion(actor=coordinator, action=action)
    with pytest.raises(ValidationError):
        services.action_reopen(actor=coordinator, action=action, reason="  ")
    with pytest.raises(PermissionDenied):
        services.action_reopen(actor=lead_a, action=action, reason="Not done.")
    services.action_reopen(actor=coordinator, action=action, reason="The audit found no change yet.")
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    assert action.completed_at is None and action.completion_proposed_at is None
    update = action.updates.get()
    assert update.author == coordinator and update.text == "Reopened: The audit found no change yet."


def test_an_open_action_without_a_proposal_cannot_be_reopened(action, coordinator):
    with pytest.raises(ValidationError):
        services.action_reopen(actor=coordinator, action=action, reason="Why not.")


def test_not_going_ahead_needs_a_reason(action, coordinator, lead_a):
    with pytest.raises(ValidationError) as exc:
        services.action_not_going_ahead(actor=coordinator, action=action, reason="")
    assert "reason" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        services.action_not_going_ahead(actor=lead_a, action=action, reason="Agency reorganised.")
    services.action_not_going_ahead(actor=coordinator, action=action, reason="Replaced by a national programme.")
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_GOING_AHEAD
    with pytest.raises(ValidationError):
        services.action_not_going_ahead(actor=coordinator, action=action, reason="Twice.")
    with pytest.raises(ValidationError):
        services.action_change(
            actor=coordinator,
            action=action,
            what="x",
            findings=[],
            lead_agency=action.lead_agency,
            due_date=DUE,
            owner_name="x",
        )
    services.action_reopen(actor=coordinator, action=action, reason="The programme was cancelled.")
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS and action.not_going_ahead_reason == ""
