"""Across rounds: the recurring themes' trend by year (a small chart per theme, with the table of
the same figures) and the grades the multi-agency meetings agreed, by round and agency (a heat map
that states every count); both filtered by area and period, with errors in an error summary, and
in a fixed number of queries whatever the number of rounds."""

import datetime
import re

import pytest
from django.urls import reverse

from audits.learning.selectors import agreed_grades, recurring_themes
from audits.models import CaseDiscussion, LearningPoint, PracticeTheme
from lib.charts import theme_trend, theme_trends
from tests import factories
from tests.audits.learning.test_library import count_queries, publish

THEMES = "audits:library-themes"
GRADES = "audits:library-grades"


@pytest.fixture
def world(db, agency_a, agency_b, coordinator):
    """Three rounds: Northshire 2024 and 2026, Southvale 2025. Each has two cases, agency A in
    both and agency B in the first; each case has an agreed grade and a finding tagged "Voice of
    the child" (the 2025 round's first case also a strength tagged "Information sharing")."""
    north = factories.AreaFactory(name="Northshire", short_name="NS")
    south = factories.AreaFactory(name="Southvale", short_name="SV")
    voice = PracticeTheme.objects.get(name="Voice of the child")
    sharing = PracticeTheme.objects.get(name="Information sharing")
    grades = {
        2024: ("good", "inadequate"),
        2025: ("outstanding", "good"),
        2026: ("requires_improvement", "requires_improvement"),
    }
    rounds = {}
    for year, area in ((2024, north), (2025, south), (2026, north)):
        audit_round = factories.AuditRoundFactory(
            title=f"Round of {year}", area=area, launch_date=datetime.date(year, 3, 2)
        )
        rounds[year] = audit_round
        for number, grade in enumerate(grades[year], start=1):
            case = factories.CaseFactory(round=audit_round, number=number)
            factories.CaseAgencyFactory(case=case, agency=agency_a, added_by=coordinator)
            if number == 1:
                factories.CaseAgencyFactory(case=case, agency=agency_b, added_by=coordinator)
            CaseDiscussion.objects.create(case=case, agreed_grade=grade, grade_reasons="Agreed.")
            finding = factories.LearningPointFactory(case=case, kind=LearningPoint.Kind.FINDING)
            finding.themes.set([voice])
            if year == 2025 and number == 1:
                strength = factories.LearningPointFactory(case=case, kind=LearningPoint.Kind.STRENGTH)
                strength.themes.set([sharing])
    # A case discussed without a grade yet counts nowhere.
    ungraded = factories.CaseFactory(round=rounds[2026], number=3)
    factories.CaseAgencyFactory(case=ungraded, agency=agency_b, added_by=coordinator)
    CaseDiscussion.objects.create(case=ungraded, notes="Not finished.")
    return {"rounds": rounds, "areas": (north, south)}


def counts(row):
    return [count for _, count, _ in row.cells]


# The recurring themes' trend ------------------------------------------------------------------------


def test_each_theme_has_a_chart_by_year_on_one_scale(client, coordinator, world):
    client.force_login(coordinator)
    response = client.get(reverse(THEMES))
    text = response.text
    assert response.context["table"]["years"] == [2024, 2025, 2026]
    trends = response.context["trends"]
    assert [row.name for row, _, _ in trends] == ["Voice of the child", "Information sharing"]
    svg = trends[0][1]
    assert 'role="img"' in svg and 'aria-labelledby="trend-1-title trend-1-desc"' in svg
    assert "Voice of the child, by year. 2024: 0 strengths and 2 findings;" in trends[0][2]
    assert "2025: 0 strengths and 2 findings; 2026: 0 strengths and 2 findings." in trends[0][2]
    assert '<desc id="trend-2-desc">Information sharing, by year. 2024: 0 strengths and 0 findings;' in text
    # The same figures in the table, which scrolls inside its own labelled, focusable region.
    assert '<div class="app-table-scroll" role="region" aria-labelledby="by-year-caption" tabindex="0">' in text
    assert 'id="by-year-caption"' in text


