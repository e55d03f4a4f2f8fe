"""The access log's CSV (with the page's filters), made in the background as an export
(``exports.registry``): the log grows with every request, so it is never read in one."""

from django.urls import reverse
from django.utils import timezone

from agencies.access_log.forms import AccessLogFilterForm, filter_events
from agencies.models import AccessEvent
from agencies.permissions import can_view_access_log
from exports import registry
from exports.models import Export
from lib.spreadsheets import to_csv

CSV_HEADER = ["When", "Who", "What happened", "What", "From where"]


def filtered_events(data):
    """The filter form bound to ``data`` (a QueryDict or None), its filters and the events they select."""
    form = AccessLogFilterForm(data)
    filters = form.filters()
    return form, filters, filter_events(AccessEvent.objects.all(), filters)


def export_params(form) -> dict:
    """The valid filters (what happened, part of an address, dates), as the form's query string has them."""
    return {"filters": registry.filters_of(form.query_string())}


def build(job: Export) -> registry.Built:
    _, _, events = filtered_events(registry.query_dict(job.params.get("filters")))
    rows = (
        [
            timezone.localtime(event.occurred_at).strftime("%d/%m/%Y %H:%M:%S"),
            event.user_email,
            event.get_kind_display(),
            event.what,
            event.ip_address or "",
        ]
        for event in events.iterator(chunk_size=2000)
    )
    return registry.Built(to_csv(CSV_HEADER, rows), "access-log.csv", "text/csv; charset=utf-8")


def _what(params) -> str:
    return "Access log CSV" + (", filtered" if params.get("filters") else "")


registry.register(
    Export.Kind.ACCESS_LOG,
    build=build,
    may_request=lambda user, params: can_view_access_log(user),
    what=_what,
    title=lambda params: "Access log (CSV" + (", filtered)" if params.get("filters") else ")"),
    back=lambda params: registry.with_filters(reverse("access-log"), params),
)
