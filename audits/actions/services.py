"""The MACA action plan: adding actions to a round and taking each through its lifecycle.

not started -> in progress -> complete (the owning agency's lead proposes completion with evidence
and impact; a coordinator confirms it), or -> not going ahead (a coordinator, with a reason).
A coordinator may reopen a completed or stopped action, or send back a proposal, with a reason
that is kept as a progress update. Every change is attributed (simple-history on Action; progress
updates are rows with an author).
"""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from audits.actions import tasks
from audits.actions.permissions import can_manage_actions, can_update_action
from audits.models import Action, ActionUpdate, AuditRound, LearningPoint

OPEN = [Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]


def round_agencies(audit_round: AuditRound):
    """The agencies taking part in any case of the round: the only possible lead agencies."""
    return Agency.objects.filter(case_agencies__case__round=audit_round).distinct().order_by("name")


def round_findings(audit_round: AuditRound):
    """The round's findings, case by case (round-level findings last), for the "why" of an action."""
    return (
        LearningPoint.objects.filter(round=audit_round, kind=LearningPoint.Kind.FINDING)
        .select_related("case")
        .order_by("case__number", "position", "pk")
    )


def _require_coordinator(actor) -> None:
    if not can_manage_actions(actor):
        raise PermissionDenied


def _require_owning_lead(actor, action: Action) -> None:
    if not can_update_action(actor, action):
        raise PermissionDenied


def _lock(action: Action) -> Action:
    return Action.objects.select_for_update().select_related("round", "lead_agency").get(pk=action.pk)


def _save(action: Action, actor) -> Action:
    action.updated_by = actor
    action.full_clean()
    action._history_user = actor
    action.save()
    return action


def _check_details(*, audit_round, findings, lead_agency, owner_user, owner_name) -> None:
    errors = {}
    if not round_agencies(audit_round).filter(pk=lead_agency.pk).exists():
        errors["lead_agency"] = "Choose an agency that took part in this round"
    if any(f.round_id != audit_round.pk or f.kind != LearningPoint.Kind.FINDING for f in findings):
        errors["findings"] = "Choose findings of this round only"
    if owner_user is not None:
        membership = owner_user.membership
        if membership is None or membership.agency_id != lead_agency.pk:
            errors["owner_user"] = "The owner must work for the lead agency"
    elif not owner_name.strip():
        errors["owner_name"] = "Enter the owner's name, or choose a user of the lead agency"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_create(
    *,
    actor,
    audit_round: AuditRound,
    what: str,
    findings: list[LearningPoint],
    lead_agency: Agency,
    due_date: datetime.date,
    owner_name: str = "",
    owner_role: str = "",
    owner_user=None,
    at_risk: bool = False,
) -> Action:
    """A coordinator adds an action to a round that has opened (its agencies are known)."""
    _require_coordinator(actor)
    if audit_round.status == AuditRound.Status.PLANNING:
        raise ValidationError("Actions can be added once the round has opened.")
    _check_details(
        audit_round=audit_round,
        findings=findings,
        lead_agency=lead_agency,
        owner_user=owner_user,
        owner_name=owner_name,
    )
    action = Action(
        round=audit_round,
        what=what.strip(),
        lead_agency=lead_agency,
        owner_name=owner_name.strip(),
        owner_role=owner_role.strip(),
        owner_user=owner_user,
        due_date=due_date,
        at_risk=at_risk,
        created_by=actor,
    )
    _save(action, actor)
    action.findings.set(findings)
    return action


@transaction.atomic
def action_change(
    *,
    actor,
    action: Action,
    what: str,
    findings: list[LearningPoint],
    lead_agency: Agency,
    due_date: datetime.date,
    owner_name: str = "",
    owner_role: str = "",
    owner_user=None,
    at_risk: bool = False,
) -> Action:
    """A coordinator changes an open action's details (reopen a closed one first)."""
    _require_coordinator(actor)
    action = _lock(action)
    if action.status not in OPEN:
        raise ValidationError("This action is closed: reopen it before changing it.")
    _check_details(
        audit_round=action.round,
        findings=findings,
        lead_agency=lead_agency,
        owner_user=owner_user,
        owner_name=owner_name,
    )
    action.what = what.strip()
    action.lead_agency = lead_agency
    action.owner_name = owner_name.strip()
    action.owner_role = owner_role.strip()
    action.owner_user = owner_user
    action.due_date = due_date
    action.at_risk = at_risk
    _save(action, actor)
    action.findings.set(findings)
    return action