def test_the_small_multiples_share_the_largest_count_as_their_scale(db):
    class Row:
        name = "<Fathers>"
        by_year = [(2024, 1, 4), (2025, 0, 2)]

    svg = theme_trend(Row(), largest=4, chart_id="t")
    # The tallest bar (4 findings) fills the plot; 2 fills half; the name is escaped.
    assert 'height="90"' in svg and 'height="45"' in svg
    assert "&lt;Fathers&gt;" in svg and "<Fathers" not in svg
    other = type("Other", (), {"name": "Other", "by_year": [(2024, 1, 1), (2025, 0, 0)]})()
    (_, first, _), (_, second, _) = theme_trends([Row(), other])
    assert 'height="90"' in first
    assert 'height="22"' in second and 'height="90"' not in second  # 1 of the shared 4, not its own scale


@pytest.mark.parametrize(
    ("params", "years"),
    [
        ({"area": "south"}, [2025]),
        ({"year_from": "2025"}, [2025, 2026]),
        ({"year_to": "2025"}, [2024, 2025]),
        ({"year_from": "2025", "year_to": "2025"}, [2025]),
        ({"area": "north", "year_from": "2025"}, [2026]),
    ],
)
def test_themes_filter_by_area_and_period(client, coordinator, world, params, years):
    north, south = world["areas"]
    params = {**params}
    if "area" in params:
        params["area"] = (north if params["area"] == "north" else south).pk
    client.force_login(coordinator)
    response = client.get(reverse(THEMES), params)
    assert response.context["table"]["years"] == years
    assert not response.context["form"].errors


def test_years_the_wrong_way_round_are_reported_and_ignored(client, coordinator, world):
    client.force_login(coordinator)
    for url in (reverse(THEMES), reverse(GRADES)):
        response = client.get(url, {"year_from": "2026", "year_to": "2024"})
        text = response.text
        assert "<title>Error: " in text
        assert 'class="govuk-error-summary"' in text
        assert '<a href="#id_year_to">The to year must be the same as or after the from year</a>' in text
        select = re.search(r'<select name="year_to"[^>]*>', text).group()
        assert 'class="govuk-select govuk-select--error"' in select and 'aria-describedby="id_year_to-error"' in select
        # What was chosen is kept.
        assert '<option value="2026" selected>2026</option>' in text
    # Neither year is used: every year is shown.
    assert client.get(reverse(THEMES), {"year_from": "2026", "year_to": "2024"}).context["table"]["years"] == [
        2024,
        2025,
        2026,
    ]
    assert recurring_themes(coordinator, year_from=2026)["years"] == [2026]


def test_a_year_not_in_the_list_is_reported(client, coordinator, world):
    client.force_login(coordinator)
    response = client.get(reverse(GRADES), {"year_from": "1999", "area": "nonsense"})
    assert "Choose from year from the list" in response.text
    assert "Choose area from the list" in response.text
    assert len(response.context["rounds"]) == 3


def test_themes_and_grades_link_to_each_other_and_from_the_library(client, board_viewer, world):
    client.force_login(board_viewer)
    assert f'href="{reverse(GRADES)}"' in client.get(reverse("audits:library")).text
    assert f'href="{reverse(GRADES)}"' in client.get(reverse(THEMES)).text
    assert f'href="{reverse(THEMES)}"' in client.get(reverse(GRADES)).text


# The agreed grades ----------------------------------------------------------------------------------


def test_agreed_grades_by_round_and_agency(db, coordinator, world):
    table = agreed_grades(coordinator)
    assert [item["round"].title for item in table] == ["Round of 2026", "Round of 2025", "Round of 2024"]
    newest = {row.label: row for row in table[0]["rows"]}
    # Outstanding, Good, Requires improvement, Inadequate; the ungraded case counts nowhere.
    assert list(newest) == ["All agencies", "Agency A Children's Services", "Agency B Police"]
    assert counts(newest["All agencies"]) == [0, 0, 2, 0] and newest["All agencies"].graded == 2
    assert counts(newest["Agency B Police"]) == [0, 0, 1, 0]
    oldest = {row.label: row for row in table[2]["rows"]}
    assert counts(oldest["Agency A Children's Services"]) == [0, 1, 0, 1]
    assert counts(oldest["Agency B Police"]) == [0, 1, 0, 0]


def test_each_cell_is_shaded_by_its_share_of_the_row(db, coordinator, world):
    oldest = {row.label: row for row in agreed_grades(coordinator)[2]["rows"]}
    # Half the cases good and half inadequate: each half is band 2 (up to a half); none is 0.
    assert [band for _, _, band in oldest["All agencies"].cells] == [0, 2, 0, 2]
    assert [band for _, _, band in oldest["Agency B Police"].cells] == [0, 4, 0, 0]


