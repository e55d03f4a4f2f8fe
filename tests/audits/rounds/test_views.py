import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditRound
from tests import factories


def round_post(**overrides):
    data = {
        "theme": "Neglect and the lived experience of the child",
        "title": "Northshire multi-agency case audit",
        "period_label": "2027/28 round 1",
    }
    dates = {
        "launch_date": datetime.date(2027, 5, 3),
        "tools_due_date": datetime.date(2027, 5, 31),
        "meeting_date": datetime.date(2027, 6, 14),
        "learning_due_date": datetime.date(2027, 6, 28),
        "briefing_due_date": datetime.date(2027, 7, 12),
    }
    for name, value in dates.items():
        data[f"{name}_0"], data[f"{name}_1"], data[f"{name}_2"] = value.day, value.month, value.year
    from audits.models import ToolTemplate

    data["tool_template"] = ToolTemplate.objects.get(is_default=True).pk
    data.update(overrides)
    return data


def test_plan_asks_for_the_area_then_proposes_dates(client, coordinator, audit_round):
    client.force_login(coordinator)
    response = client.post(reverse("audits:round-plan"), {})
    assert response.status_code == 200
    assert "Select the area the round is for" in response.text
    response = client.post(reverse("audits:round-plan"), {"area": audit_round.area.pk})
    assert response["Location"] == reverse("audits:round-plan-details", args=[audit_round.area.pk])
    page = client.get(response["Location"]).text
    assert 'name="launch_date_0" value="3"' in page
    assert 'name="launch_date_1" value="5"' in page
    assert 'name="launch_date_2" value="2027"' in page


def test_planning_a_round_creates_it_and_goes_to_it(client, coordinator, audit_round):
    client.force_login(coordinator)
    response = client.post(reverse("audits:round-plan-details", args=[audit_round.area.pk]), round_post())
    created = AuditRound.objects.exclude(pk=audit_round.pk).get()
    assert response["Location"] == created.get_absolute_url()
    assert created.created_by == coordinator
    assert created.meeting_date == datetime.date(2027, 6, 14)


def test_bad_dates_show_errors_and_keep_what_was_typed(client, coordinator, audit_round):
    client.force_login(coordinator)
    data = round_post(
        meeting_date_0="1", meeting_date_1="5", briefing_date_0="", tools_due_date_0="31", tools_due_date_1="2"
    )
    response = client.post(reverse("audits:round-plan-details", args=[audit_round.area.pk]), data)
    assert response.status_code == 200
    page = response.text
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    assert "The date audit tools and chronologies are due must be a real date" in page
    assert 'value="Neglect and the lived experience of the child"' in page
    assert AuditRound.objects.count() == 1


def test_meeting_before_tools_due_is_explained(client, coordinator, audit_round):
    client.force_login(coordinator)
    data = round_post(meeting_date_0="1", meeting_date_1="5", meeting_date_2="2027")
    response = client.post(reverse("audits:round-plan-details", args=[audit_round.area.pk]), data)
    assert "The meeting must be after the date tools are due" in response.text


def test_edit_round_keeps_its_status(client, coordinator, case):
    client.force_login(coordinator)
    url = reverse("audits:round-edit", args=[case.round.pk])
    assert 'value="Neglect and the voice of the child"' in client.get(url).text
    response = client.post(url, round_post(title="Renamed round"))
    assert response.status_code == 302
    case.round.refresh_from_db()
    assert case.round.title == "Renamed round"
    assert case.round.history.first().history_user == coordinator


def test_round_list_filters(client, coordinator, audit_round):
    other_area = factories.AreaFactory(name="Southmoor", short_name="SM")
    factories.AuditRoundFactory(area=other_area, title="Southmoor round", launch_date=datetime.date(2025, 5, 1))
    client.force_login(coordinator)
    url = reverse("audits:round-list")
    everything = client.get(url).text
    assert audit_round.title in everything and "Southmoor round" in everything
    by_area = client.get(url, {"area": other_area.pk}).text
    assert "Southmoor round" in by_area and audit_round.title not in by_area
    by_year = client.get(url, {"year": "2026"}).text
    assert audit_round.title in by_year and "Southmoor round" not in by_year
    by_status = client.get(url, {"status": "closed"}).text
    assert "No rounds match these filters" in by_status
    # Nonsense filters are ignored rather than failing.
    assert client.get(url, {"year": "abc", "status": "nope", "area": "x"}).status_code == 200


def test_round_list_shows_late_milestones(client, coordinator):
    today = timezone.localdate()
    factories.AuditRoundFactory(title="Overdue round", launch_date=today - datetime.timedelta(days=3))
    client.force_login(coordinator)
    page = client.get(reverse("audits:round-list")).text
    assert "Launch:" in page and "Late" in page


def test_lead_sees_only_rounds_of_their_agency(client, open_case, lead_a, lead_b):
    case = open_case
    factories.AuditRoundFactory(title="A round without agency A")
    client.force_login(lead_a)
    page = client.get(reverse("audits:round-list")).text
    assert case.round.title in page and "A round without agency A" not in page
    client.force_login(lead_b)
    assert case.round.title not in client.get(reverse("audits:round-list")).text


def test_advance_button_opens_the_round(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(
        reverse("audits:round-advance", args=[case.round.pk]), {"from_status": "planning", "confirm": "yes"}
    )
    assert response.status_code == 302
    case.round.refresh_from_db()
    assert case.round.status == "open"
    page = client.get(case.round.get_absolute_url()).text
    assert "Open for returns" in page


def test_advance_refusal_is_shown_not_raised(client, coordinator, audit_round):
    client.force_login(coordinator)
    response = client.post(
        reverse("audits:round-advance", args=[audit_round.pk]),
        {"from_status": "planning", "confirm": "yes"},
        follow=True,
    )
    assert "Add at least one case before opening the round." in response.text
    audit_round.refresh_from_db()
    assert audit_round.status == "planning"


def test_history_page_lists_changes_with_actor(client, coordinator, case):
    from audits.rounds import services

    services.round_update(actor=coordinator, audit_round=case.round, title="Renamed")
    client.force_login(coordinator)
    page = client.get(reverse("audits:round-history", args=[case.round.pk])).text
    assert coordinator.full_name in page


@pytest.mark.parametrize("role", ["coordinator", "lead_a"])
def test_home_lists_what_each_person_has(client, request, open_case, role):
    case = open_case
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("home")).text
    assert case.round.title in page


def test_home_for_coordinator_says_what_to_do(client, coordinator, audit_round):
    client.force_login(coordinator)
    assert "Add cases" in client.get(reverse("home")).text
