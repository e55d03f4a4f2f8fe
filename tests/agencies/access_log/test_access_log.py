"""The access log page and its CSV: administrators only, filterable, paginated, read only."""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone

from agencies.access_log.services import record
from agencies.models import AccessEvent
from tests import access
from tests.access import OK, REDIRECT, roles
from tests.exports.flow import download

Kind = AccessEvent.Kind
# The access log is not agency data: nobody but administrators, whatever their agency.
EXPECTED = roles(administrator=OK)


def no_kwargs(*world):
    return {}


# url name -> (method, kwargs builder, expected status per role, allowed methods); not called
# MATRIX, as tests/test_access_complete.py takes it into its own (its pages are not an area's).
PAGES = {
    "access-log": ("get", no_kwargs, EXPECTED, {"GET", "HEAD"}),
    # The CSV is an export: a POST queues it and redirects to its status page (tests/exports/).
    "access-log-csv": ("post", no_kwargs, roles(administrator=REDIRECT), {"POST"}),
}


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="access-log.csv"'
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def add_events(count, *, kind=Kind.SIGN_IN, email="someone@example.test", when=None):
    when = when or timezone.now() - datetime.timedelta(hours=1)
    AccessEvent.objects.bulk_create(
        AccessEvent(kind=kind, user_email=email, what="", occurred_at=when - datetime.timedelta(seconds=n))
        for n in range(count)
    )


test_access, test_anonymous_is_sent_to_sign_in, test_wrong_method_is_refused = access.standard_tests(
    PAGES, wrong_method_as="administrator", methods=("post", "put", "patch", "delete")
)


def test_refused_csv_records_nothing(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("access-log-csv")).status_code == 403
    assert not AccessEvent.objects.filter(kind=Kind.EXPORT).exists()


def test_the_app_has_no_way_to_change_or_delete_the_log():
    names = [name for name in get_resolver().reverse_dict if isinstance(name, str) and "access-log" in name]
    assert sorted(names) == ["access-log", "access-log-csv"]
    model_admin = admin.site._registry.get(AccessEvent)
    if model_admin is not None:  # registered only ever as view-only
        assert not model_admin.has_add_permission(None)
        assert not model_admin.has_change_permission(None)
        assert not model_admin.has_delete_permission(None)


def test_administrator_sees_the_log_newest_first(client, administrator, coordinator):
    client.force_login(administrator)
    record(Kind.SIGN_IN, user=coordinator)
    newest = AccessEvent.objects.create(
        kind=Kind.EXPORT, user=coordinator, user_email=coordinator.email, what="Completion CSV, round 3"
    )
    response = client.get(reverse("access-log"))
    page = list(response.context["page"])
    assert page[0] == newest
    content = response.content.decode()
    assert "Completion CSV, round 3" in content
    assert "coordinator@example.test" in content
    assert "Export" in content and "Signed in" in content


def test_the_navigation_offers_the_log_to_administrators_only(rf, administrator, coordinator, lead_a):
    from config.context_processors import service

    def labels(user, path="/"):
        request = rf.get(path)
        request.user = user
        request.resolver_match = resolve(path)
        return {item["label"]: item["current"] for item in service(request)["navigation"]}

    # The log is one of the settings pages: "Settings" leads to it and is lit on it.
    assert labels(administrator, reverse("access-log"))["Settings"] is True
    assert "Access log" not in labels(coordinator)
    assert "Access log" not in labels(lead_a)


def test_filters_by_kind_email_and_dates(client, administrator):
    now = timezone.now()
    add_events(2, kind=Kind.SIGN_IN, email="police.lead@example.test", when=now - datetime.timedelta(days=10))
    add_events(3, kind=Kind.EXPORT, email="police.lead@example.test", when=now - datetime.timedelta(days=1))
    add_events(4, kind=Kind.EXPORT, email="health.lead@example.test", when=now - datetime.timedelta(days=1))
    client.force_login(administrator)

    def count(**query):
        response = client.get(reverse("access-log"), query)
        assert response.status_code == 200
        return len(response.context["page"].object_list)

    assert count(kind="export") == 7
    assert count(email="POLICE") == 5
    assert count(kind="export", email="police") == 3
    since = timezone.localdate() - datetime.timedelta(days=2)
    assert count(kind="export", date_from_0=since.day, date_from_1=since.month, date_from_2=since.year) == 7
    before = timezone.localdate() - datetime.timedelta(days=5)
    assert count(date_to_0=before.day, date_to_1=before.month, date_to_2=before.year) == 2


