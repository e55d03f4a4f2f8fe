"""The MACA action plan: each round's plan and the plan across rounds (filterable, exportable
as CSV, XLSX and PDF), and each action's page, with its progress updates and lifecycle."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.access_log.downloads import XLSX_TYPE, attachment
from audits.actions import services
from audits.actions.forms import ActionForm, ActionUpdateForm, PlanFilterForm, ProposeCompletionForm, ReasonForm
from audits.actions.permissions import (
    can_manage_actions,
    can_update_action,
    get_action_for_user,
    get_round_for_action_plan,
    require_action_plan_access,
)
from audits.actions.selectors import EXPORT_HEADER, PlanFilters, export_rows, filter_choices, plan_actions
from audits.models import Action
from lib import spreadsheets
from lib.forms import add_service_errors, form_data
from lib.pdf import render_pdf

# Plans ---------------------------------------------------------------------------------------


def _round_plan(request, audit_round, *, exports=False):
    today = timezone.localdate()
    agencies = list(services.round_agencies(audit_round))
    form = PlanFilterForm(request.GET or None, agencies=agencies, cross_round=False)
    filters = form.filters()
    filters.audit_round = audit_round
    actions = plan_actions(request.user, today=today, filters=filters, exports=exports)
    return form, filters, actions, today


def _cross_round_plan(request, *, exports=False):
    today = timezone.localdate()
    form = PlanFilterForm(request.GET or None, **filter_choices(request.user))
    filters = form.filters()
    actions = plan_actions(request.user, today=today, filters=filters, exports=exports)
    return form, filters, actions, today


def _filter_summary(filters: PlanFilters, *, cross_round: bool) -> str:
    parts = []
    if cross_round and filters.area:
        parts.append(f"area: {filters.area.name}")
    if cross_round and filters.audit_round:
        parts.append(f"round: {filters.audit_round.title}")
    if filters.agency:
        parts.append(f"lead agency: {filters.agency.name}")
    if filters.status:
        parts.append(f"status: {Action.Status(filters.status).label.lower()}")
    if filters.rag:
        parts.append(f"RAG: {Action.Rag(filters.rag).label.lower()}")
    if filters.overdue:
        parts.append("overdue only")
    return "; ".join(parts)


@require_GET
def round_actions(request, pk):
    audit_round = get_round_for_action_plan(request.user, pk)
    form, filters, actions, today = _round_plan(request, audit_round)
    return render(
        request,
        "actions/action_plan.html",
        {
            "round": audit_round,
            "form": form,
            "actions": actions,
            "today": today,
            "query": form.query_string(),
            "filtered": form.is_bound and bool(form.query_string()),
            "filter_summary": _filter_summary(filters, cross_round=False),
            "can_manage": can_manage_actions(request.user) and audit_round.status != audit_round.Status.PLANNING,
            "downloads": ("audits:round-actions-pdf", "audits:round-actions-xlsx", "audits:round-actions-csv"),
        },
    )


@require_GET
def action_list(request):
    require_action_plan_access(request.user)
    form, filters, actions, today = _cross_round_plan(request)
    return render(
        request,
        "actions/action_plan.html",
        {
            "form": form,
            "actions": actions,
            "today": today,
            "query": form.query_string(),
            "filtered": form.is_bound and bool(form.query_string()),
            "filter_summary": _filter_summary(filters, cross_round=True),
            "downloads": ("audits:action-list-pdf", "audits:action-list-xlsx", "audits:action-list-csv"),
        },
    )


def _csv(actions) -> bytes:
    return spreadsheets.to_csv(EXPORT_HEADER, export_rows(actions))


def _xlsx(actions) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    sheet.append(EXPORT_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    date_columns = [EXPORT_HEADER.index("Due date") + 1, EXPORT_HEADER.index("Latest update date") + 1]
    for row in export_rows(actions):
        sheet.append(spreadsheets.safe_row(row))
        for column in date_columns:
            sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
    wide = {
        "Action",
        "Findings it answers",
        "Latest update",
        "Evidence of completion",
        "Impact on children and families",
    }
    for position, name in enumerate(EXPORT_HEADER, start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        sheet.column_dimensions[letter].width = 50 if name in wide else 18
        if name in wide:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf(actions, *, title, caption, filter_summary, today) -> bytes:
    return render_pdf(
        "print/action_plan.html",
        {
            "actions": actions,
            "caption": caption,
            "filter_summary": filter_summary,
            "produced_on": today,
            "amber_days": settings.ACTION_AMBER_DAYS,
        },
        title=title,
    )


def _what(file_format, audit_round, filters: PlanFilters) -> str:
    """The access log's name for an action plan export: the round by number, never its title."""
    if audit_round is not None:
        filtered = filters.area or filters.agency or filters.status or filters.rag or filters.overdue
        return f"Action plan {file_format}, round {audit_round.pk}" + (", filtered" if filtered else "")
    return f"Action plan {file_format}, all rounds" + (", filtered" if filters.any else "")


