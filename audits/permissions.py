"""Who may touch which rounds and cases.

Two layers (STYLE.md 4): the role layer (``require_*``: 403 when a role may not do something at
all) and the record layer (``get_*_for_user``: 404 for records outside the user's agency, 403 for
records the user may read but not change). Every audits view starts with one of these.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from audits.models import AuditRound, Case, CaseDraw


def can_view_rounds(user) -> bool:
    return user.has_perm("audits.view_all_rounds") or user.agency is not None


def require_round_access(user) -> None:
    """Board viewers (and anyone without an agency or a partnership role) never see rounds."""
    if not can_view_rounds(user):
        raise PermissionDenied


def require_round_management(user) -> None:
    if not user.has_perm("audits.manage_rounds"):
        raise PermissionDenied


def get_round_for_user(user, pk, *, manage: bool = False) -> AuditRound:
    require_round_access(user)
    audit_round = get_object_or_404(AuditRound.objects.visible_to(user).select_related("area"), pk=pk)
    if manage:
        require_round_management(user)
    return audit_round


def get_case_for_user(user, round_pk, number, *, manage: bool = False) -> Case:
    require_round_access(user)
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related("round__area"), round_id=round_pk, number=number
    )
    if manage:
        require_round_management(user)
    return case


def get_draw_for_user(user, round_pk, draw_pk) -> CaseDraw:
    """Draws hold candidate-list details: coordinators who may see identifiers only."""
    audit_round = get_round_for_user(user, round_pk, manage=True)
    require_identifier_access(user)
    return get_object_or_404(CaseDraw.objects.select_related("round"), round=audit_round, pk=draw_pk)


def require_identifier_access(user) -> None:
    if not user.has_perm("audits.view_restricted_identifiers"):
        raise PermissionDenied


def _get_return_for_user(model, user, pk, *, edit: bool, submit: bool, decide: bool):
    """An audit tool or chronology: coordinators and administrators see all; agency staff only
    their own agency's (404 for another agency's). Only the agency's staff edit, only its lead
    submits, only coordinators return or accept (403 otherwise)."""
    require_round_access(user)
    queryset = model.objects.select_related("case__round__area", "agency")
    if not user.has_perm("audits.view_all_rounds"):
        queryset = queryset.filter(agency=user.agency).exclude(case__round__status="planning")
    item = get_object_or_404(queryset, pk=pk)
    membership = user.membership
    is_member = membership is not None and membership.agency_id == item.agency_id
    if (edit or submit) and not is_member:
        raise PermissionDenied
    if submit and membership.role != membership.Role.LEAD:
        raise PermissionDenied
    if decide and not user.has_perm("audits.manage_rounds"):
        raise PermissionDenied
    return item


def get_tool_for_user(user, pk, *, edit=False, submit=False, decide=False):
    from audits.models import AuditTool

    return _get_return_for_user(AuditTool, user, pk, edit=edit, submit=submit, decide=decide)


def get_chronology_for_user(user, pk, *, edit=False, submit=False, decide=False):
    from audits.models import Chronology

    return _get_return_for_user(Chronology, user, pk, edit=edit, submit=submit, decide=decide)


def get_case_for_integrated_chronology(user, round_pk, number) -> Case:
    """The integrated chronology of a case: coordinators always; staff of the case's agencies
    only once the round's tools due date has passed (403 before), so no agency reads the
    others' work while still writing its own; other agencies' staff 404; administrators and
    board viewers 403."""
    from django.utils import timezone

    case = get_case_for_user(user, round_pk, number)
    if user.has_perm("audits.manage_rounds"):
        return case
    if user.agency is None or case.round.tools_due_date >= timezone.localdate():
        raise PermissionDenied
    return case
