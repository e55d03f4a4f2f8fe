"""The integrated multi-agency chronology: merged order, what is included, filters, exports and
a query count that does not grow with the entries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from audits.models import Chronology, ChronologyEntry, WorkStatus
from audits.returns import selectors
from tests import factories
from tests.audits.returns.test_access_integrated import move_tools_due_date
from tests.exports.flow import download

D = datetime.date
T = datetime.time


@pytest.fixture
def merged(returns_case, chronology_a, chronology_b, agency_a, coordinator):
    """Agencies A and B submitted; a third agency, C, still has a draft."""
    agency_c = factories.AgencyFactory(name="Agency C Health", short_name="Agency C")
    factories.CaseAgencyFactory(case=returns_case, agency=agency_c, added_by=coordinator)
    chronology_c = factories.ChronologyFactory(case=returns_case, agency=agency_c, status=WorkStatus.DRAFT)
    Chronology.objects.filter(pk=chronology_a.pk).update(status=WorkStatus.SUBMITTED)
    Chronology.objects.filter(pk=chronology_b.pk).update(status=WorkStatus.ACCEPTED)
    entry = factories.EntryFactory
    entry(chronology=chronology_b, date=D(2026, 3, 1), time=T(9, 0), what_happened="B morning")
    entry(chronology=chronology_a, date=D(2026, 3, 1), time=T(9, 0), what_happened="A morning")
    entry(chronology=chronology_a, date=D(2026, 3, 1), time=None, what_happened="A undated time")
    entry(
        chronology=chronology_b,
        date=D(2026, 1, 15),
        event_type=ChronologyEntry.EventType.INCIDENT,
        key_event=True,
        what_happened="B January incident",
    )
    entry(chronology=chronology_a, date=D(2026, 4, 2), key_event=True, what_happened="A April key")
    entry(chronology=chronology_c, date=D(2026, 2, 1), what_happened="C draft, not shown")
    return returns_case


def url(case, name="audits:integrated-chronology"):
    return reverse(name, kwargs={"pk": case.round_id, "number": case.number})


def texts(response):
    return [e.what_happened for e in response.context["entries"]]


EXPECTED = ["B January incident", "A undated time", "A morning", "B morning", "A April key"]


def test_entries_are_merged_by_date_then_time_then_agency(client, merged, coordinator):
    client.force_login(coordinator)
    response = client.get(url(merged))
    assert texts(response) == EXPECTED
    body = response.text
    assert [body.index(text) for text in EXPECTED] == sorted(body.index(text) for text in EXPECTED)
    assert "C draft, not shown" not in body
    assert "Agency C Health" in body and "(not included yet)" in body
    # Grouped by month, each entry naming its agency in words as well as by colour.
    assert [str(group["month"]) for group in response.context["timeline"].groups] == [
        "2026-01-01",
        "2026-03-01",
        "2026-04-01",
    ]
    assert "January 2026" in body and "Agency B Police: Incident" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"key_events": "on"}, ["B January incident", "A April key"]),
        ({"event_type": "incident"}, ["B January incident"]),
        ({"event_type": ["incident", "home_visit"], "key_events": "on"}, ["B January incident", "A April key"]),
        ({"event_type": "not-a-type"}, EXPECTED),
        ({"agency": "999999"}, EXPECTED),
    ],
)
def test_filters(client, merged, coordinator, query, expected):
    client.force_login(coordinator)
    response = client.get(url(merged), query)
    assert response.status_code == 200
    assert texts(response) == expected
    assert 'class="govuk-error-summary' not in response.text


def test_filter_by_agency(client, merged, coordinator, agency_a):
    client.force_login(coordinator)
    response = client.get(url(merged), {"agency": agency_a.pk})
    assert texts(response) == ["A undated time", "A morning", "A April key"]
    # The downloads keep the filter.
    assert f"export.pdf?agency={agency_a.pk}" in response.text


def test_csv_export_honours_filters_and_names_the_agency(client, merged, coordinator):
    client.force_login(coordinator)
    response = download(client, url(merged, "audits:integrated-chronology-csv"), {"key_events": "on"})
    assert response["Content-Disposition"] == 'attachment; filename="case-1-integrated-chronology.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["date", "time", "date_is_approximate", "agency", "event_type"]
    assert [(row[0], row[3], row[5]) for row in rows[1:]] == [
        ("15/01/2026", "Agency B Police", "B January incident"),
        ("02/04/2026", "Agency A Children's Services", "A April key"),
    ]


def test_xlsx_export(client, merged, coordinator):
    client.force_login(coordinator)
    response = download(client, url(merged, "audits:integrated-chronology-xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="case-1-integrated-chronology.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)] == EXPECTED


def test_pdf_export_lists_entries_in_date_order(client, merged, coordinator):
    client.force_login(coordinator)
    response = download(client, url(merged, "audits:integrated-chronology-pdf"), {"agency": merged.agencies.first().pk})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="case-1-integrated-chronology.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.title == "Integrated chronology: Case 1"
    shown = [t for t in EXPECTED if t in text]
    assert shown == ["A undated time", "A morning", "A April key"]
    assert [text.index(t) for t in shown] == sorted(text.index(t) for t in shown)


def test_agency_staff_see_every_agency_once_tools_are_due(client, merged, lead_b):
    move_tools_due_date(merged.round, -1)
    client.force_login(lead_b)
    assert texts(client.get(url(merged))) == EXPECTED


def test_case_page_links_to_it(client, merged, coordinator):
    client.force_login(coordinator)
    assert url(merged) in client.get(merged.get_absolute_url()).text


def test_no_entries_yet(client, returns_case, coordinator):
    client.force_login(coordinator)
    assert "No agency has submitted its chronology yet." in client.get(url(returns_case)).text


def add_entries(chronologies, count):
    """``count`` entries per chronology, fast."""
    start = D(2025, 1, 1)
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            chronology=chronology,
            date=start + datetime.timedelta(days=n % 400),
            time=T(n % 24, 0) if n % 3 else None,
            event_type=ChronologyEntry.EventType.values[n % len(ChronologyEntry.EventType.values)],
            what_happened=f"Entry {n} of {chronology.agency.short_name}.",
            key_event=n % 7 == 0,
        )
        for chronology in chronologies
        for n in range(count)
    )


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_entries(client, returns_case, chronology_a, chronology_b, coordinator, lead_a):
    """200 entries, then 2,000, from four agencies."""
    extra = []
    for letter in "CD":
        agency = factories.AgencyFactory(name=f"Agency {letter}", short_name=f"Agency {letter}")
        factories.CaseAgencyFactory(case=returns_case, agency=agency, added_by=coordinator)
        extra.append(factories.ChronologyFactory(case=returns_case, agency=agency))
    chronologies = [chronology_a, chronology_b, *extra]
    Chronology.objects.filter(pk__in=[c.pk for c in chronologies]).update(status=WorkStatus.SUBMITTED)
    move_tools_due_date(returns_case.round, -1)
    add_entries(chronologies, 50)
    page = url(returns_case)
    addresses = [page, page + "?page=2", page + "?key_events=on&event_type=contact&event_type=incident&page=2"]
    counts = {}
    for user in (coordinator, lead_a):
        client.force_login(user)
        counts[user.pk] = [count_queries(client, address) for address in addresses]
    add_entries(chronologies, 450)
    assert ChronologyEntry.objects.count() == 2000
    for user in (coordinator, lead_a):
        client.force_login(user)
        assert [count_queries(client, address) for address in addresses] == counts[user.pk]
    # A page holds one page of entries, whatever the case holds.
    response = client.get(page + "?page=3")
    assert response.text.count('data-testid="timeline-entry"') == selectors.INTEGRATED_PER_PAGE
    assert response.context["timeline"].total == 2000


def test_pages_say_when_a_month_carries_on(client, merged, coordinator, monkeypatch):
    """Two entries a page: March (three entries) is split across pages 1 and 2."""
    monkeypatch.setattr(selectors, "INTEGRATED_PER_PAGE", 2)
    client.force_login(coordinator)
    response = client.get(url(merged), {"page": 2})
    assert texts(response) == ["A morning", "B morning"]
    [group] = response.context["timeline"].groups
    assert group["continued"] and not group["continues"]
    body = response.text
    assert "March 2026 (continued)" in body and "continues on the next page" not in body
    assert 'href="?page=1"' in body and 'href="?page=3"' in body and 'aria-current="page"' in body
    first = client.get(url(merged))
    assert texts(first) == ["B January incident", "A undated time"]
    assert "March 2026 continues on the next page." in first.text
    assert [(g["continued"], g["continues"]) for g in first.context["timeline"].groups] == [
        (False, False),
        (False, True),
    ]
    last = client.get(url(merged), {"page": 3})
    assert texts(last) == ["A April key"] and not last.context["timeline"].groups[0]["continued"]
    # The month links name the page each month starts on.
    months = [(str(m["month"]), m["entries"], m["page"]) for m in response.context["timeline"].months]
    assert months == [("2026-01-01", 1, 1), ("2026-03-01", 3, 1), ("2026-04-01", 1, 3)]
    assert 'href="?page=3#month-2026-04"' in body


@pytest.mark.parametrize("page", ["abc", "99"])
def test_a_page_out_of_range_shows_the_nearest(client, merged, coordinator, monkeypatch, page):
    monkeypatch.setattr(selectors, "INTEGRATED_PER_PAGE", 2)
    client.force_login(coordinator)
    response = client.get(url(merged), {"page": page})
    assert response.status_code == 200
    assert texts(response) == (["A April key"] if page == "99" else ["B January incident", "A undated time"])


def test_the_next_page_keeps_the_filters(client, merged, coordinator, monkeypatch):
    """Key events only is a filter in the database: one a page, two pages, the filter in every link."""
    monkeypatch.setattr(selectors, "INTEGRATED_PER_PAGE", 1)
    client.force_login(coordinator)
    response = client.get(url(merged), {"key_events": "on", "page": 2})
    assert texts(response) == ["A April key"]
    assert response.context["timeline"].total == 2
    body = response.text
    assert 'href="?key_events=on&amp;page=1"' in body
    assert 'href="?key_events=on&amp;page=2#month-2026-04"' in body
    assert "2 entries: key events only. Showing 2 to 2, 1 a page." in body
    # The downloads keep the filter, not the page.
    assert "export.pdf?key_events=on" in body


def test_before_it_opens_agency_staff_are_told_when_not_blamed(client, returns_case, lead_a, administrator):
    """Closed until the day after the tools are due: a page that says so and when (403), for the
    page and its exports; the generic 403 (which blames the account) stays for those refused for
    who they are."""
    move_tools_due_date(returns_case.round, 0)  # due today: opens tomorrow
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(lead_a)
    url = reverse("audits:integrated-chronology", args=[returns_case.round_id, returns_case.number])
    response = client.get(url)
    assert response.status_code == 403
    assert f"opens on {date_format(tomorrow, 'l j F Y')}" in response.text
    assert "Your account does not allow" not in response.text
    csv_response = client.post(url + "export.csv")
    assert csv_response.status_code == 403 and "opens on" in csv_response.text
    client.force_login(administrator)
    refused = client.get(url)
    assert refused.status_code == 403 and "opens on" not in refused.text
