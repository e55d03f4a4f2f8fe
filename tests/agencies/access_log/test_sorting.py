"""Sorting the access log: by time, newest or oldest first, by a column link with aria-sort; the
order stays in the pages and the filter form; it reads the occurred_at index, counts nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.access_log import views
from agencies.access_log.forms import filter_events
from agencies.models import AccessEvent

Kind = AccessEvent.Kind


def add(what, *, hours_ago, kind=Kind.SIGN_IN, email="someone@example.test"):
    return AccessEvent.objects.create(
        kind=kind, user_email=email, what=what, occurred_at=timezone.now() - datetime.timedelta(hours=hours_ago)
    )


def shown(client, **params):
    response = client.get(reverse("access-log"), params)
    assert response.status_code == 200
    return [event.what for event in response.context["page"].object_list if event.what], response.text


@pytest.fixture
def events(db):
    return [add("Middle", hours_ago=2), add("Oldest", hours_ago=3), add("Newest", hours_ago=1)]


def test_newest_first_by_default_and_oldest_first_by_the_when_link(client, administrator, events):
    client.force_login(administrator)
    order, page = shown(client)
    assert order == ["Newest", "Middle", "Oldest"]
    assert 'aria-sort="descending"><a class="govuk-link" href="?sort=when&amp;order=asc"' in page
    assert "newest first." in page
    order, page = shown(client, sort="when", order="asc")
    assert order == ["Oldest", "Middle", "Newest"]
    assert 'aria-sort="ascending"><a class="govuk-link" href="?sort=when&amp;order=desc"' in page
    assert "oldest first." in page and "Clear filters" not in page, "an order is not a filter"


def test_an_unknown_order_is_newest_first(client, administrator, events):
    client.force_login(administrator)
    assert shown(client, sort="kind", order="asc")[0] == ["Newest", "Middle", "Oldest"]
    assert shown(client, sort="when", order="sideways")[0] == ["Newest", "Middle", "Oldest"]


def test_the_order_stays_in_the_pages_and_the_filter_form(client, administrator, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    for n in range(5):
        add(f"Export {n}", hours_ago=10 - n, kind=Kind.EXPORT)
    add("A sign-in", hours_ago=20)
    client.force_login(administrator)
    order, page = shown(client, kind="export", sort="when", order="asc")
    assert order == ["Export 0", "Export 1"]
    assert 'href="?kind=export&amp;sort=when&amp;order=asc&amp;page=2"' in page
    assert '<input type="hidden" name="sort" value="when"><input type="hidden" name="order" value="asc">' in page
    assert 'href="?kind=export&amp;sort=when&amp;order=desc"' in page, "the column link keeps the filter"
    assert shown(client, kind="export", sort="when", order="asc", page=2)[0] == ["Export 2", "Export 3"]
    # The CSV keeps the filters, not the order (it is always the whole selection, newest first).
    assert f'action="{reverse("access-log-csv")}?kind=export"' in page


def test_equal_times_still_page_without_overlap(client, administrator, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    when = timezone.now() - datetime.timedelta(hours=1)
    AccessEvent.objects.bulk_create(AccessEvent(kind=Kind.EXPORT, what=f"Same {n}", occurred_at=when) for n in range(5))
    client.force_login(administrator)
    for direction in ("asc", "desc"):
        seen = []
        for number in (1, 2, 3):
            seen += shown(client, kind="export", sort="when", order=direction, page=number)[0]
        assert sorted(seen) == [f"Same {n}" for n in range(5)]


def test_oldest_first_counts_nothing_and_reads_one_window(client, administrator, events):
    client.force_login(administrator)
    with CaptureQueriesContext(connection) as queries:
        shown(client, sort="when", order="asc", page=2)
    reads = [q["sql"] for q in queries.captured_queries if "agencies_accessevent" in q["sql"]]
    assert len(reads) == 1 and "LIMIT 51" in reads[0] and "OFFSET 50" in reads[0]
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_both_orders_read_the_time_index_without_sorting_the_log(db, direction):
    when = timezone.now()
    AccessEvent.objects.bulk_create(
        AccessEvent(kind=Kind.SIGN_IN, what="", occurred_at=when - datetime.timedelta(seconds=n)) for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agencies_accessevent")
    events = filter_events(AccessEvent.objects.all(), {}).order_by(*views.ORDER_BY[direction])[:51]
    plan = events.explain()
    assert "occurred_at" in plan and "Index Scan" in plan, plan
    assert "Seq Scan" not in plan, plan
