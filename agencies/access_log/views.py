"""The access log for administrators: who signed in, viewed identifiers or exported what, and from
where; filterable, paginated (without counting the log) and downloadable as CSV. Read only: the
app offers no way to change or delete a row (the model refuses too)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from agencies.access_log.exports import export_params
from agencies.access_log.forms import AccessLogFilterForm, filter_events
from agencies.models import AccessEvent
from agencies.permissions import require_access_log
from exports.models import Export
from exports.services import export_request
from lib.pagination import window, window_pagination
from lib.sorting import ASCENDING, DESCENDING, Column, sorting

PER_PAGE = 50

# The log sorts by time only, newest or oldest first: both read the occurred_at index (forwards or
# backwards) and stop after a window, so no order ever sorts or counts the whole log. (Who and
# what happened are filters instead: ordering by them would sort every matching row.)
COLUMNS = (Column("when", "When", "occurred_at", first=DESCENDING),)
DEFAULT = ("when", DESCENDING)
# Plain ASC/DESC with the key turning too: NULLS LAST (lib.sorting's default) would not match the
# index, and a tie-breaker that did not turn would need a sort.
ORDER_BY = {DESCENDING: ("-occurred_at", "-pk"), ASCENDING: ("occurred_at", "pk")}


def _filtered(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.filters()
    return form, filters, filter_events(AccessEvent.objects.all(), filters)


@require_GET
def access_log(request):
    require_access_log(request.user)
    form, filters, events = _filtered(request)
    order = sorting(request, COLUMNS, default=DEFAULT)
    # A window of PER_PAGE + 1 rows, never a COUNT over the whole log: Previous and Next only
    # (their links keep the filters and the order).
    page = window(events.order_by(*ORDER_BY[order.direction]), request.GET.get("page"), PER_PAGE)
    return render(
        request,
        "access_log/access_log.html",
        {
            "form": form,
            "page": page,
            "pages": window_pagination(request, page),
            "headers": order.headers(),
            "sorted_by": order.current(),
            "newest_first": order.direction == DESCENDING,
            "filtered": bool(filters),
            "query": form.query_string(),
        },
    )


@require_POST
def access_log_csv(request):
    """Queue the log (with the page's filters) as a CSV export and go to its status page."""
    require_access_log(request.user)
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Show what is wrong with the filters rather than download something else.
        return redirect(reverse("access-log") + "?" + request.GET.urlencode())
    export = export_request(actor=request.user, kind=Export.Kind.ACCESS_LOG, params=export_params(form))
    return redirect(export)
