"""Across rounds in a browser: a board viewer looks at the recurring themes' trend by year and the
agreed grades by round and agency, filters them by area and period (and gets the years the wrong
way round), at 1280 px and at 375 px. axe checks every page, and no page is wider than the
window: wide tables scroll inside their own region."""

import datetime

import pytest

from audits.models import CaseDiscussion, LearningPoint, PracticeTheme
from tests import factories
from tests.audits.learning.test_library import publish

GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
WIDTHS = (1280, 375)


def make_rounds():
    """Eight years of rounds in two areas, each with graded cases, four agencies and tagged learning:
    enough years to make the tables wider than a phone."""
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    board = factories.UserFactory(email="board@example.test", full_name="Bo Board", role="Board viewer")
    areas = [
        factories.AreaFactory(name="Northshire", short_name="NS"),
        factories.AreaFactory(name="Southvale", short_name="SV"),
    ]
    agencies = [
        factories.AgencyFactory(name=name, short_name=name.split()[-1])
        for name in ("Northshire Police", "Northshire Children's Services", "Northshire Health", "Schools")
    ]
    themes = list(PracticeTheme.objects.filter(is_active=True).order_by("name")[:5])
    for index, year in enumerate(range(2019, 2027)):
        audit_round = factories.AuditRoundFactory(
            title=f"Multi-agency audit of neglect and the voice of the child, {year}",
            area=areas[index % 2],
            launch_date=datetime.date(year, 3, 2),
        )
        for number in range(1, 5):
            case = factories.CaseFactory(round=audit_round, number=number)
            for agency in agencies[: 1 + (number + index) % 4]:
                factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
            CaseDiscussion.objects.create(
                case=case, agreed_grade=GRADES[(number + index) % 4], grade_reasons="Agreed at the meeting."
            )
            for kind in (LearningPoint.Kind.STRENGTH, LearningPoint.Kind.FINDING):
                point = factories.LearningPointFactory(case=case, kind=kind)
                point.themes.set(themes[(number + index) % 5 : (number + index) % 5 + 2])
    publish(list(LearningPoint.objects.all()), coordinator)
    return board


def assert_fits(visitor, width):
    page = visitor.page
    document = page.evaluate("document.documentElement.scrollWidth")
    assert document <= width, f"{page.url} is {document} px wide in a {width} px window"


@pytest.mark.parametrize("width", WIDTHS)
def test_board_viewer_compares_rounds_at_each_width(visitor_without_js, width):
    board = make_rounds()
    visitor = visitor_without_js
    page = visitor.page
    page.set_viewport_size({"width": width, "height": 900})

    visitor.sign_in(board.email)
    visitor.goto("/learning/")
    assert_fits(visitor, width)
    visitor.click("link", name="See which practice themes recur year after year")
    assert_fits(visitor, width)
    # A chart per theme, each an image with its name, and the table of the same figures.
    charts = page.locator("svg.app-chart--trend[role=img]")
    assert charts.count() == 5
    assert page.get_by_role("img", name="Strengths and findings tagged", exact=False).count() == 5
    region = page.get_by_role("region", name="Strengths and findings per practice theme and year")
    assert region.get_attribute("tabindex") == "0"
    assert "2019" in region.inner_text() and "2026" in region.inner_text()

    page.get_by_label("Area").select_option("Southvale")
    page.get_by_label("From year").select_option("2022")
    visitor.click("button", name="Show")
    assert_fits(visitor, width)
    years = region.locator("thead th[scope=colgroup]").all_inner_texts()
    assert years == ["2022", "2024", "2026"]

    # The years the wrong way round: the error summary, and the choices kept.
    page.get_by_label("To year").select_option("2020")
    visitor.click("button", name="Show")
    assert_fits(visitor, width)
    summary = page.locator(".govuk-error-summary")
    assert "The to year must be the same as or after the from year" in summary.inner_text()
    assert page.get_by_label("From year").input_value() == "2022"

    visitor.click("link", name="See the grades the multi-agency meetings agreed, by round and agency")
    assert_fits(visitor, width)
    grades = page.get_by_role("region", name="8 rounds with agreed grades")
    assert grades.get_attribute("tabindex") == "0"
    first_round = grades.locator("tbody").first
    assert "Multi-agency audit of neglect and the voice of the child, 2026" in first_round.inner_text()
    # Each cell states its count: the colour is only extra.
    assert first_round.locator("tr").nth(1).locator("td").all_inner_texts() == ["1", "1", "1", "1", "4"]

    page.get_by_label("Area").select_option("Northshire")
    page.get_by_label("To year").select_option("2021")
    visitor.click("button", name="Show")
    assert_fits(visitor, width)
    assert page.get_by_role("region", name="2 rounds with agreed grades").count() == 1
