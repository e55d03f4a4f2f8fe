"""Chasing returns: a round's completion matrix (cases x agencies), its CSV export, and the
coordinator's "Send a reminder now" to an agency."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agencies.access_log.downloads import attachment
from agencies.models import Agency
from agencies.selectors import active_leads, agencies_without_lead
from audits.returns.permissions import can_decide, require_all_rounds, require_decide
from audits.returns.reminders import chase_agency, chase_items
from audits.returns.selectors import agency_returns, round_completion
from audits.rounds.permissions import get_round_for_user
from audits.rounds.selectors import AGENCY_RETURNS_COLUMNS, AGENCY_RETURNS_DEFAULT
from lib.sorting import sorting
from lib.spreadsheets import to_csv
from lib.views import run


def _owing_agencies(completion) -> set[int]:
    """The agencies (ids) with an audit tool or chronology still to submit."""
    return {
        cell.agency.pk
        for row in completion.rows
        for cell in row.cells
        for item in (cell.tool, cell.chronology)
        if item is not None and item.is_outstanding
    }


@require_GET
def round_completion_page(request, pk):
    audit_round = get_round_for_user(request.user, pk)
    require_all_rounds(request.user)
    today = timezone.localdate()
    completion = round_completion(audit_round, today=today)
    can_chase = can_decide(request.user) and audit_round.is_in_progress
    order = sorting(request, AGENCY_RETURNS_COLUMNS, default=AGENCY_RETURNS_DEFAULT)
    by_agency = agency_returns(completion, order)
    return render(
        request,
        "returns/completion/round_completion.html",
        {
            "round": audit_round,
            "completion": completion,
            "today": today,
            "no_lead": agencies_without_lead(agency.pk for agency in completion.agencies),
            "chase": _owing_agencies(completion) if can_chase else set(),
            "by_agency": by_agency,
            "headers": order.headers(),
        },
    )


@require_http_methods(["GET", "POST"])
def round_chase(request, pk, agency_pk):
    """GET: what a reminder to this agency's leads would be about (and what was chased today
    already), and "Yes, send"; POST with confirm: send it (at most once a day per return)."""
    audit_round = get_round_for_user(request.user, pk)
    require_decide(request.user)
    agency = get_object_or_404(Agency.objects.filter(case_agencies__case__round=audit_round).distinct(), pk=agency_pk)
    today = timezone.localdate()
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return redirect("audits:round-chase", pk=audit_round.pk, agency_pk=agency.pk)
        run(
            request,
            lambda: chase_agency(actor=request.user, audit_round=audit_round, agency=agency, today=today),
            success=lambda count: (
                f"A reminder about {count} return{'s' if count != 1 else ''} is being e-mailed "
                f"to the leads of {agency.name}."
            ),
        )
        return redirect("audits:round-completion", pk=audit_round.pk)
    items = chase_items(audit_round, agency, today=today) if audit_round.is_in_progress else []
    leads = active_leads([agency.pk]).get(agency.pk, [])
    return render(
        request,
        "returns/completion/round_chase.html",
        {
            "round": audit_round,
            "agency": agency,
            "items": items,
            "leads": leads,
            "to_chase": [entry for entry in items if not entry.chased_today],
        },
    )


def _status(item) -> tuple[str, str, str]:
    if item is None:
        return ("Not created yet", "", "")
    return (
        item.get_status_display(),
        item.due_date.isoformat(),
        "Yes" if item.overdue else "No",
    )


@require_GET
def round_completion_csv(request, pk):
    audit_round = get_round_for_user(request.user, pk)
    require_all_rounds(request.user)
    completion = round_completion(audit_round, today=timezone.localdate())
    header = [
        "Round",
        "Case",
        "Agency",
        "Audit tool status",
        "Audit tool due",
        "Audit tool overdue",
        "Chronology status",
        "Chronology due",
        "Chronology overdue",
    ]
    rows = [
        [audit_round.title, str(row.case), cell.agency.name, *_status(cell.tool), *_status(cell.chronology)]
        for row in completion.rows
        for cell in row.cells
        if cell.taking_part
    ]
    return attachment(
        request,
        to_csv(header, rows),
        "text/csv; charset=utf-8",
        f"round-{audit_round.pk}-completion.csv",
        what=f"Completion CSV, round {audit_round.pk}",
    )
