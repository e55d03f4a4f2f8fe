"""The action plan pages: adding and changing actions, the lifecycle through the pages, both
plans with their filters and a fixed number of queries, exports, and the home page."""

import csv
import datetime
import functools
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from audits.actions import selectors, services
from audits.models import Action
from tests import factories
from tests.exports.flow import download

# The action plan's dates are counted from TODAY, a day the clock is moved to (tests/conftest.py).
TODAY = datetime.date(2027, 1, 15)


@pytest.fixture(autouse=True)
def _today(clock, settings):
    settings.ACTION_AMBER_DAYS = 14
    clock.move_to(datetime.datetime(2027, 1, 15, 10, 0, tzinfo=timezone.get_current_timezone()))


@pytest.fixture
def finding(open_case):
    return factories.LearningPointFactory(case=open_case, round=open_case.round, heading="Escalation was slow")


@pytest.fixture
def action(open_case, agency_a, coordinator):
    return factories.ActionFactory(
        round=open_case.round,
        lead_agency=agency_a,
        created_by=coordinator,
        what="Brief school staff on escalation.",
        due_date=TODAY - datetime.timedelta(days=3),
    )


def _date(prefix, value):
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def test_add_form_groups_findings_by_case(client, coordinator, open_case, finding, agency_a):
    factories.LearningPointFactory(round=open_case.round, case=None, heading="Thresholds are read differently")
    client.force_login(coordinator)
    page = client.get(reverse("audits:action-add", args=[open_case.round_id])).text
    assert "Findings from case 1" in page and "Escalation was slow" in page
    assert "The round as a whole" in page and "Thresholds are read differently" in page
    assert "Agency A Children" in page


def test_add_an_action(client, coordinator, open_case, finding, agency_a, lead_a):
    client.force_login(coordinator)
    url = reverse("audits:action-add", args=[open_case.round_id])
    data = {
        "what": "Refresh the escalation policy briefing.",
        "findings_1": [str(finding.pk)],
        "lead_agency": str(agency_a.pk),
        "owner_user": str(lead_a.pk),
        "owner_role": "Designated lead",
        **_date("due_date", datetime.date(2027, 4, 30)),
    }
    response = client.post(url, data)
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == action.get_absolute_url()
    assert action.owner_user == lead_a and list(action.findings.all()) == [finding]


def test_add_errors_keep_what_was_typed(client, coordinator, open_case, agency_a, lead_b):
    client.force_login(coordinator)
    url = reverse("audits:action-add", args=[open_case.round_id])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and "Enter what is to be done" in response.text
    # A user of another agency cannot own agency A's action; the service says so on the field.
    response = client.post(
        url,
        {
            "what": "Audit the <b>referral</b> pathway.",
            "lead_agency": str(agency_a.pk),
            "owner_name": "Someone",
            **_date("due_date", datetime.date(2027, 4, 30)),
        }
        | {"owner_user": str(lead_b.pk)},
    )
    assert response.status_code == 200
    assert Action.objects.count() == 0
    assert "Audit the &lt;b&gt;referral&lt;/b&gt; pathway." in response.text


def test_detail_shows_rag_in_words_updates_and_history(client, auditor_a, action, lead_a):
    services.action_add_update(actor=lead_a, action=action, text="Training booked for March.", date=TODAY)
    client.force_login(auditor_a)
    page = client.get(action.get_absolute_url()).text
    assert '>Red<span class="govuk-visually-hidden">:</span></strong>' in page and "Overdue by 3 days" in page
    assert "Training booked for March." in page and "15 January 2027" in page
    assert str(lead_a) in page
    # The auditor reads but may not update.
    assert reverse("audits:action-update", args=[action.pk]) not in page


