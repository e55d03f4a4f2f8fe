"""Who may read and change the MACA action plan.

Coordinators and administrators read every action; agency leads and auditors read the whole plan
of each round their agency took part in (404 for other rounds' actions). Only the lead of the
agency that owns an action updates it; only coordinators add, change, confirm, reopen or stop
actions (403 otherwise). Board viewers never see the plan (403).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from agencies.permissions import is_lead_of
from audits.models import Action, AuditRound
from audits.rounds.permissions import can_view_rounds, get_round_for_user


def can_view_actions(user) -> bool:
    return can_view_rounds(user)


def require_action_plan_access(user) -> None:
    if not can_view_actions(user):
        raise PermissionDenied


def can_manage_actions(user) -> bool:
    return user.has_perm("audits.manage_rounds")


def require_manage_actions(user) -> None:
    if not can_manage_actions(user):
        raise PermissionDenied


def can_update_action(user, action: Action) -> bool:
    """The owning agency's lead, and nobody else, reports progress on an action."""
    return is_lead_of(user, action.lead_agency_id)


def require_update_action(user, action: Action) -> None:
    if not can_update_action(user, action):
        raise PermissionDenied


def get_round_for_action_plan(user, pk, *, manage: bool = False) -> AuditRound:
    require_action_plan_access(user)
    return get_round_for_user(user, pk, manage=manage)


def get_action_for_user(user, pk, *, update: bool = False, manage: bool = False) -> Action:
    """The action, if the user may see its round's plan (404 otherwise); ``update`` needs the
    owning agency's lead and ``manage`` a coordinator (403 otherwise)."""
    require_action_plan_access(user)
    action = get_object_or_404(
        Action.objects.visible_to(user).select_related("round__area", "lead_agency", "owner_user"), pk=pk
    )
    if update:
        require_update_action(user, action)
    if manage:
        require_manage_actions(user)
    return action
