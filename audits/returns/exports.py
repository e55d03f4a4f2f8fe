"""The integrated chronology's downloads (CSV, XLSX and PDF, with the page's filters), made in the
background as exports (``exports.registry``), and what the page and the builders share: the
entries the filters select and the print context."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.access_log.downloads import XLSX_TYPE
from audits.models import AuditTool, Case, ChronologyEntry, TemplateQuestion
from audits.returns import chronology_io
from audits.returns.forms import IntegratedFilterForm
from audits.returns.permissions import get_case_for_integrated_chronology, get_tool_for_print
from audits.returns.selectors import case_chronologies, integrated_entries, tool_progress
from exports import registry
from exports.models import Export
from exports.running import export_progress
from lib import spreadsheets
from lib.pdf import render_pdf

# Format (as in the URL) -> (its name in the access log, content type).
FORMATS = {
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "xlsx": ("XLSX", XLSX_TYPE),
    "pdf": ("PDF", "application/pdf"),
}


def integrated_filter_form(case, data) -> IntegratedFilterForm:
    """The filter form alone, bound to ``data`` (for queueing an export: no entries read)."""
    return IntegratedFilterForm(data, chronologies=case_chronologies(case))


def integrated(case, data):
    """The case's chronologies, the filter form (bound to ``data``, a QueryDict, or None) and the
    entries it selects, each with its marker (``selectors.with_markers``)."""
    chronologies = case_chronologies(case)
    form = IntegratedFilterForm(data, chronologies=chronologies)
    filters = form.filters()
    return chronologies, form, filters, integrated_entries(chronologies, **filters)


def filter_summary(chronologies, filters) -> str:
    """The filters in words, for the page and the PDF."""
    parts = []
    if filters["key_only"]:
        parts.append("key events only")
    if filters["agency_ids"]:
        names = [c.agency.name for c in chronologies if c.agency_id in filters["agency_ids"]]
        parts.append("entries from " + ", ".join(names))
    if filters["event_types"]:
        labels = dict(ChronologyEntry.EventType.choices)
        parts.append("events of type " + ", ".join(str(labels[value]).lower() for value in filters["event_types"]))
    return "; ".join(parts)


def integrated_context(case, chronologies, filters, entries) -> dict:
    """What the page and the PDF both show around the entries."""
    return {
        "case": case,
        "round": case.round,
        "entries": entries,
        "included": [c for c in chronologies if c.included],
        "not_included": [c for c in chronologies if not c.included],
        "filter_summary": filter_summary(chronologies, filters),
        "produced_on": timezone.localdate(),
    }


def export_params(case, file_format: str, form) -> dict:
    """An export's params: the case by id, the format and the valid filters (ids and choices)."""
    return {"case": case.pk, "format": file_format, "filters": registry.filters_of(form.query_string())}


def _case(params) -> Case:
    return Case.objects.select_related("round").get(pk=params["case"])


def _rows(entries):
    return (chronology_io.entry_row(entry, agency=True) for entry in entries)


def build(export: Export) -> registry.Built:
    params = export.params
    case = _case(params)
    chronologies, _, filters, entries = integrated(case, registry.query_dict(params.get("filters")))
    file_format = params["format"]
    header = chronology_io.export_header(agency=True)
    if file_format == "csv":
        content = spreadsheets.to_csv(header, _rows(entries))
    elif file_format == "xlsx":
        content = chronology_io.to_xlsx(header, _rows(entries), title="Integrated chronology")
    else:
        export_progress(export, f"laying out {len(entries):,} entries")
        content = render_pdf(
            "print/integrated_chronology.html",
            integrated_context(case, chronologies, filters, entries),
            title=f"Integrated chronology: {case}",
        )
    return registry.Built(content, f"case-{case.number}-integrated-chronology.{file_format}", FORMATS[file_format][1])


def may_request(user, params) -> bool:
    case = Case.objects.filter(pk=params.get("case")).only("round_id", "number").first()
    if case is None or params.get("format") not in FORMATS:
        return False
    try:
        get_case_for_integrated_chronology(user, case.round_id, case.number)
    except (PermissionDenied, Http404):
        return False
    return True


def what(params) -> str:
    """The access log's name for the download: the round by number and the case number."""
    case = _case(params)
    return f"Integrated chronology {FORMATS[params['format']][0]}, round {case.round_id} case {case.number}"


def title(params) -> str:
    case = _case(params)
    filtered = ", filtered" if params.get("filters") else ""
    return f"Integrated chronology of case {case.number}, {case.round.title} ({FORMATS[params['format']][0]}{filtered})"


def back(params) -> str:
    case = _case(params)
    return registry.with_filters(reverse("audits:integrated-chronology", args=[case.round_id, case.number]), params)


registry.register(
    Export.Kind.INTEGRATED_CHRONOLOGY, build=build, may_request=may_request, what=what, title=title, back=back
)


# An agency's audit tool as a PDF: its status, grades, and every answer with its evidence -------


def _tool(params) -> AuditTool:
    return AuditTool.objects.select_related(
        "case__round__area", "agency", "submitted_by", "decided_by", "assigned_to"
    ).get(pk=params["tool"])


def tool_context(tool: AuditTool) -> dict:
    """What the tool's PDF prints: its sections' answers (as the "Check your answers" page reads
    them) and its grades together at the top."""
    rows = tool_progress(tool)
    return {
        "tool": tool,
        "case": tool.case,
        "round": tool.case.round,
        "sections": [{"section": row.section, "answers": row.answers, "progress": row} for row in rows],
        "grades": [
            {"section": row.section, "question": question, "answer": answer}
            for row in rows
            for question, answer in row.answers
            if question.kind == TemplateQuestion.Kind.GRADE
        ],
        "completed": sum(1 for row in rows if row.is_complete),
        "produced_on": timezone.localdate(),
    }


def build_tool(export: Export) -> registry.Built:
    tool = _tool(export.params)
    content = render_pdf(
        "print/audit_tool.html", tool_context(tool), title=f"Audit tool: {tool.case}, {tool.agency.short_name}"
    )
    return registry.Built(content, f"case-{tool.case.number}-audit-tool-{tool.agency_id}.pdf", "application/pdf")


def may_request_tool(user, params) -> bool:
    try:
        get_tool_for_print(user, params.get("tool"))
    except (PermissionDenied, Http404):
        return False
    return True


def tool_what(params) -> str:
    """The access log's name for the download: the tool by number."""
    return f"Audit tool PDF, tool {params['tool']}"


def tool_title(params) -> str:
    tool = _tool(params)
    return f"Audit tool of {tool.case}, {tool.case.round.title}, {tool.agency.short_name} (PDF)"


def tool_back(params) -> str:
    return reverse("audits:tool-detail", args=[params["tool"]])


registry.register(
    Export.Kind.AUDIT_TOOL,
    build=build_tool,
    may_request=may_request_tool,
    what=tool_what,
    title=tool_title,
    back=tool_back,
)
