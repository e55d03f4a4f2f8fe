"""The integrated multi-agency chronology of a case: every agency's submitted entries, merged by
date, filtered, as a timeline page and as CSV, XLSX and PDF."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.access_log.downloads import XLSX_TYPE, attachment
from audits.models import ChronologyEntry
from audits.returns import chronology_io
from audits.returns.forms import IntegratedFilterForm
from audits.returns.permissions import get_case_for_integrated_chronology
from audits.returns.selectors import by_month, case_chronologies, integrated_entries
from audits.rounds.permissions import get_case_for_user
from lib import spreadsheets
from lib.pdf import render_pdf


def _closed_until(view):
    """An agency's staff who open a case's integrated chronology before it opens (the day after
    the round's tools are due: ``get_case_for_integrated_chronology``) get a page that says so and
    when (403), not the page that blames their account; everyone else refused is refused as before."""

    @wraps(view)
    def wrapped(request, pk, number):
        try:
            case = get_case_for_integrated_chronology(request.user, pk, number)
        except PermissionDenied:
            case = get_case_for_user(request.user, pk, number)  # 404 for a case they may not see
            if request.user.agency is None:
                raise
            return render(
                request,
                "returns/integrated/integrated_closed.html",
                {"case": case, "round": case.round, "opens_on": case.round.integrated_chronology_opens_on},
                status=403,
            )
        return view(request, case)

    return wrapped


def _integrated(request, case):
    """The case's chronologies, the filter form and the entries it selects."""
    chronologies = case_chronologies(case)
    form = IntegratedFilterForm(request.GET or None, chronologies=chronologies)
    filters = form.filters()
    entries = integrated_entries(case, **filters)
    markers = {chronology.agency_id: chronology.marker for chronology in chronologies}
    for entry in entries:
        entry.marker = markers.get(entry.chronology.agency_id, 1)
    return chronologies, form, filters, entries


def _filter_summary(chronologies, filters) -> str:
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


def _context(case, chronologies, filters, entries):
    return {
        "case": case,
        "round": case.round,
        "entries": entries,
        "included": [c for c in chronologies if c.included],
        "not_included": [c for c in chronologies if not c.included],
        "filter_summary": _filter_summary(chronologies, filters),
        "produced_on": timezone.localdate(),
    }


def _file_name(case, extension):
    return f"case-{case.number}-integrated-chronology.{extension}"


def _what(case, file_format):
    return f"Integrated chronology {file_format}, round {case.round_id} case {case.number}"


@require_GET
@_closed_until
def integrated_chronology(request, case):
    chronologies, form, filters, entries = _integrated(request, case)
    context = _context(case, chronologies, filters, entries)
    context.update(
        {
            "form": form,
            "chronologies": chronologies,
            "months": by_month(entries),
            "query": form.query_string(),
            "filtered": any(filters.values()),
        }
    )
    return render(request, "returns/integrated/integrated_chronology.html", context)


def _rows(entries):
    return (chronology_io.entry_row(entry, agency=True) for entry in entries)


@require_GET
@_closed_until
def integrated_chronology_csv(request, case):
    _, _, _, entries = _integrated(request, case)
    content = spreadsheets.to_csv(chronology_io.export_header(agency=True), _rows(entries))
    return attachment(request, content, "text/csv; charset=utf-8", _file_name(case, "csv"), what=_what(case, "CSV"))


@require_GET
@_closed_until
def integrated_chronology_xlsx(request, case):
    _, _, _, entries = _integrated(request, case)
    content = chronology_io.to_xlsx(
        chronology_io.export_header(agency=True), _rows(entries), title="Integrated chronology"
    )
    return attachment(request, content, XLSX_TYPE, _file_name(case, "xlsx"), what=_what(case, "XLSX"))


@require_GET
@_closed_until
def integrated_chronology_pdf(request, case):
    chronologies, _, filters, entries = _integrated(request, case)
    content = render_pdf(
        "print/integrated_chronology.html",
        _context(case, chronologies, filters, entries),
        title=f"Integrated chronology: {case}",
    )
    return attachment(request, content, "application/pdf", _file_name(case, "pdf"), what=_what(case, "PDF"))
