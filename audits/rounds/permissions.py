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