@require_GET
def round_actions_csv(request, pk):
    audit_round = get_round_for_action_plan(request.user, pk)
    _, filters, actions, _ = _round_plan(request, audit_round, exports=True)
    return attachment(
        request,
        _csv(actions),
        "text/csv; charset=utf-8",
        f"round-{audit_round.pk}-action-plan.csv",
        what=_what("CSV", audit_round, filters),
    )


@require_GET
def round_actions_xlsx(request, pk):
    audit_round = get_round_for_action_plan(request.user, pk)
    _, filters, actions, _ = _round_plan(request, audit_round, exports=True)
    return attachment(
        request,
        _xlsx(actions),
        XLSX_TYPE,
        f"round-{audit_round.pk}-action-plan.xlsx",
        what=_what("XLSX", audit_round, filters),
    )


@require_GET
def round_actions_pdf(request, pk):
    audit_round = get_round_for_action_plan(request.user, pk)
    _, filters, actions, today = _round_plan(request, audit_round, exports=True)
    content = _pdf(
        actions,
        title=f"Action plan: {audit_round.title}",
        caption=f"{audit_round.area.name}, {audit_round.period_label}",
        filter_summary=_filter_summary(filters, cross_round=False),
        today=today,
    )
    return attachment(
        request,
        content,
        "application/pdf",
        f"round-{audit_round.pk}-action-plan.pdf",
        what=_what("PDF", audit_round, filters),
    )


@require_GET
def action_list_csv(request):
    require_action_plan_access(request.user)
    _, filters, actions, _ = _cross_round_plan(request, exports=True)
    return attachment(
        request, _csv(actions), "text/csv; charset=utf-8", "action-plan.csv", what=_what("CSV", None, filters)
    )


@require_GET
def action_list_xlsx(request):
    require_action_plan_access(request.user)
    _, filters, actions, _ = _cross_round_plan(request, exports=True)
    return attachment(request, _xlsx(actions), XLSX_TYPE, "action-plan.xlsx", what=_what("XLSX", None, filters))


@require_GET
def action_list_pdf(request):
    require_action_plan_access(request.user)
    _, filters, actions, today = _cross_round_plan(request, exports=True)
    content = _pdf(
        actions,
        title="Action plan: all rounds",
        caption="Actions from every round you can see",
        filter_summary=_filter_summary(filters, cross_round=True),
        today=today,
    )
    return attachment(request, content, "application/pdf", "action-plan.pdf", what=_what("PDF", None, filters))


# One action ----------------------------------------------------------------------------------


def _action_form(request, audit_round, *, initial=None):
    findings = list(services.round_findings(audit_round))
    form = ActionForm(
        form_data(request), agencies=services.round_agencies(audit_round), findings=findings, initial=initial or {}
    )
    return form, {finding.pk: finding for finding in findings}


@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    audit_round = get_round_for_action_plan(request.user, pk, manage=True)
    form, findings = _action_form(request, audit_round)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                actor=request.user, audit_round=audit_round, **form.service_arguments(findings)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Action added to the plan.")
            return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "round": audit_round, "heading": "Add an action", "back_url": _plan_url(audit_round)},
    )


def _plan_url(audit_round):
    return reverse("audits:round-actions", args=[audit_round.pk])


@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = get_action_for_user(request.user, pk, manage=True)
    form, findings = _action_form(request, action.round, initial=ActionForm.initial_for(action))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_change(actor=request.user, action=action, **form.service_arguments(findings))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Action changed.")
            return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {
            "form": form,
            "round": action.round,
            "action": action,
            "heading": "Change the action",
            "back_url": action.get_absolute_url(),
        },
    )


@require_GET
def action_detail(request, pk):
    action = get_action_for_user(request.user, pk)
    today = timezone.localdate()
    action.rag_colour, action.rag_reason = action.rag(today)
    history = list(action.history.select_related("history_user").order_by("-history_date", "-history_id"))
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "round": action.round,
            "findings": list(action.findings.select_related("case").order_by("case__number", "position", "pk")),
            "updates": list(action.updates.select_related("author")),
            "history": _history_rows(history),
            "can_update": can_update_action(request.user, action) and action.is_open,
            "can_manage": can_manage_actions(request.user),
            "proposed": action.is_open and action.completion_proposed_at is not None,
        },
    )


