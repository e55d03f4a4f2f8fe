"""Downloads are exports: the page's form POSTs to the old URL (filters in its query string), which
queues the export and redirects to its status page; with the immediate task backend it is made as
soon as the request's transaction commits, and the file is downloaded from the status page."""

from urllib.parse import urlencode, urlparse

from django.test import TestCase
from django.urls import resolve, reverse

from exports.models import Export


def with_query(url, query=None):
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def queue(client, url, query=None):
    """POST the download form, running the queued task when the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(with_query(url, query))


def export_of(response) -> Export:
    """The export a queueing response redirected to."""
    assert response.status_code == 302, f"expected a redirect to the export's page, got {response.status_code}"
    match = resolve(urlparse(response["Location"]).path)
    assert match.view_name == "exports:export-detail", response["Location"]
    return Export.objects.get(pk=match.kwargs["pk"])


def download(client, url, query=None):
    """Queue the export, check it is ready, and download it: the download's response."""
    export = export_of(queue(client, url, query))
    assert export.is_done, f"the export is {export.state}"
    return client.get(reverse("exports:export-download", args=[export.pk]))


# The downloads that are exports (a POST that queues); every other download is a plain GET.
QUEUED = {
    f"{prefix}-{fmt}"
    for prefix in ("audits:integrated-chronology", "audits:round-actions", "audits:action-list")
    for fmt in ("csv", "xlsx", "pdf")
} | {"access-log-csv"}


def fetch(client, url_name, kwargs=None, query=None):
    """Any download by URL name: through its export when it is one, else a GET."""
    url = reverse(url_name, kwargs=kwargs or {})
    if url_name in QUEUED:
        return download(client, url, query)
    return client.get(url, query or {})


def ask(client, url_name, kwargs=None, query=None):
    """Any download's first request (a refusal comes back on it): POST when it is an export."""
    url = reverse(url_name, kwargs=kwargs or {})
    if url_name in QUEUED:
        return queue(client, url, query)
    return client.get(url, query or {})
