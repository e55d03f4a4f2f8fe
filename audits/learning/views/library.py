"""The learning library: the strengths, findings, key messages, recommendations and good
practice across rounds that the reader may see (coordinators all; everyone else what published
briefings printed), searchable and filterable; and the practice themes that recur."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.permissions import can_view_all_rounds
from audits.learning.forms import LibraryFilterForm
from audits.learning.permissions import can_read_unpublished_learning, require_library_access
from audits.learning.selectors import library_page, recurring_themes, with_citations
from lib import charts
from lib.pagination import pagination

PER_PAGE = 50


@require_GET
def library(request):
    require_library_access(request.user)
    form = LibraryFilterForm(request.GET)
    filters = form.filters()
    page = library_page(request.user, request.GET.get("page"), per_page=PER_PAGE, **filters)
    page.object_list = with_citations(page.object_list)
    return render(
        request,
        "learning/library/library.html",
        {
            "form": form,
            "page": page,
            "pages": pagination(request, page),
            "searched": any(filters.values()),
            # Only those who see every round may follow a link to any round or case.
            "can_open_rounds": can_view_all_rounds(request.user),
            "published_only": not can_read_unpublished_learning(request.user),
        },
    )


@require_GET
def themes(request):
    require_library_access(request.user)
    table = recurring_themes(request.user)
    title = "Strengths and findings per practice theme, all years"
    return render(
        request,
        "learning/library/themes.html",
        {
            "table": table,
            "chart": charts.theme_bars(table["rows"], title=title) if table["rows"] else "",
            "chart_text": charts.theme_bars_text(table["rows"]),
            "published_only": not can_read_unpublished_learning(request.user),
        },
    )
