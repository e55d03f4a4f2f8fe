"""The learning library: every strength, finding, key message, recommendation and piece of
good practice across rounds, searchable and filterable; and the practice themes that recur."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audits.learning.forms import LibraryFilterForm
from audits.learning.permissions import require_library_access
from audits.learning.selectors import library_points, recurring_themes
from audits.rounds.permissions import can_view_rounds
from lib import charts
from lib.pagination import pagination

PER_PAGE = 50


@require_GET
def library(request):
    require_library_access(request.user)
    form = LibraryFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(library_points(**filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "learning/library/library.html",
        {
            "form": form,
            "page": page,
            "pages": pagination(request, page),
            "searched": any(filters.values()),
            "can_open_rounds": can_view_rounds(request.user),
        },
    )


@require_GET
def themes(request):
    require_library_access(request.user)
    table = recurring_themes()
    title = "Strengths and findings per practice theme, all years"
    return render(
        request,
        "learning/library/themes.html",
        {
            "table": table,
            "chart": charts.theme_bars(table["rows"], title=title) if table["rows"] else "",
            "chart_text": charts.theme_bars_text(table["rows"]),
        },
    )
