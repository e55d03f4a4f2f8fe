"""The MACA action plan: adding actions to a round and taking each through its lifecycle.

not started -> in progress -> complete (the owning agency's lead proposes completion with evidence
and impact; a coordinator confirms it), or -> not going ahead (a coordinator, with a reason).
A coordinator may reopen a completed or stopped action, or send back a proposal, with a reason
that is kept as a progress update. Every change is attributed (simple-history on Action; progress
updates are rows with an author).
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from audits.actions import tasks
from audits.actions.permissions import require_manage_actions, require_update_action
from audits.meetings.selectors import participating_agencies
from audits.models import Action, ActionUpdate, AuditRound, LearningPoint
from lib.models import locked


def _check_details(*, audit_round, findings, lead_agency, owner_user, owner_name) -> None:
    errors = {}
    if lead_agency not in participating_agencies(audit_round):
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
    require_manage_actions(actor)
    if not audit_round.has_opened:
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
    )
    action.full_clean()
    action.save_by(actor)
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
    require_manage_actions(actor)
    action = locked(action)
    if not action.is_open:
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
    action.full_clean()
    action.save_by(actor)
    action.findings.set(findings)
    return action


@transaction.atomic
def action_add_update(
    *, actor, action: Action, text: str, date: datetime.date | None = None, at_risk: bool | None = None
) -> ActionUpdate:
    """The owning agency's lead reports progress on an open action. The first update starts it
    (in progress); ``at_risk`` (when given) records whether the due date is at risk."""
    action = locked(action)
    require_update_action(actor, action)
    if not action.is_open:
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
    action.full_clean()
    action.save_by(actor)
    return update


@transaction.atomic
def action_propose_completion(*, actor, action: Action, evidence: str, impact: str) -> Action:
    """The owning agency's lead says an open action is done, with the evidence and its impact on
    children and families; a coordinator then confirms it (or sends it back)."""
    action = locked(action)
    require_update_action(actor, action)
    if not action.is_open:
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
    action.full_clean()
    action.save_by(actor)
    transaction.on_commit(partial(tasks.send_action_completion_proposed.enqueue, action.pk))
    return action


@transaction.atomic
def action_confirm_completion(*, actor, action: Action) -> Action:
    """A coordinator confirms the completion the owning agency proposed."""
    require_manage_actions(actor)
    action = locked(action)
    if not action.awaiting_confirmation:
        raise ValidationError("Only an action whose completion has been proposed can be confirmed.")
    action.status = Action.Status.COMPLETE
    action.completed_at = timezone.now()
    action.completed_by = actor
    action.at_risk = False
    action.full_clean()
    action.save_by(actor)
    return action


@transaction.atomic
def action_reopen(*, actor, action: Action, reason: str) -> Action:
    """A coordinator reopens a completed or stopped action, or sends back a proposed completion:
    it is in progress again, and the reason is kept as a progress update."""
    require_manage_actions(actor)
    action = locked(action)
    if action.is_open and not action.awaiting_confirmation:
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
    action.full_clean()
    action.save_by(actor)
    return action


@transaction.atomic
def action_not_going_ahead(*, actor, action: Action, reason: str) -> Action:
    """A coordinator records that an open action will not go ahead, and why."""
    require_manage_actions(actor)
    action = locked(action)
    if not action.is_open:
        raise ValidationError("Only an open action can be stopped.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is not going ahead"})
    action.status = Action.Status.NOT_GOING_AHEAD
    action.not_going_ahead_reason = reason.strip()
    action.completion_proposed_at = None
    action.completion_proposed_by = None
    action.at_risk = False
    action.full_clean()
    action.save_by(actor)
    return action
