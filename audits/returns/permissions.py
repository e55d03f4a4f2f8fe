"""Who may read, edit, submit and decide agencies' returns (audit tools and chronologies).

The record layer (STYLE.md 4): 404 for another agency's return, 403 for a return the user may
read but not change. Every returns view starts with one of these; the views' template flags
and the services ask the same functions.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agencies.permissions import can_view_all_rounds, is_coordinator, is_lead_of, works_for
from audits.models import AuditTool, Case, Chronology, ChronologyImport
from audits.rounds.permissions import get_case_for_user, require_round_access


def is_member(user, item) -> bool:
    """Staff of the agency that owes the return."""
    return works_for(user, item.agency_id)


def is_lead(user, item) -> bool:
    """The lead of the agency that owes the return."""
    return is_lead_of(user, item.agency_id)


def can_edit(user, item) -> bool:
    """The agency's staff change its return while the agency still has it (not started,
    draft or returned)."""
    return is_member(user, item) and item.is_editable


def can_submit(user, item) -> bool:
    """Only the agency's lead submits its return, and only while the agency still has it."""
    return is_lead(user, item) and item.is_editable


def can_decide(user) -> bool:
    """Only coordinators accept returns or send them back."""
    return is_coordinator(user)


def can_review(user, item) -> bool:
    """A coordinator accepts or returns work while it waits for review (submitted)."""
    return can_decide(user) and item.is_submitted


def can_assign(user, item) -> bool:
    """The agency's lead gives its return to one of its auditors (or takes it back) while the
    agency still has it."""
    return is_lead(user, item) and item.is_editable


def can_mark_ready(user, item) -> bool:
    """An auditor of the agency (the one it is assigned to, if anyone) tells the lead the work is
    ready to submit, while the agency still has it and it is not already marked ready."""
    return (
        is_member(user, item)
        and not is_lead(user, item)
        and item.is_editable
        and item.ready_at is None
        and item.assigned_to_id in (None, user.pk)
    )


def require_member(user, item) -> None:
    if not is_member(user, item):
        raise PermissionDenied


def require_lead(user, item) -> None:
    if not is_lead(user, item):
        raise PermissionDenied


def require_decide(user) -> None:
    """Coordinators: they decide on returns, and their round changes create and move them."""
    if not can_decide(user):
        raise PermissionDenied


def require_all_rounds(user) -> None:
    """Agency staff who can see the round still may not see other agencies' progress."""
    if not can_view_all_rounds(user):
        raise PermissionDenied


def _get_return_for_user(model, user, pk, *, edit: bool, submit: bool, decide: bool):
    """An audit tool or chronology the user may see (404 otherwise). Only the agency's staff
    edit, only its lead submits, only coordinators return or accept (403 otherwise); whether
    the work is still the agency's to change is the view's and the service's question."""
    require_round_access(user)
    queryset = model.objects.visible_to(user).select_related("case__round__area", "agency")
    item = get_object_or_404(queryset, pk=pk)
    if edit:
        require_member(user, item)
    if submit:
        require_lead(user, item)
    if decide:
        require_decide(user)
    return item


def get_tool_for_user(user, pk, *, edit=False, submit=False, decide=False):
    return _get_return_for_user(AuditTool, user, pk, edit=edit, submit=submit, decide=decide)


def get_chronology_for_user(user, pk, *, edit=False, submit=False, decide=False):
    return _get_return_for_user(Chronology, user, pk, edit=edit, submit=submit, decide=decide)


def get_chronology_import_for_user(user, pk, import_pk) -> ChronologyImport:
    """A queued import into a chronology, for its status page: the agency's staff, who import into
    it (others as ``get_chronology_for_user(edit=True)``: 404 or 403); 404 for an import into
    another chronology. Staff may follow it after the chronology was submitted."""
    chronology = get_chronology_for_user(user, pk, edit=True)
    return get_object_or_404(
        ChronologyImport.objects.select_related("chronology__case"), pk=import_pk, chronology=chronology
    )


# The URL segment of each kind of return ("tools/<pk>/...", "chronologies/<pk>/...").
KINDS = {"tools": AuditTool, "chronologies": Chronology}


def url_kind(item) -> str:
    """The URL segment of an audit tool or chronology (a ``KINDS`` key)."""
    return "tools" if isinstance(item, AuditTool) else "chronologies"


def get_return_for_user(user, kind, pk, *, edit=False, submit=False, decide=False):
    """An audit tool or chronology by its URL segment (``KINDS``), as ``get_tool_for_user``."""
    if kind not in KINDS:
        raise Http404
    return _get_return_for_user(KINDS[kind], user, pk, edit=edit, submit=submit, decide=decide)


def get_case_for_integrated_chronology(user, round_pk, number) -> Case:
    """The integrated chronology of a case: coordinators always; staff of the case's agencies
    only once the round's tools due date has passed (403 before), so no agency reads the
    others' work while still writing its own; other agencies' staff 404; administrators and
    board viewers 403."""
    case = get_case_for_user(user, round_pk, number)
    if not can_read_integrated_chronology(user, case.round):
        raise PermissionDenied
    return case


def can_read_integrated_chronology(user, audit_round) -> bool:
    """Of those who see a case of ``audit_round``, who reads its integrated chronology now:
    coordinators always, the staff of its agencies from ``integrated_chronology_opens_on``."""
    if can_decide(user):
        return True
    return user.agency is not None and timezone.localdate() >= audit_round.integrated_chronology_opens_on


def can_print_tool(user, tool) -> bool:
    """An audit tool as a PDF: the staff of the agency that owes it, and coordinators
    (administrators read it on screen only)."""
    return is_member(user, tool) or can_decide(user)


def get_tool_for_print(user, pk) -> AuditTool:
    """The audit tool to print: as ``get_tool_for_user`` (404 for another agency's), then 403 for
    those who may read it but not print it."""
    tool = get_tool_for_user(user, pk)
    if not can_print_tool(user, tool):
        raise PermissionDenied
    return tool