def test_the_heat_map_states_every_count_and_has_a_key(client, coordinator, world):
    client.force_login(coordinator)
    text = client.get(reverse(GRADES)).text
    assert '<table class="govuk-table app-heat" aria-describedby="grades-key">' in text
    assert '<div class="app-table-scroll" role="region" aria-labelledby="grades-caption" tabindex="0">' in text
    for label in ("Outstanding", "Good", "Requires improvement", "Inadequate", "Cases graded"):
        assert f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">{label}</th>' in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric app-heat--4">2</td>' in text
    assert '<td class="govuk-table__cell govuk-table__cell--numeric app-heat--0">0</td>' in text
    assert "more than three quarters" in text and "up to a quarter" in text
    assert "Round of 2026" in text and "(Northshire, launched March 2026)" in text


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"area": "south"}, ["Round of 2025"]),
        ({"year_from": "2025"}, ["Round of 2026", "Round of 2025"]),
        ({"year_to": "2024"}, ["Round of 2024"]),
        ({"area": "north", "year_to": "2025"}, ["Round of 2024"]),
    ],
)
def test_grades_filter_by_area_and_period(client, coordinator, world, params, titles):
    north, south = world["areas"]
    if "area" in params:
        params = {**params, "area": (north if params["area"] == "north" else south).pk}
    client.force_login(coordinator)
    response = client.get(reverse(GRADES), params)
    assert [item["round"].title for item in response.context["rounds"]] == titles


@pytest.mark.parametrize("role", ["board_viewer", "lead_a", "auditor_a"])
def test_readers_other_than_coordinators_see_only_rounds_a_published_briefing_covers(
    client, request, world, coordinator, role
):
    reader = request.getfixturevalue(role)
    assert agreed_grades(reader) == []
    client.force_login(reader)
    assert "No multi-agency meeting has agreed a grade for a case of a round that a published briefing covers" in (
        client.get(reverse(GRADES)).text
    )
    publish(list(LearningPoint.objects.filter(round=world["rounds"][2025])), coordinator)
    assert [item["round"].title for item in agreed_grades(reader)] == ["Round of 2025"]


def test_nothing_graded_yet(client, coordinator, db):
    client.force_login(coordinator)
    response = client.get(reverse(GRADES))
    assert response.context["rounds"] == []
    assert "No multi-agency meeting has agreed a grade for a case yet." in response.text
    assert "<table" not in response.text


def add_rounds(count, agencies, coordinator, year=2025):
    """``count`` rounds, each with two graded cases in which every agency of ``agencies`` takes part
    and a finding tagged with a theme."""
    theme = PracticeTheme.objects.get(name="Neglect")
    for _ in range(count):
        audit_round = factories.AuditRoundFactory(launch_date=datetime.date(year, 3, 2))
        for number, grade in ((1, "good"), (2, "inadequate")):
            case = factories.CaseFactory(round=audit_round, number=number)
            for agency in agencies:
                factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
            CaseDiscussion.objects.create(case=case, agreed_grade=grade, grade_reasons="Agreed.")
            point = factories.LearningPointFactory(case=case, kind=LearningPoint.Kind.FINDING)
            point.themes.set([theme])


@pytest.mark.parametrize("reader", ["coordinator", "board_viewer"])
def test_queries_do_not_grow_with_rounds(client, request, coordinator, agency_a, agency_b, reader):
    add_rounds(1, [agency_a, agency_b], coordinator)
    publish(list(LearningPoint.objects.all()), coordinator)
    client.force_login(request.getfixturevalue(reader))
    area = factories.AreaFactory(name="Northshire", short_name="NS")
    for url in (
        reverse(GRADES),
        reverse(GRADES) + f"?area={area.pk}&year_from=2024&year_to=2026",
        reverse(THEMES),
        reverse(THEMES) + f"?area={area.pk}&year_from=2024",
    ):
        one = count_queries(client, url)
        add_rounds(9, [agency_a, agency_b], coordinator, year=2024)
        publish(list(LearningPoint.objects.all()), coordinator)
        assert count_queries(client, url) == one, url
    assert len(client.get(reverse(GRADES)).context["rounds"]) == 37