_TRACKED = {
    "what": "What is to be done",
    "findings": "Findings it answers",
    "lead_agency": "Lead agency",
    "owner_name": "Owner's name",
    "owner_role": "Owner's role",
    "owner_user": "Owner",
    "due_date": "Due date",
    "status": "Status",
    "at_risk": "At risk",
    "not_going_ahead_reason": "Reason for not going ahead",
    "evidence_of_completion": "Evidence of completion",
    "impact": "Impact on children and families",
    "completion_proposed_at": "Completion proposed",
    "completed_at": "Completion confirmed",
}


def _history_rows(history):
    """Each saved version with what changed from the one before, in words."""
    rows = []
    for newer, older in zip(history, [*history[1:], None], strict=True):
        if older is None:
            changed = ["Added the action"]
        else:
            delta = newer.diff_against(older, included_fields=list(_TRACKED))
            changed = [_TRACKED[change.field] for change in delta.changes]
        if newer.history_type == "+" or changed:
            rows.append({"when": newer.history_date, "who": newer.history_user, "status": newer, "changed": changed})
    return rows


def _step(request, action, *, form, template_context):
    return render(
        request,
        "actions/action_step.html",
        {
            "action": action,
            "round": action.round,
            "form": form,
            "back_url": action.get_absolute_url(),
            **template_context,
        },
    )


@require_http_methods(["GET", "POST"])
def action_update(request, pk):
    action = get_action_for_user(request.user, pk, update=True)
    form = ActionUpdateForm(form_data(request), initial={"at_risk": action.at_risk})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add_update(
                actor=request.user,
                action=action,
                text=form.cleaned_data["text"],
                date=form.cleaned_data["date"],
                at_risk=form.cleaned_data["at_risk"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Progress update added.")
            return redirect(action)
    return _step(
        request,
        action,
        form=form,
        template_context={"heading": "Add a progress update", "submit_label": "Add the update"},
    )


@require_http_methods(["GET", "POST"])
def action_propose(request, pk):
    action = get_action_for_user(request.user, pk, update=True)
    form = ProposeCompletionForm(
        form_data(request), initial={"evidence_of_completion": action.evidence_of_completion, "impact": action.impact}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_propose_completion(
                actor=request.user,
                action=action,
                evidence=form.cleaned_data["evidence_of_completion"],
                impact=form.cleaned_data["impact"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Completion proposed. The audit team will confirm it.")
            return redirect(action)
    return _step(
        request,
        action,
        form=form,
        template_context={
            "heading": "Propose that the action is complete",
            "intro": "The audit team will check the evidence and confirm that the action is complete.",
            "submit_label": "Propose completion",
        },
    )


@require_POST
def action_confirm(request, pk):
    action = get_action_for_user(request.user, pk, manage=True)
    try:
        services.action_confirm_completion(actor=request.user, action=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Completion confirmed: the action is complete.")
    return redirect(action)


def _reason_step(request, pk, *, change, question, required_message, done, template_context):
    """A lifecycle step that needs only a reason (reopen, not going ahead): the form, the
    service's refusal on the form, or the message and back to the action."""
    action = get_action_for_user(request.user, pk, manage=True)
    form = ReasonForm(form_data(request), label=question, required_message=required_message)
    if request.method == "POST" and form.is_valid():
        try:
            change(actor=request.user, action=action, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(action)
    return _step(request, action, form=form, template_context=template_context)


@require_http_methods(["GET", "POST"])
def action_reopen(request, pk):
    return _reason_step(
        request,
        pk,
        change=services.action_reopen,
        question="Why is the action being reopened?",
        required_message="Say why the action is being reopened",
        done="Action reopened: it is in progress again.",
        template_context={
            "heading": "Reopen the action",
            "intro": "The action goes back to in progress. The reason is kept with its progress updates.",
            "submit_label": "Reopen the action",
        },
    )


@require_http_methods(["GET", "POST"])
def action_not_going_ahead(request, pk):
    return _reason_step(
        request,
        pk,
        change=services.action_not_going_ahead,
        question="Why is the action not going ahead?",
        required_message="Say why the action is not going ahead",
        done="The action is recorded as not going ahead.",
        template_context={"heading": "Record that the action is not going ahead", "submit_label": "Save"},
    )
