"""The MACA action plan: each round's plan and the plan across rounds (filterable, exportable
as CSV, XLSX and PDF), and each action's page, with its progress updates and lifecycle."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audits.actions import exports, services
from audits.actions.forms import ActionForm, ActionUpdateForm, ProposeCompletionForm, ReasonForm
from audits.actions.permissions import (
    can_manage_actions,
    can_update_action,
    get_action_for_user,
    get_round_for_action_plan,
    require_action_plan_access,
)
from audits.actions.selectors import (
    FINDING_NOT_SHOWN,
    PLAN_COLUMNS,
    PLAN_DEFAULT,
    action_findings,
    action_history,
    plan_order_description,
    plan_page,
    round_findings,
)
from audits.meetings.selectors import participating_agencies
from exports.models import Export
from exports.services import export_request
from lib.forms import form_data
from lib.pagination import pagination
from lib.sorting import sorting
from lib.views import run, save_form

# Plans ---------------------------------------------------------------------------------------


def _plan_page(request, *, audit_round=None):
    """The filter form, the filters, the order (``?sort=&order=``) and the page of the plan they
    select (``?page=``)."""
    today = timezone.localdate()
    form = exports.plan_filter_form(request.user, request.GET or None, audit_round=audit_round)
    filters = form.filters()
    if audit_round is not None:
        filters.audit_round = audit_round
    order = sorting(request, PLAN_COLUMNS, default=PLAN_DEFAULT)
    page = plan_page(
        request.user, today=today, filters=filters, number=request.GET.get("page"), order_by=order.order_by()
    )
    return form, filters, (page, order), today


def _plan_context(request, form, plan, today) -> dict:
    page, order = plan
    return {
        "form": form,
        "page": page,
        # The page links keep the filters and the order (they copy the request's query).
        "pages": pagination(request, page),
        "headers": order.headers(),
        "sorted_by": order.current(),
        "order_description": plan_order_description(order),
        "actions": page.object_list,
        "today": today,
        "query": form.query_string(),
        "filtered": form.is_bound and bool(form.query_string()),
    }


@require_GET
def round_actions(request, pk):
    audit_round = get_round_for_action_plan(request.user, pk)
    form, filters, plan, today = _plan_page(request, audit_round=audit_round)
    return render(
        request,
        "actions/action_plan.html",
        {
            **_plan_context(request, form, plan, today),
            "round": audit_round,
            "filter_summary": exports.filter_summary(filters, cross_round=False),
            "can_manage": can_manage_actions(request.user) and audit_round.has_opened,
            "downloads": ("audits:round-actions-pdf", "audits:round-actions-xlsx", "audits:round-actions-csv"),
        },
    )


@require_GET
def action_list(request):
    require_action_plan_access(request.user)
    form, filters, plan, today = _plan_page(request)
    return render(
        request,
        "actions/action_plan.html",
        {
            **_plan_context(request, form, plan, today),
            "filter_summary": exports.filter_summary(filters, cross_round=True),
            "downloads": ("audits:action-list-pdf", "audits:action-list-xlsx", "audits:action-list-csv"),
        },
    )


@require_POST
def round_actions_export(request, pk, fmt):
    """Queue a round's plan, with the filters applied, as ``fmt`` (csv, xlsx or pdf; set by the
    URL), and go to the export's status page."""
    audit_round = get_round_for_action_plan(request.user, pk)
    form = exports.plan_filter_form(request.user, request.GET or None, audit_round=audit_round)
    export = export_request(
        actor=request.user,
        kind=Export.Kind.ROUND_ACTION_PLAN,
        params=exports.export_params(fmt, form, audit_round=audit_round),
    )
    return redirect(export)


@require_POST
def action_list_export(request, fmt):
    """Queue the plan across rounds, with the filters applied, as ``fmt`` (csv, xlsx or pdf)."""
    require_action_plan_access(request.user)
    form = exports.plan_filter_form(request.user, request.GET or None)
    export = export_request(actor=request.user, kind=Export.Kind.ACTION_PLAN, params=exports.export_params(fmt, form))
    return redirect(export)


# One action ----------------------------------------------------------------------------------


def _action_form(request, audit_round, *, initial=None):
    findings = list(round_findings(audit_round))
    form = ActionForm(
        form_data(request), agencies=participating_agencies(audit_round), findings=findings, initial=initial or {}
    )
    return form, {finding.pk: finding for finding in findings}


def _plan_url(audit_round):
    return reverse("audits:round-actions", args=[audit_round.pk])


@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    audit_round = get_round_for_action_plan(request.user, pk, manage=True)
    form, findings = _action_form(request, audit_round)
    if saved := save_form(
        request,
        form,
        lambda: services.action_create(actor=request.user, audit_round=audit_round, **form.service_arguments(findings)),
        success="Action added to the plan.",
    ):
        return redirect(saved.result)
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "round": audit_round, "heading": "Add an action", "back_url": _plan_url(audit_round)},
    )


@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = get_action_for_user(request.user, pk, manage=True)
    form, findings = _action_form(request, action.round, initial=ActionForm.initial_for(action))
    if save_form(
        request,
        form,
        lambda: services.action_change(actor=request.user, action=action, **form.service_arguments(findings)),
        success="Action changed.",
    ):
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
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "round": action.round,
            "findings": action_findings(request.user, action),
            "finding_not_shown": FINDING_NOT_SHOWN,
            "updates": list(action.updates.select_related("author")),
            "history": exports.history_rows(action_history(action)),
            "can_update": can_update_action(request.user, action) and action.is_open,
            "can_manage": can_manage_actions(request.user),
            "proposed": action.awaiting_confirmation,
        },
    )


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
    if save_form(
        request,
        form,
        lambda: services.action_add_update(
            actor=request.user,
            action=action,
            text=form.cleaned_data["text"],
            date=form.cleaned_data["date"],
            at_risk=form.cleaned_data["at_risk"],
        ),
        success="Progress update added.",
    ):
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
    if save_form(
        request,
        form,
        lambda: services.action_propose_completion(
            actor=request.user,
            action=action,
            evidence=form.cleaned_data["evidence_of_completion"],
            impact=form.cleaned_data["impact"],
        ),
        success="Completion proposed. The audit team will confirm it.",
    ):
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
    run(
        request,
        lambda: services.action_confirm_completion(actor=request.user, action=action),
        success="Completion confirmed: the action is complete.",
    )
    return redirect(action)


def _reason_step(request, pk, *, change, question, required_message, done, template_context):
    """A lifecycle step that needs only a reason (reopen, not going ahead): the form, the
    service's refusal on the form, or the message and back to the action."""
    action = get_action_for_user(request.user, pk, manage=True)
    form = ReasonForm(form_data(request), label=question, required_message=required_message)
    if save_form(
        request,
        form,
        lambda: change(actor=request.user, action=action, reason=form.cleaned_data["reason"]),
        success=done,
    ):
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
