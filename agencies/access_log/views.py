"""The access log for administrators: who signed in, viewed identifiers or exported what, and from
where; filterable, paginated and downloadable as CSV. Read only: the app offers no way to change
or delete a row (the model refuses too)."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.access_log.downloads import attachment
from agencies.access_log.forms import AccessLogFilterForm, filter_events
from agencies.models import AccessEvent
from agencies.permissions import require_access_log
from lib.pagination import pagination
from lib.spreadsheets import to_csv

PER_PAGE = 50
CSV_HEADER = ["When", "Who", "What happened", "What", "From where"]


def _filtered(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters()
    return form, filters, filter_events(AccessEvent.objects.all(), filters)


@require_GET
def access_log(request):
    require_access_log(request.user)
    form, filters, events = _filtered(request)
    paginator = Paginator(events, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "access_log/access_log.html",
        {
            "form": form,
            "page": page,
            "pages": pagination(request, page),
            "filtered": bool(filters),
            "query": form.query_string(),
        },
    )


@require_GET
def access_log_csv(request):
    require_access_log(request.user)
    form, filters, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        # Show what is wrong with the filters rather than download something else.
        return redirect(reverse("access-log") + "?" + request.GET.urlencode())
    rows = [
        [
            timezone.localtime(event.occurred_at).strftime("%d/%m/%Y %H:%M:%S"),
            event.user_email,
            event.get_kind_display(),
            event.what,
            event.ip_address or "",
        ]
        for event in events.iterator(chunk_size=2000)
    ]
    content = to_csv(CSV_HEADER, rows)
    what = "Access log CSV" + (", filtered" if filters else "")
    return attachment(request, content, "text/csv; charset=utf-8", "access-log.csv", what=what)
