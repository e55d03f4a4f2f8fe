"""The learning library: the strengths, findings, key messages, recommendations and good
practice across rounds that the reader may see (coordinators all; everyone else what published
briefings printed), searchable and filterable; the practice themes that recur, with each theme's
trend by year; and the grades the multi-agency meetings agreed, by round and agency. The themes
and the grades are filtered by area and period."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.permissions import can_view_all_rounds
from audits.learning.forms import AcrossRoundsFilterForm, LibraryFilterForm
from audits.learning.permissions import can_read_unpublished_learning, require_library_access
from audits.learning.selectors import GRADES, HEAT_KEY, agreed_grades, library_page, recurring_themes, with_citations
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
    form = AcrossRoundsFilterForm(request.GET)
    table = recurring_themes(request.user, **form.filters())
    title = "Strengths and findings per practice theme, all years shown"
    return render(
        request,
        "learning/library/themes.html",
        {
            "form": form,
            "table": table,
            "chart": charts.theme_bars(table["rows"], title=title) if table["rows"] else "",
            "chart_text": charts.theme_bars_text(table["rows"]),
            "trends": charts.theme_trends(table["rows"]),
            "published_only": not can_read_unpublished_learning(request.user),
        },
    )


@require_GET
def grades(request):
    require_library_access(request.user)
    form = AcrossRoundsFilterForm(request.GET)
    return render(
        request,
        "learning/library/grades.html",
        {
            "form": form,
            "rounds": agreed_grades(request.user, **form.filters()),
            "grade_labels": [label for _, label in GRADES],
            "key": HEAT_KEY,
            "published_only": not can_read_unpublished_learning(request.user),
        },
    )