def test_lifecycle_through_the_pages(client, action, lead_a, coordinator):
    client.force_login(lead_a)
    url = reverse("audits:action-update", args=[action.pk])
    assert client.post(url, {"text": "Half the staff briefed.", **_date("date", TODAY)}).status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    propose = reverse("audits:action-propose", args=[action.pk])
    response = client.post(propose, {"evidence_of_completion": "Register of attendance."})
    assert response.status_code == 200 and "Enter the impact on children and families" in response.text
    assert "Register of attendance." in response.text
    response = client.post(propose, {"evidence_of_completion": "Register.", "impact": "Quicker escalation."})
    assert response.status_code == 302
    client.force_login(coordinator)
    assert "Confirm completion" in client.get(action.get_absolute_url()).text
    assert client.post(reverse("audits:action-confirm", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE
    response = client.post(reverse("audits:action-reopen", args=[action.pk]), {})
    assert response.status_code == 200 and "Say why the action is being reopened" in response.text
    client.post(reverse("audits:action-reopen", args=[action.pk]), {"reason": "No evidence of impact yet."})
    client.post(reverse("audits:action-not-going-ahead", args=[action.pk]), {"reason": "Superseded."})
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_GOING_AHEAD


def _plan(round_, agency, count, coordinator):
    return [
        factories.ActionFactory(
            round=round_, lead_agency=agency, created_by=coordinator, due_date=TODAY + datetime.timedelta(days=n - 5)
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("url_name", ["audits:round-actions", "audits:action-list"])
def test_plan_pages_run_the_same_queries_for_20_or_200_actions(client, coordinator, open_case, agency_a, url_name):
    kwargs = {"pk": open_case.round_id} if url_name == "audits:round-actions" else {}
    url = reverse(url_name, kwargs=kwargs)
    client.force_login(coordinator)
    client.get(url)  # the session's first request caches who the user is (agencies.accounts.access_cache)
    counts = []
    for total in (20, 200):
        actions = _plan(open_case.round, agency_a, total - Action.objects.count(), coordinator)
        for action in actions[:3]:
            services.action_add_update(actor=factories.UserFactory(agency=agency_a), action=action, text="Progress.")
        sizes = []
        for address in (url, url + "?page=2", url + "?status=not_started&page=2"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(address)
            assert response.status_code == 200
            if "status" not in address:
                assert response.text.count('data-testid="rag-tag"') == min(total, selectors.PLAN_PER_PAGE)
            sizes.append(len(queries))
        counts.append(sizes)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("url_name", ["audits:round-actions", "audits:action-list"])
def test_plan_pages_list_open_actions_first_then_closed_ones(
    client, coordinator, open_case, agency_a, url_name, monkeypatch
):
    monkeypatch.setattr(selectors, "PLAN_PER_PAGE", 2)
    make = functools.partial(factories.ActionFactory, round=open_case.round, lead_agency=agency_a)
    days = datetime.timedelta
    make(what="Done early", due_date=TODAY - days(30), status=Action.Status.COMPLETE)
    make(what="Open later", due_date=TODAY + days(40), status=Action.Status.IN_PROGRESS)
    make(
        what="Dropped",
        due_date=TODAY - days(10),
        status=Action.Status.NOT_GOING_AHEAD,
        not_going_ahead_reason="Superseded.",
    )
    make(what="Open overdue", due_date=TODAY - days(3))
    make(what="Open soon", due_date=TODAY + days(3))
    kwargs = {"pk": open_case.round_id} if url_name == "audits:round-actions" else {}
    url = reverse(url_name, kwargs=kwargs)
    client.force_login(coordinator)

    def shown(**params):
        response = client.get(url, params)
        return [action.what for action in response.context["actions"]], response

    assert shown()[0] == ["Open overdue", "Open soon"]
    second, response = shown(page=2)
    assert second == ["Open later", "Done early"]
    assert "5 actions. Showing 3 to 4." in response.text
    assert 'href="?page=3"' in response.text and 'aria-current="page"' in response.text
    assert shown(page=3)[0] == ["Dropped"]
    # The filters stay in every page link; the downloads keep the filters, not the page.
    agency, response = shown(agency=agency_a.pk, page=2)
    assert agency == ["Open later", "Done early"]
    assert f'href="?agency={agency_a.pk}&amp;page=1"' in response.text
    assert (
        f"?agency={agency_a.pk}&amp;page" not in response.text.split('data-testid="downloads"')[1].split("</form>")[0]
    )


def test_plan_exports_get_every_action_not_a_page(coordinator, open_case, agency_a, monkeypatch):
    monkeypatch.setattr(selectors, "PLAN_PER_PAGE", 2)
    _plan(open_case.round, agency_a, 5, coordinator)
    actions = selectors.plan_actions(coordinator, today=TODAY, filters=selectors.PlanFilters(), exports=True)
    assert len(actions) == 5


def test_filters(client, coordinator, open_case, agency_a, agency_b):
    factories.CaseAgencyFactory(case=open_case, agency=agency_b, added_by=coordinator)
    overdue = factories.ActionFactory(
        round=open_case.round, lead_agency=agency_a, what="Overdue one", due_date=TODAY - datetime.timedelta(days=1)
    )
    soon = factories.ActionFactory(
        round=open_case.round, lead_agency=agency_b, what="Soon one", due_date=TODAY + datetime.timedelta(days=5)
    )
    later = factories.ActionFactory(
        round=open_case.round, lead_agency=agency_a, what="Later one", due_date=TODAY + datetime.timedelta(days=60)
    )
    other_round = factories.ActionFactory(what="Other round one", due_date=TODAY + datetime.timedelta(days=60))
    client.force_login(coordinator)
    url = reverse("audits:action-list")

    def shown(**params):
        page = client.get(url, params).text
        return {a.what for a in (overdue, soon, later, other_round) if a.what in page}

    assert shown() == {"Overdue one", "Soon one", "Later one", "Other round one"}
    assert shown(overdue="on") == {"Overdue one"}
    assert shown(rag="amber") == {"Soon one"}
    assert shown(rag="green") == {"Later one", "Other round one"}
    assert shown(agency=agency_b.pk) == {"Soon one"}
    assert shown(round=open_case.round_id) == {"Overdue one", "Soon one", "Later one"}
    assert shown(area=other_round.round.area_id, round=other_round.round_id) == {"Other round one"}
    assert shown(status="not_started", rag="nonsense") == {"Overdue one", "Soon one", "Later one", "Other round one"}
    round_page = client.get(reverse("audits:round-actions", args=[open_case.round_id]), {"agency": agency_a.pk}).text
    assert "Overdue one" in round_page and "Later one" in round_page and "Soon one" not in round_page
    assert "Other round one" not in round_page


def test_exports_honour_filters_and_neutralise_formulas(client, lead_a, action, open_case, agency_a):
    factories.ActionFactory(
        round=open_case.round,
        lead_agency=agency_a,
        what='=HYPERLINK("x")',
        due_date=TODAY + datetime.timedelta(days=90),
    )
    client.force_login(lead_a)
    base = reverse("audits:round-actions", args=[open_case.round_id])
    rows = list(csv.reader(io.StringIO(download(client, base + "export.csv").content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Round", "Area", "Action"]
    assert {row[2] for row in rows[1:]} == {action.what, '\'=HYPERLINK("x")'}
    overdue_csv = download(client, base + "export.csv", {"overdue": "on"})
    overdue_only = list(csv.reader(io.StringIO(overdue_csv.content.decode("utf-8-sig"))))
    assert len(overdue_only) == 2 and overdue_only[1][8:10] == ["Red", "Overdue by 3 days"]

    response = download(client, reverse("audits:action-list-xlsx"), {"overdue": "on"})
    assert response["Content-Disposition"] == 'attachment; filename="action-plan.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][2] == action.what
    assert values[1][6].date() == action.due_date

    response = download(client, base + "export.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Action plan" in text and "Brief school staff on escalation." in text and "Red: Overdue by 3 days" in text


def test_home_lists_agency_actions_due_soon_or_overdue(client, lead_a, auditor_a, action, open_case, agency_a):
    far = factories.ActionFactory(
        round=open_case.round, lead_agency=agency_a, what="Far off action", due_date=TODAY + datetime.timedelta(days=15)
    )
    for user in (lead_a, auditor_a):
        client.force_login(user)
        page = client.get(reverse("home")).text
        assert action.what in page and "Overdue by 3 days" in page
        assert far.what not in page


def test_home_tells_coordinators_how_many_actions_are_overdue(client, coordinator, action):
    client.force_login(coordinator)
    page = client.get(reverse("home")).text
    assert "1 action overdue" in page
    assert reverse("audits:action-list") + "?overdue=on" in page


def test_nav_has_the_action_plan(client, lead_a, board_viewer):
    client.force_login(lead_a)
    assert "Action plan" in client.get(reverse("home")).text
    client.force_login(board_viewer)
    assert "Action plan" not in client.get(reverse("home")).text


def test_history_names_what_changed_and_who(client, coordinator, action, finding):
    services.action_change(
        actor=coordinator,
        action=action,
        what=action.what,
        findings=[finding],
        lead_agency=action.lead_agency,
        due_date=action.due_date + datetime.timedelta(days=30),
        owner_name="Head of safeguarding",
    )
    client.force_login(coordinator)
    history = client.get(action.get_absolute_url()).text.split('data-testid="history"')[1]
    assert "Findings it answers" in history and "Due date" in history and "Owner&#x27;s name" in history
    assert str(coordinator) in history