def test_bad_dates_are_reported_and_what_was_typed_is_kept(client, administrator):
    client.force_login(administrator)
    response = client.get(
        reverse("access-log"),
        {"email": "police", "date_from_0": "31", "date_from_1": "2", "date_from_2": "2026", "date_to_0": "4"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "The from date must be a real date" in content
    assert "The to date must include a day, month and year" in content
    assert 'value="police"' in content and 'value="31"' in content
    assert "<title>Error: " in content


def test_to_date_before_from_date_is_refused(client, administrator):
    client.force_login(administrator)
    response = client.get(
        reverse("access-log"),
        {"date_from_0": "5", "date_from_1": "11", "date_from_2": "2026", "date_to_0": "1", "date_to_1": "11"}
        | {"date_to_2": "2026"},
    )
    assert "The to date must be the same as or after the from date" in response.content.decode()


def test_pages_of_fifty_with_previous_and_next_only(client, administrator):
    client.force_login(administrator)  # a sign-in: the 120th event
    add_events(119)
    response = client.get(reverse("access-log"), {"page": 3})
    assert len(response.context["page"].object_list) == 20
    content = response.content.decode()
    assert "govuk-pagination" in content and 'href="?page=2"' in content and 'rel="next"' not in content
    assert "govuk-pagination__list" not in content  # no page numbers: the log is not counted
    assert "Events 101 to 120, newest first." in content
    first = client.get(reverse("access-log")).content.decode()
    assert 'href="?page=2"' in first and 'rel="prev"' not in first
    assert "Events 1 to 50, newest first." in first
    # Past the end: nothing more, a way back.
    beyond = client.get(reverse("access-log"), {"page": 9}).content.decode()
    assert "There are no more events." in beyond and 'href="?page=8"' in beyond
    assert "Nothing has been recorded yet" not in beyond


def test_pages_keep_the_filters(client, administrator):
    add_events(60, kind=Kind.EXPORT, email="police.lead@example.test")
    add_events(5, kind=Kind.SIGN_IN, email="police.lead@example.test")
    client.force_login(administrator)
    response = client.get(reverse("access-log"), {"kind": "export", "page": 2})
    assert len(response.context["page"].object_list) == 10
    content = response.content.decode()
    assert 'href="?kind=export&amp;page=1"' in content
    assert "Events 51 to 60 that match the filters, newest first." in content
    one_page = client.get(reverse("access-log"), {"kind": "sign_in", "email": "police"}).content.decode()
    assert "5 events match the filters, newest first." in one_page and "govuk-pagination" not in one_page


def test_the_page_never_counts_the_log(client, administrator):
    add_events(120)
    client.force_login(administrator)
    for query in ({}, {"page": 2}, {"kind": "sign_in", "email": "someone", "page": 3}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("access-log"), query).status_code == 200
        events = [q["sql"] for q in queries.captured_queries if "agencies_accessevent" in q["sql"]]
        assert len(events) == 1 and "LIMIT 51" in events[0]
        assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize("count", [60, 600])
def test_query_count_does_not_grow_with_rows(client, administrator, django_assert_max_num_queries, count):
    add_events(count)
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("access-log"), {"page": 2}).status_code == 200
    with django_assert_max_num_queries(12):  # queueing the CSV reads no events
        assert client.post(reverse("access-log-csv")).status_code == 302


def test_csv_download_is_filtered_and_recorded(client, administrator):
    add_events(2, kind=Kind.SIGN_IN, email="police.lead@example.test")
    add_events(1, kind=Kind.LOCKED_OUT, email="health.lead@example.test")
    client.force_login(administrator)
    rows = read_csv(download(client, reverse("access-log-csv"), {"email": "police"}))
    assert rows[0] == ["When", "Who", "What happened", "What", "From where"]
    assert [row[1:3] for row in rows[1:]] == [["police.lead@example.test", "Signed in"]] * 2
    export = AccessEvent.objects.get(kind=Kind.EXPORT)
    assert export.user == administrator
    assert export.what == "Access log CSV, filtered"
    assert "police" not in export.what


def test_csv_with_bad_filters_goes_back_to_the_page(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("access-log-csv") + "?date_from_0=99")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access-log") + "?")
    assert not AccessEvent.objects.filter(kind=Kind.EXPORT).exists()
