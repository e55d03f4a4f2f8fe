"""The integrated multi-agency chronology of a case: every agency's submitted entries, merged by
date, filtered, as a timeline page (a page of entries at a time) and as CSV, XLSX and PDF."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audits.returns.exports import export_params, integrated_context, integrated_filter_form
from audits.returns.forms import IntegratedFilterForm
from audits.returns.permissions import get_case_for_integrated_chronology
from audits.returns.selectors import case_chronologies, integrated_timeline
from audits.rounds.permissions import get_case_for_user
from exports.models import Export
from exports.services import export_request
from lib.pagination import pagination


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
    """The case's chronologies, the filter form and one page of the entries it selects."""
    chronologies = case_chronologies(case)
    form = IntegratedFilterForm(request.GET or None, chronologies=chronologies)
    filters = form.filters()
    timeline = integrated_timeline(case, chronologies, filters, request.GET.get("page"))
    return chronologies, form, filters, timeline


@require_GET
@_closed_until
def integrated_chronology(request, case):
    chronologies, form, filters, timeline = _integrated(request, case)
    context = integrated_context(case, chronologies, filters, timeline.page.object_list)
    context.update(
        {
            "form": form,
            "chronologies": chronologies,
            "timeline": timeline,
            "page": timeline.page,
            "pages": pagination(request, timeline.page),
            "query": form.query_string(),
            "filtered": any(filters.values()),
        }
    )
    return render(request, "returns/integrated/integrated_chronology.html", context)


def _export(request, case, file_format):
    """Queue the download as an export with the page's filters, and go to its status page."""
    form = integrated_filter_form(case, request.GET or None)
    export = export_request(
        actor=request.user,
        kind=Export.Kind.INTEGRATED_CHRONOLOGY,
        params=export_params(case, file_format, form),
    )
    return redirect(export)


@require_POST
@_closed_until
def integrated_chronology_csv(request, case):
    return _export(request, case, "csv")


@require_POST
@_closed_until
def integrated_chronology_xlsx(request, case):
    return _export(request, case, "xlsx")


@require_POST
@_closed_until
def integrated_chronology_pdf(request, case):
    return _export(request, case, "pdf")
