"""What the action plan hands out and shows in words: its downloads (CSV, XLSX and PDF, with the
filters applied, made in the background as exports: ``exports.registry``), the access log's name
for each, and an action's change history."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.access_log.downloads import XLSX_TYPE
from audits.actions.forms import PlanFilterForm
from audits.actions.permissions import get_round_for_action_plan, require_action_plan_access
from audits.actions.selectors import FINDING_NOT_SHOWN, PlanFilters, filter_choices, plan_actions
from audits.meetings.selectors import participating_agencies
from audits.models import Action, AuditRound
from exports import registry
from exports.models import Export
from lib.pdf import render_pdf
from lib.spreadsheets import to_csv, to_xlsx

# Format (as in the URL) -> (its name in the access log, content type).
FORMATS = {
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "xlsx": ("XLSX", XLSX_TYPE),
    "pdf": ("PDF", "application/pdf"),
}

EXPORT_HEADER = [
    "Round",
    "Area",
    "Action",
    "Findings it answers",
    "Lead agency",
    "Owner",
    "Due date",
    "Status",
    "RAG",
    "RAG reason",
    "Latest update date",
    "Latest update",
    "Evidence of completion",
    "Impact on children and families",
    "Not going ahead because",
]
_WIDE = ("Action", "Findings it answers", "Latest update", "Evidence of completion", "Impact on children and families")
_DATES = ("Due date", "Latest update date")


def export_rows(actions):
    """One row per action (from ``plan_actions(..., exports=True)``), matching EXPORT_HEADER."""
    for action in actions:
        findings = (
            "; ".join(
                f"{finding.case or 'Round'}: {finding.heading if finding.shown else FINDING_NOT_SHOWN}"
                for finding in action.findings.all()
            )
            or "The round as a whole"
        )
        updates = list(action.updates.all())
        latest = updates[0] if updates else None
        yield [
            action.round.title,
            action.round.area.name,
            action.what,
            findings,
            action.lead_agency.name,
            action.owner_display + (f" ({action.owner_role})" if action.owner_user_id and action.owner_role else ""),
            action.due_date,
            action.get_status_display(),
            action.rag_label,
            action.rag_reason,
            latest.date if latest else "",
            latest.text if latest else "",
            action.evidence_of_completion,
            action.impact,
            action.not_going_ahead_reason,
        ]


def export(fmt: str, actions, *, title: str, caption: str, filter_summary: str, today) -> bytes:
    """The plan's actions as a file in ``fmt`` (csv, xlsx or pdf); the PDF has a title, a
    caption, the filters in words and the day it was produced."""
    if fmt == "csv":
        return to_csv(EXPORT_HEADER, export_rows(actions))
    if fmt == "xlsx":
        return to_xlsx(
            EXPORT_HEADER,
            export_rows(actions),
            title="Action plan",
            widths={name: 18 for name in EXPORT_HEADER if name not in _WIDE},
            wide=_WIDE,
            dates=_DATES,
        )
    return render_pdf(
        "print/action_plan.html",
        {
            "actions": actions,
            "finding_not_shown": FINDING_NOT_SHOWN,
            "caption": caption,
            "filter_summary": filter_summary,
            "produced_on": today,
            "amber_days": settings.ACTION_AMBER_DAYS,
        },
        title=title,
    )


def content_type(fmt: str) -> str:
    return FORMATS[fmt][1]


def access_label(fmt: str, round_pk: int | None, *, filtered: bool) -> str:
    """The access log's name for an action plan export: the round by number, never its title,
    and whether filters narrowed it (a round's own plan is not narrowed by being that round's:
    its filter form has no round)."""
    scope = f"round {round_pk}" if round_pk is not None else "all rounds"
    return f"Action plan {FORMATS[fmt][0]}, {scope}" + (", filtered" if filtered else "")


def filter_summary(filters: PlanFilters, *, cross_round: bool) -> str:
    """The filters applied, in words, for the page and the PDF."""
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


def history_rows(history):
    """Each saved version (newest first, from ``selectors.action_history``) with what changed
    from the one before, in words."""
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


# The plans, for the pages and the exports alike ---------------------------------------------


def plan_filter_form(user, data, *, audit_round=None) -> PlanFilterForm:
    """The plan's filter form bound to ``data`` (a QueryDict or None), its choices those ``user`` sees."""
    if audit_round is not None:
        return PlanFilterForm(data, agencies=participating_agencies(audit_round), cross_round=False)
    return PlanFilterForm(data, **filter_choices(user))