@transaction.atomic
def action_add_update(
    *, actor, action: Action, text: str, date: datetime.date | None = None, at_risk: bool | None = None
) -> ActionUpdate:
    """The owning agency's lead reports progress on an open action. The first update starts it
    (in progress); ``at_risk`` (when given) records whether the due date is at risk."""
    action = _lock(action)
    _require_owning_lead(actor, action)
    if action.status not in OPEN:
        raise ValidationError("This action is closed: progress can no longer be added.")
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError({"date": "The date of the update must be today or in the past"})
    if not text.strip():
        raise ValidationError({"text": "Enter the progress update"})
    update = ActionUpdate(action=action, date=date, text=text.strip(), author=actor)
    update.full_clean()
    update.save()
    if action.status == Action.Status.NOT_STARTED:
        action.status = Action.Status.IN_PROGRESS
    if at_risk is not None:
        action.at_risk = at_risk
    _save(action, actor)
    return update


@transaction.atomic
def action_propose_completion(*, actor, action: Action, evidence: str, impact: str) -> Action:
    """The owning agency's lead says an open action is done, with the evidence and its impact on
    children and families; a coordinator then confirms it (or sends it back)."""
    action = _lock(action)
    _require_owning_lead(actor, action)
    if action.status not in OPEN:
        raise ValidationError("This action is closed.")
    if action.completion_proposed_at is not None:
        raise ValidationError("Completion has already been proposed: the audit team will confirm it.")
    errors = {}
    if not evidence.strip():
        errors["evidence_of_completion"] = "Enter the evidence that the action is complete"
    if not impact.strip():
        errors["impact"] = "Enter the impact on children and families"
    if errors:
        raise ValidationError(errors)
    action.evidence_of_completion = evidence.strip()
    action.impact = impact.strip()
    action.status = Action.Status.IN_PROGRESS
    action.completion_proposed_at = timezone.now()
    action.completion_proposed_by = actor
    _save(action, actor)
    transaction.on_commit(partial(tasks.send_action_completion_proposed.enqueue, action.pk))
    return action


@transaction.atomic
def action_confirm_completion(*, actor, action: Action) -> Action:
    """A coordinator confirms the completion the owning agency proposed."""
    _require_coordinator(actor)
    action = _lock(action)
    if action.status != Action.Status.IN_PROGRESS or action.completion_proposed_at is None:
        raise ValidationError("Only an action whose completion has been proposed can be confirmed.")
    action.status = Action.Status.COMPLETE
    action.completed_at = timezone.now()
    action.completed_by = actor
    action.at_risk = False
    return _save(action, actor)


@transaction.atomic
def action_reopen(*, actor, action: Action, reason: str) -> Action:
    """A coordinator reopens a completed or stopped action, or sends back a proposed completion:
    it is in progress again, and the reason is kept as a progress update."""
    _require_coordinator(actor)
    action = _lock(action)
    proposed = action.status == Action.Status.IN_PROGRESS and action.completion_proposed_at is not None
    if action.status not in (Action.Status.COMPLETE, Action.Status.NOT_GOING_AHEAD) and not proposed:
        raise ValidationError("Only a closed action, or one proposed as complete, can be reopened.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is being reopened"})
    ActionUpdate.objects.create(action=action, text=f"Reopened: {reason.strip()}", author=actor)
    action.status = Action.Status.IN_PROGRESS
    action.not_going_ahead_reason = ""
    action.completion_proposed_at = None
    action.completion_proposed_by = None
    action.completed_at = None
    action.completed_by = None
    return _save(action, actor)


@transaction.atomic
def action_not_going_ahead(*, actor, action: Action, reason: str) -> Action:
    """A coordinator records that an open action will not go ahead, and why."""
    _require_coordinator(actor)
    action = _lock(action)
    if action.status not in OPEN:
        raise ValidationError("Only an open action can be stopped.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is not going ahead"})
    action.status = Action.Status.NOT_GOING_AHEAD
    action.not_going_ahead_reason = reason.strip()
    action.completion_proposed_at = None
    action.completion_proposed_by = None
    action.at_risk = False
    return _save(action, actor)
