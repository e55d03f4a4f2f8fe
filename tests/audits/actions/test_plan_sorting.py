"""Sorting the action plans (a round's and the plan across rounds) by column links, on the server:
the default stays open actions first, the links keep the filters, the pages keep the order."""

import datetime
import functools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.actions import selectors, services
from audits.models import Action, ActionUpdate
from tests import factories

TODAY = datetime.date(2027, 1, 15)
DAYS = datetime.timedelta
PLANS = ["audits:round-actions", "audits:action-list"]


@pytest.fixture(autouse=True)
def _today(clock, settings):
    settings.ACTION_AMBER_DAYS = 14
    clock.move_to(datetime.datetime(2027, 1, 15, 10, 0, tzinfo=timezone.get_current_timezone()))


@pytest.fixture
def plan(open_case, agency_a, agency_b, coordinator):
    """Five actions of agency A and B, two of them closed; two with updates."""
    factories.CaseAgencyFactory(case=open_case, agency=agency_b, added_by=coordinator)
    make = functools.partial(factories.ActionFactory, round=open_case.round, created_by=coordinator)
    actions = {
        "Done early": make(
            what="Done early", lead_agency=agency_a, due_date=TODAY - DAYS(30), status=Action.Status.COMPLETE
        ),
        "Open later": make(
            what="Open later", lead_agency=agency_b, due_date=TODAY + DAYS(40), status=Action.Status.IN_PROGRESS
        ),
        "Dropped": make(
            what="Dropped",
            lead_agency=agency_b,
            due_date=TODAY - DAYS(10),
            status=Action.Status.NOT_GOING_AHEAD,
            not_going_ahead_reason="Superseded.",
        ),
        "Overdue": make(what="Overdue", lead_agency=agency_a, due_date=TODAY - DAYS(3)),
        "Soon": make(what="Soon", lead_agency=agency_b, due_date=TODAY + DAYS(3)),
    }
    return actions


def url_of(url_name, open_case):
    return reverse(url_name, kwargs={"pk": open_case.round_id} if url_name == "audits:round-actions" else {})


def shown(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return [action.what for action in response.context["actions"]], response.text


@pytest.mark.parametrize("url_name", PLANS)
def test_the_default_is_still_open_actions_first_and_says_so(client, coordinator, open_case, plan, url_name):
    client.force_login(coordinator)
    order, page = shown(client, url_of(url_name, open_case))
    assert order == ["Overdue", "Soon", "Open later", "Done early", "Dropped"]
    assert 'aria-sort="ascending"><a class="govuk-link" href="?sort=status&amp;order=desc"' in page
    assert page.count('aria-sort="none"') == 4
    assert "sorted by status: open actions first, soonest due first" in page
    # Status the other way: the closed ones first, each group soonest due first.
    order, page = shown(client, url_of(url_name, open_case), sort="status", order="desc")
    assert order == ["Done early", "Dropped", "Overdue", "Soon", "Open later"]
    assert 'aria-sort="descending"' in page


@pytest.mark.parametrize("url_name", PLANS)
def test_sort_by_due_date_lead_agency_action_and_latest_update(
    client, coordinator, lead_a, open_case, plan, agency_a, url_name
):
    services.action_add_update(actor=lead_a, action=plan["Overdue"], text="Started.")
    ActionUpdate.objects.create(action=plan["Done early"], date=TODAY - DAYS(40), text="Long ago.", author=lead_a)
    client.force_login(coordinator)
    url = url_of(url_name, open_case)
    assert shown(client, url, sort="due", order="asc")[0] == ["Done early", "Dropped", "Overdue", "Soon", "Open later"]
    assert shown(client, url, sort="due", order="desc")[0] == ["Open later", "Soon", "Overdue", "Dropped", "Done early"]
    # Lead agency by name, then open first and soonest due.
    by_lead = shown(client, url, sort="lead", order="asc")[0]
    a_first = agency_a.name < plan["Soon"].lead_agency.name
    a_rows, b_rows = ["Overdue", "Done early"], ["Soon", "Open later", "Dropped"]
    assert by_lead == (a_rows + b_rows if a_first else b_rows + a_rows)
    assert shown(client, url, sort="action", order="asc")[0] == sorted(plan)
    # Latest update: newest first on the first click; actions without updates last either way.
    order, page = shown(client, url, sort="updated")
    assert order[:2] == ["Overdue", "Done early"]
    assert 'href="?sort=updated&amp;order=asc"' in page, "the next click turns it"
    assert shown(client, url, sort="updated", order="asc")[0][:2] == ["Done early", "Overdue"]


@pytest.mark.parametrize("url_name", PLANS)
def test_sorting_keeps_the_filters_and_pages_keep_the_sort(
    client, coordinator, open_case, plan, agency_b, url_name, monkeypatch
):
    monkeypatch.setattr(selectors, "PLAN_PER_PAGE", 2)
    client.force_login(coordinator)
    url = url_of(url_name, open_case)
    order, page = shown(client, url, agency=agency_b.pk, sort="due", order="desc")
    assert order == ["Open later", "Soon"]
    # The page links keep the filter and the order; the column links keep the filter, not the page.
    assert f'href="?agency={agency_b.pk}&amp;sort=due&amp;order=desc&amp;page=2"' in page
    assert f'href="?agency={agency_b.pk}&amp;sort=lead&amp;order=asc"' in page
    assert shown(client, url, agency=agency_b.pk, sort="due", order="desc", page=2)[0] == ["Dropped"]
    second = client.get(url, {"agency": agency_b.pk, "sort": "due", "order": "desc", "page": 2}).text
    assert f'href="?agency={agency_b.pk}&amp;sort=lead&amp;order=asc"' in second, "a new order starts at page 1"
    # The filter form sends the order with the filters.
    assert '<input type="hidden" name="sort" value="due"><input type="hidden" name="order" value="desc">' in page
    # The downloads keep the filters only.
    downloads = page.split('data-testid="downloads"')[1].split("</form>")[0]
    assert "sort=" not in downloads


@pytest.mark.parametrize("url_name", PLANS)
def test_an_unknown_order_falls_back_to_the_default(client, coordinator, open_case, plan, url_name):
    client.force_login(coordinator)
    url = url_of(url_name, open_case)
    assert shown(client, url, sort="rag; drop", order="sideways")[0] == shown(client, url)[0]
    assert shown(client, url, sort="due", order="sideways")[0][0] == "Done early", "a column's first direction"


@pytest.mark.parametrize("url_name", PLANS)
def test_a_sorted_plan_runs_the_same_queries_for_more_actions(client, coordinator, open_case, agency_a, url_name):
    url = url_of(url_name, open_case)
    client.force_login(coordinator)
    client.get(url)
    sizes = []
    for count in (3, 30):
        factories.ActionFactory.create_batch(
            count, round=open_case.round, lead_agency=agency_a, due_date=TODAY + DAYS(5)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"sort": "updated", "order": "desc", "page": 1}).status_code == 200
        sizes.append(len(queries))
    assert sizes[0] == sizes[1]
