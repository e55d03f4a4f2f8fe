"""Who may read, edit, submit and decide agencies' returns (audit tools and chronologies).

The record layer (STYLE.md 4): 404 for another agency's return, 403 for a return the user may
read but not change. Every returns view starts with one of these.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audits.models import AuditTool, Case, Chronology
from audits.rounds.permissions import get_case_for_user, require_round_access


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
    return _get_return_for_user(AuditTool, user, pk, edit=edit, submit=submit, decide=decide)


def get_chronology_for_user(user, pk, *, edit=False, submit=False, decide=False):
    return _get_return_for_user(Chronology, user, pk, edit=edit, submit=submit, decide=decide)


def get_case_for_integrated_chronology(user, round_pk, number) -> Case:
    """The integrated chronology of a case: coordinators always; staff of the case's agencies
    only once the round's tools due date has passed (403 before), so no agency reads the
    others' work while still writing its own; other agencies' staff 404; administrators and
    board viewers 403."""
    case = get_case_for_user(user, round_pk, number)
    if user.has_perm("audits.manage_rounds"):
        return case
    if user.agency is None or case.round.tools_due_date >= timezone.localdate():
        raise PermissionDenied
    return case
