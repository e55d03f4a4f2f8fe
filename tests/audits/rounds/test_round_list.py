"""The round list: percent of returns handed in per round, sorting by column links without
JavaScript (with aria-sort), distinct link text per round, and a query count that does not grow."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditRound, WorkStatus
from tests import factories

URL = reverse("audits:round-list")


def make_round(title, *, launched_days_ago, status, area=None):
    launch = timezone.localdate() - datetime.timedelta(days=launched_days_ago)
    return factories.AuditRoundFactory(
        title=title, launch_date=launch, status=status, **({"area": area} if area else {})
    )


def with_returns(audit_round, agencies, statuses, by):
    """A case of the round with a tool and a chronology per agency, the tools in ``statuses``
    (one per agency) and the chronologies not started; ``by`` brought the agencies in."""
    case = factories.CaseFactory(round=audit_round, number=audit_round.cases.count() + 1)
    for agency, status in zip(agencies, statuses, strict=True):
        factories.CaseAgencyFactory(case=case, agency=agency, added_by=by)
        factories.ToolFactory(case=case, agency=agency, status=status)
        factories.ChronologyFactory(case=case, agency=agency)
    return case


def round_titles(response):
    """The round titles in the table, in order (the links' visible text)."""
    return re.findall(r'<a class="govuk-link" href="/rounds/\d+/" aria-label="[^"]*">([^<]+)</a>', response.text)


@pytest.fixture
def three_rounds(db):
    return {
        "old": make_round("Old round", launched_days_ago=400, status=AuditRound.Status.CLOSED),
        "middle": make_round("Middle round", launched_days_ago=200, status=AuditRound.Status.PLANNING),
        "new": make_round("New round", launched_days_ago=10, status=AuditRound.Status.MEETING),
    }


def test_the_default_order_is_the_newest_launch_first(client, coordinator, three_rounds):
    client.force_login(coordinator)
    response = client.get(URL)
    assert round_titles(response) == ["New round", "Middle round", "Old round"]
    # The default order is the launch date, newest first, and its header says so.
    header = (
        'aria-sort="descending"><a class="govuk-link" href="?sort=launched&amp;order=asc" '
        'aria-label="Launched (sort ascending)">Launched'
    )
    assert header in response.text


@pytest.mark.parametrize(
    ("order", "expected"),
    [("asc", ["Old round", "Middle round", "New round"]), ("desc", ["New round", "Middle round", "Old round"])],
)
def test_sorting_by_launch_date(client, coordinator, three_rounds, order, expected):
    client.force_login(coordinator)
    response = client.get(URL, {"sort": "launched", "order": order})
    assert round_titles(response) == expected
    aria = {"asc": "ascending", "desc": "descending"}[order]
    assert response.text.count(f'aria-sort="{aria}"') == 1
    assert re.search(rf'aria-sort="{aria}"><a class="govuk-link" href="[^"]*sort=launched', response.text)


@pytest.mark.parametrize(
    ("order", "expected"),
    # The stages in the order a round goes through them, not alphabetically ("closed" < "meeting" < "planning").
    [("asc", ["Middle round", "New round", "Old round"]), ("desc", ["Old round", "New round", "Middle round"])],
)
def test_sorting_by_stage_follows_the_stages_order(client, coordinator, three_rounds, order, expected):
    client.force_login(coordinator)
    response = client.get(URL, {"sort": "status", "order": order})
    assert round_titles(response) == expected
    aria = {"asc": "ascending", "desc": "descending"}[order]
    assert re.search(rf'aria-sort="{aria}"><a class="govuk-link" href="[^"]*sort=status', response.text)


def test_the_sorted_column_links_to_the_other_direction_and_the_others_are_unsorted(client, coordinator, three_rounds):
    client.force_login(coordinator)
    response = client.get(URL, {"sort": "status", "order": "asc"})
    assert 'href="?sort=status&amp;order=desc" aria-label="Stage (sort descending)">Stage' in response.text
    # Every other sortable column is "none", and offers its own first direction.
    assert response.text.count('aria-sort="none"') == 5
    assert 'href="?sort=launched&amp;order=desc" aria-label="Launched (sort descending)">Launched' in response.text
    assert 'href="?sort=title&amp;order=asc" aria-label="Round (sort ascending)">Round' in response.text


def test_sort_links_keep_the_filters(client, coordinator, three_rounds):
    client.force_login(coordinator)
    response = client.get(URL, {"status": "closed", "sort": "title", "order": "asc"})
    assert round_titles(response) == ["Old round"]
    assert 'href="?status=closed&amp;sort=launched&amp;order=desc"' in response.text
    # The filter form keeps the order.
    assert '<input type="hidden" name="sort" value="title"><input type="hidden" name="order" value="asc">' in (
        response.text
    )


@pytest.mark.parametrize(
    "query", [{"sort": "theme"}, {"sort": "pk", "order": "asc"}, {"sort": "launched", "order": "up"}]
)
def test_an_unknown_sort_falls_back_to_a_known_order(client, coordinator, three_rounds, query):
    client.force_login(coordinator)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert round_titles(response) == ["New round", "Middle round", "Old round"]


def test_percent_returned_counts_submitted_and_accepted_tools_and_chronologies(
    client, coordinator, lead_a, agency_a, agency_b
):
    audit_round = make_round("Returns round", launched_days_ago=20, status=AuditRound.Status.OPEN)
    # Six returns: agency A's tool submitted, agency B's accepted, one draft tool of A's and
    # one returned tool of B's, chronologies not started: 2 of 8 handed in.
    with_returns(audit_round, [agency_a, agency_b], [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED], coordinator)
    with_returns(audit_round, [agency_a, agency_b], [WorkStatus.DRAFT, WorkStatus.RETURNED], coordinator)
    empty = make_round("Empty round", launched_days_ago=5, status=AuditRound.Status.PLANNING)
    client.force_login(coordinator)
    response = client.get(URL)
    rows = {row["round"].pk: row["round"] for row in response.context["rows"]}
    assert (rows[audit_round.pk].returns_handed_in, rows[audit_round.pk].returns_total) == (2, 8)
    assert rows[audit_round.pk].returned_percent == 25
    assert rows[empty.pk].returned_percent is None
    assert "25%" in response.text and "2 of 8" in response.text
    assert "None yet" in response.text
    # Agency A's lead sees their own agency's share: 1 of 4.
    client.force_login(lead_a)
    response = client.get(URL)
    rows = {row["round"].pk: row["round"] for row in response.context["rows"]}
    assert (rows[audit_round.pk].returns_handed_in, rows[audit_round.pk].returns_total) == (1, 4)
    assert "your agency's audit tools" in response.text


def test_percent_returned_is_rounded_down_so_100_means_all(client, coordinator, agency_a, agency_b):
    audit_round = make_round("Nearly round", launched_days_ago=20, status=AuditRound.Status.OPEN)
    agencies = [agency_a, agency_b, factories.AgencyFactory()]
    case = with_returns(audit_round, agencies, [WorkStatus.ACCEPTED] * 3, coordinator)
    case.chronologies.update(status=WorkStatus.SUBMITTED)
    case.chronologies.filter(agency=agency_a).update(status=WorkStatus.DRAFT)
    client.force_login(coordinator)
    row = client.get(URL).context["rows"][0]["round"]
    assert (row.returns_handed_in, row.returns_total, row.returned_percent) == (5, 6, 83)
    case.chronologies.update(status=WorkStatus.ACCEPTED)
    assert client.get(URL).context["rows"][0]["round"].returned_percent == 100


def test_sorting_by_percent_returned_puts_rounds_without_returns_last(client, coordinator, agency_a, agency_b):
    low = make_round("Low round", launched_days_ago=30, status=AuditRound.Status.OPEN)
    with_returns(low, [agency_a, agency_b], [WorkStatus.DRAFT, WorkStatus.DRAFT], coordinator)
    high = make_round("High round", launched_days_ago=40, status=AuditRound.Status.OPEN)
    with_returns(high, [agency_a, agency_b], [WorkStatus.SUBMITTED, WorkStatus.DRAFT], coordinator)
    make_round("Planned round", launched_days_ago=1, status=AuditRound.Status.PLANNING)
    client.force_login(coordinator)
    assert round_titles(client.get(URL, {"sort": "returned", "order": "asc"})) == [
        "Low round",
        "High round",
        "Planned round",
    ]
    assert round_titles(client.get(URL, {"sort": "returned", "order": "desc"})) == [
        "High round",
        "Low round",
        "Planned round",
    ]


def test_each_rounds_link_text_is_distinct(client, coordinator):
    first = factories.AreaFactory(name="Northshire", short_name="NS")
    second = factories.AreaFactory(name="Southdale", short_name="SD")
    for area in (first, second):
        for days in (10, 200):
            make_round("Neglect audit", launched_days_ago=days, status=AuditRound.Status.OPEN, area=area)
    client.force_login(coordinator)
    response = client.get(URL)
    # The accessible names differ; each starts with the visible text (WCAG 2.5.3, label in name).
    names = re.findall(
        r'<a class="govuk-link" href="/rounds/\d+/" aria-label="([^"]+)">Neglect audit</a>', response.text
    )
    assert len(names) == 4
    assert len(set(names)) == 4
    assert all(name.startswith("Neglect audit, ") for name in names)
    assert {name.rsplit(", ", 1)[1] for name in names} == {"Northshire", "Southdale"}


def count_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, query)
    assert response.status_code == 200
    return len(queries)


def add_rounds(count, agencies, coordinator):
    for number in range(count):
        audit_round = make_round(f"Round {number}", launched_days_ago=number * 30, status=AuditRound.Status.OPEN)
        with_returns(audit_round, agencies, [WorkStatus.SUBMITTED, WorkStatus.DRAFT], coordinator)


@pytest.mark.parametrize("query", [{}, {"sort": "status", "order": "desc"}, {"sort": "returned", "order": "asc"}])
def test_the_query_count_does_not_grow_with_rounds(client, coordinator, lead_a, agency_a, agency_b, query):
    add_rounds(1, [agency_a, agency_b], coordinator)
    counts = {}
    for user in (coordinator, lead_a):
        client.force_login(user)
        counts[user] = count_queries(client, query)
    add_rounds(9, [agency_a, agency_b], coordinator)  # ten times as many rounds, cases and returns
    for user in (coordinator, lead_a):
        client.force_login(user)
        assert count_queries(client, query) == counts[user]
        assert len(client.get(URL, query).context["rows"]) == 10
