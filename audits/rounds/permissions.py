"""Who may touch which rounds and cases.

Two layers (STYLE.md 4): the role layer (``require_*``: 403 when a role may not do something at
all) and the record layer (``get_*_for_user``: 404 for records outside the user's agency, 403 for
records the user may read but not change). Every audits view starts with one of these. The roles'
own questions (``is_coordinator``, ``can_view_rounds``) are asked in ``agencies.permissions``.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from agencies.permissions import can_read_identifiers, can_view_rounds, is_coordinator, may_read_identifiers
from audits.models import AuditRound, Case, CaseAgency, CaseDraw

__all__ = [
    "can_open_child_details",
    "can_open_integrated_chronology",
    "can_see_child_details",
    "can_see_identifiers",
    "can_view_rounds",
    "get_case_for_child_details",
    "get_case_for_user",
    "get_draw_for_user",
    "get_round_for_user",
    "require_identifier_access",
    "require_round_access",
    "require_round_management",
    "works_on_case",
]


def require_round_access(user) -> None:
    """Board viewers (and anyone without an agency or a partnership role) never see rounds."""
    if not can_view_rounds(user):
        raise PermissionDenied


def require_round_management(user) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


def can_see_identifiers(user) -> bool:
    """Children's restricted identifiers (and candidate lists): confirmed coordinators only,
    never administrators (``agencies.permissions.can_read_identifiers``, the one rule)."""
    return can_read_identifiers(user)


def require_identifier_access(user) -> None:
    if not can_see_identifiers(user):
        raise PermissionDenied


def works_on_case(user, case) -> bool:
    """The lead or an auditor of an agency taking part in the case."""
    agency = user.agency if user.is_authenticated else None
    return agency is not None and CaseAgency.objects.filter(case=case, agency=agency).exists()


def can_see_child_details(user, case) -> bool:
    """The child's details of a case (name, date of birth and their own agency's record number,
    read through ``audits.rounds.identifiers.child_details_for_user``): the lead and auditors of
    an agency taking part in it, while the round's agency work is live
    (``AuditRound.agency_details_live``), never administrators or superusers, even with an
    agency (``agencies.permissions.may_read_identifiers``). Coordinators have the full
    identifiers page instead."""
    return case.round.agency_details_live and may_read_identifiers(user) and works_on_case(user, case)


def can_open_child_details(user, case) -> bool:
    """The "Child's details" page of a case: coordinators who may see identifiers, and the staff
    of an agency taking part who may read identifiers at all (not administrators or superusers)."""
    return can_see_identifiers(user) or (may_read_identifiers(user) and works_on_case(user, case))


def can_open_integrated_chronology(user) -> bool:
    """Who, of those who see a case, is offered its integrated chronology: coordinators, and the
    staff of its agencies (to whom it opens once the tools are due:
    ``audits.returns.permissions.get_case_for_integrated_chronology``)."""
    return is_coordinator(user) or (user.is_authenticated and user.agency is not None)


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


def get_case_for_child_details(user, round_pk, number) -> Case:
    """The case whose "Child's details" page is asked for: 404 for cases outside the user's agency
    (as every case page), 403 for those who see the case but are neither staff of an agency taking
    part nor allowed the identifiers (administrators). Whether the details are shown now is
    ``can_see_child_details``: outside the window the page says so, it does not refuse."""
    case = get_case_for_user(user, round_pk, number)
    if not can_open_child_details(user, case):
        raise PermissionDenied
    return case


def get_draw_for_user(user, round_pk, draw_pk) -> CaseDraw:
    """Draws hold candidate-list details: coordinators who may see identifiers only."""
    audit_round = get_round_for_user(user, round_pk, manage=True)
    require_identifier_access(user)
    return get_object_or_404(CaseDraw.objects.select_related("round"), round=audit_round, pk=draw_pk)