def plan_for(user, data, *, audit_round=None, for_export=False):
    """A round's plan (``audit_round``) or the plan across rounds, filtered by ``data`` (a
    QueryDict or None): the filter form, the filters, the actions and today."""
    today = timezone.localdate()
    form = plan_filter_form(user, data, audit_round=audit_round)
    filters = form.filters()
    if audit_round is not None:
        filters.audit_round = audit_round
    actions = plan_actions(user, today=today, filters=filters, exports=for_export)
    return form, filters, actions, today


def export_params(fmt: str, form, *, audit_round=None) -> dict:
    """An export's params: the round by id (a round's plan), the format and the valid filters."""
    params = {"format": fmt, "filters": registry.filters_of(form.query_string())}
    if audit_round is not None:
        params["round"] = audit_round.pk
    return params


def _round(params) -> AuditRound:
    return AuditRound.objects.select_related("area").get(pk=params["round"])


def build_round_plan(job: Export) -> registry.Built:
    params, fmt = job.params, job.params["format"]
    audit_round = _round(params)
    data = registry.query_dict(params.get("filters"))
    _, filters, actions, today = plan_for(job.requested_by, data, audit_round=audit_round, for_export=True)
    content = export(
        fmt,
        actions,
        title=f"Action plan: {audit_round.title}",
        caption=f"{audit_round.area.name}, {audit_round.period_label}",
        filter_summary=filter_summary(filters, cross_round=False),
        today=today,
    )
    return registry.Built(content, f"round-{audit_round.pk}-action-plan.{fmt}", content_type(fmt))


def build_cross_round_plan(job: Export) -> registry.Built:
    fmt = job.params["format"]
    data = registry.query_dict(job.params.get("filters"))
    _, filters, actions, today = plan_for(job.requested_by, data, for_export=True)
    content = export(
        fmt,
        actions,
        title="Action plan: all rounds",
        caption="Actions from every round you can see",
        filter_summary=filter_summary(filters, cross_round=True),
        today=today,
    )
    return registry.Built(content, f"action-plan.{fmt}", content_type(fmt))


def may_export_round_plan(user, params) -> bool:
    if params.get("format") not in FORMATS:
        return False
    try:
        get_round_for_action_plan(user, params.get("round"))
    except (PermissionDenied, Http404):
        return False
    return True


def may_export_cross_round_plan(user, params) -> bool:
    if params.get("format") not in FORMATS:
        return False
    try:
        require_action_plan_access(user)
    except PermissionDenied:
        return False
    return True


def _filtered(params) -> str:
    return ", filtered" if params.get("filters") else ""


registry.register(
    Export.Kind.ROUND_ACTION_PLAN,
    build=build_round_plan,
    may_request=may_export_round_plan,
    what=lambda params: access_label(params["format"], params["round"], filtered=bool(params.get("filters"))),
    title=lambda params: f"Action plan of {_round(params).title} ({FORMATS[params['format']][0]}{_filtered(params)})",
    back=lambda params: registry.with_filters(reverse("audits:round-actions", args=[params["round"]]), params),
)
registry.register(
    Export.Kind.ACTION_PLAN,
    build=build_cross_round_plan,
    may_request=may_export_cross_round_plan,
    what=lambda params: access_label(params["format"], None, filtered=bool(params.get("filters"))),
    title=lambda params: f"Action plan across rounds ({FORMATS[params['format']][0]}{_filtered(params)})",
    back=lambda params: registry.with_filters(reverse("audits:action-list"), params),
)
