"""Chasing returns: a round's completion matrix (cases x agencies) and its CSV export."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.access_log.downloads import attachment
from audits.returns.permissions import require_all_rounds
from audits.returns.selectors import round_completion
from audits.rounds.permissions import get_round_for_user
from lib.spreadsheets import to_csv


@require_GET
def round_completion_page(request, pk):
    audit_round = get_round_for_user(request.user, pk)
    require_all_rounds(request.user)
    today = timezone.localdate()
    completion = round_completion(audit_round, today=today)
    return render(
        request,
        "returns/completion/round_completion.html",
        {"round": audit_round, "completion": completion, "today": today},
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
