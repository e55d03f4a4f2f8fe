"""Each format's sections, in order, nothing missing or duplicated; choosing and ordering items."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from briefings import services, workflow
from briefings.models import Briefing
from briefings.selectors import briefing_content

SIX_STEP_ORDER = [
    "<h1", "Neglect audit briefing",
    "1. Theme and cases", "Neglect and the voice of the child", "2 cases were drawn at random from a list of 40, "
    "spread across age band and plan type", "Child 1 lives with an aunt", "Child 2 was referred",
    "2. Process", "2 cases were audited", "Audit tools were returned by: Agency A",
    "Chronologies were returned by: Agency B", "agencies attending: Agency A", "1 action was added",
    "3. Strengths identified per case", "Case 1", "Strength A one", "Strength A two", "Case 2", "Strength B one",
    "4. Findings identified per case", "Case 1", "Finding A one", "Case 2", "Finding B one",
    "5. Recommendations across the cases", "Recommendation one", "(Case 1, Case 2)",
    "6. Good practice", "Good practice one",
]  # fmt: skip
BY_THEME_ORDER = [
    "What the audit found.", "The cases", "Child 1 lives", "Child 2 was referred",
    "Strengths across the cases", "Information sharing", "Strength A two", "(Case 1)", "Strength B one", "(Case 2)",
    "Voice of the child", "Strength A one",
    "Key messages", "Key message one", "Ask who else", "Think about every adult", "<ol", "Who visits the home?",
    "Have you checked with others?", 'href="https://example.test/escalation"', "Escalation policy",
    "Key message two",
]  # fmt: skip
BY_CASE_ORDER = [
    "What the audit found.", "<h2", "Case 1", "Child 1 lives", "Strengths", "Strength A one", "Strength A two",
    "Key messages", "Key message one", "Who visits the home?",
    "<h2", "Case 2", "Child 2 was referred", "Strengths", "Strength B one", "Key messages", "Key message two",
]  # fmt: skip
HEADINGS = {
    "six_step": ["Strength A one", "Strength A two", "Strength B one", "Finding A one", "Finding B one",
                 "Recommendation one", "Good practice one"],
    "by_theme": ["Strength A one", "Strength A two", "Strength B one", "Key message one", "Key message two"],
    "by_case": ["Strength A one", "Strength A two", "Strength B one", "Key message one", "Key message two"],
}  # fmt: skip
LEFT_OUT = {
    "six_step": ["Key message one", "Key message two"],
    "by_theme": ["Finding A one", "Recommendation one", "Good practice one"],
    "by_case": ["Finding A one", "Recommendation one", "Good practice one"],
}


def content_html(briefing):
    return render_to_string("briefings/_content.html", {"content": briefing_content(briefing)})


def assert_in_order(html, expected):
    position = 0
    for text in expected:
        found = html.find(text, position)
        assert found >= 0, f"{text!r} missing after position {position}"
        position = found + len(text)


@pytest.mark.parametrize(
    ("briefing_format", "order"),
    [("six_step", SIX_STEP_ORDER), ("by_theme", BY_THEME_ORDER), ("by_case", BY_CASE_ORDER)],
)
def test_format_shows_its_sections_in_order_once(make_briefing, briefing_format, order):
    html = content_html(make_briefing(briefing_format))
    assert_in_order(html, order)
    for heading in HEADINGS[briefing_format]:
        assert html.count(f"{heading}<") == 1, heading
    for heading in LEFT_OUT[briefing_format]:
        assert heading not in html
    assert html.count("<h1") == 1


def test_six_step_has_the_six_numbered_sections(make_briefing):
    html = content_html(make_briefing())
    sections = re.findall(r"<h2[^>]*>(\d)\. ", html)
    assert sections == ["1", "2", "3", "4", "5", "6"]


def test_cases_chosen_by_hand_say_so(make_briefing, case):
    case.draw = None
    case.save()
    case.round.draws.all().delete()
    assert "2 cases were chosen by the audit coordinator." in content_html(make_briefing())


def test_items_start_included_in_briefing_order_with_positions(make_briefing):
    briefing = make_briefing()
    items = list(briefing.items.select_related("learning_point"))
    assert [i.position for i in items] == list(range(1, 8))
    assert [i.learning_point.heading for i in items] == HEADINGS["six_step"]
    assert all(i.included for i in items)


def test_leaving_out_and_moving_items(make_briefing, coordinator):
    briefing = make_briefing()
    items = {i.learning_point.heading: i for i in briefing.items.select_related("learning_point")}
    keep = [i.pk for name, i in items.items() if name != "Finding A one"]
    services.briefing_items_update(
        actor=coordinator, briefing=briefing, included_ids=keep, move_id=items["Strength A two"].pk, direction="up"
    )
    html = content_html(briefing)
    assert "Finding A one" not in html
    assert html.index("Strength A two") < html.index("Strength A one")
    # Moving past the end of its group (Strength B one is alone for case 2) changes nothing.
    services.briefing_items_update(
        actor=coordinator, briefing=briefing, included_ids=keep, move_id=items["Strength B one"].pk, direction="down"
    )
    positions = list(briefing.items.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 8))
    assert content_html(briefing).index("Strength B one") < content_html(briefing).index("Finding B one")


def test_edits_are_refused_once_approved_until_make_changes(make_briefing, coordinator):
    briefing = make_briefing()
    workflow.briefing_approve(actor=coordinator, briefing=briefing)
    briefing.refresh_from_db()
    with pytest.raises(ValidationError):
        services.briefing_update(actor=coordinator, briefing=briefing, title="New", introduction="")
    with pytest.raises(ValidationError):
        services.briefing_items_update(actor=coordinator, briefing=briefing, included_ids=[])
    workflow.briefing_reopen(actor=coordinator, briefing=briefing)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DRAFT and briefing.approved_at is None
    services.briefing_update(actor=coordinator, briefing=briefing, title="New", introduction="")
    assert Briefing.objects.get(pk=briefing.pk).title == "New"


def test_second_round_must_be_same_period_in_another_area(make_briefing, learning_round):
    from tests import factories

    same_area = factories.AuditRoundFactory(area=learning_round.area)
    with pytest.raises(ValidationError):
        make_briefing(second_round=same_area)
    other_period = factories.AuditRoundFactory(area=factories.AreaFactory(name="Southdale"), period_label="2025/26")
    with pytest.raises(ValidationError):
        make_briefing(second_round=other_period)
    other = factories.AuditRoundFactory(area=factories.AreaFactory(name="Eastmere", short_name="EM"))
    factories.CaseFactory(round=other, number=1, summary="Child 1 in Eastmere.")
    briefing = make_briefing(second_round=other)
    html = content_html(briefing)
    assert "Case 1 (Eastmere)" in html and "Case 1 (Northshire)" in html


def test_create_form_makes_a_briefing(client, coordinator, learning_round):
    client.force_login(coordinator)
    url = f"/briefings/new/{learning_round.pk}/"
    response = client.post(url, {"format": "", "title": ""})
    assert response.status_code == 200
    assert "Select the format of the briefing" in response.text
    response = client.post(url, {"format": "by_theme", "title": "Spring learning", "introduction": "Hello"})
    briefing = Briefing.objects.get()
    assert response.status_code == 302 and response["Location"] == briefing.get_absolute_url()
    assert briefing.format == "by_theme" and briefing.items.count() == 5


def test_items_page_saves_ticks_and_moves(client, coordinator, make_briefing):
    briefing = make_briefing()
    items = {i.learning_point.heading: i for i in briefing.items.select_related("learning_point")}
    client.force_login(coordinator)
    url = f"/briefings/{briefing.pk}/learning/"
    ticks = [str(i.pk) for name, i in items.items() if name != "Good practice one"]
    response = client.post(url, {"included": ticks, "move": f"down:{items['Strength A one'].pk}"})
    assert response.status_code == 302 and response["Location"] == url
    assert not briefing.items.get(pk=items["Good practice one"].pk).included
    html = content_html(briefing)
    assert html.index("Strength A two") < html.index("Strength A one")
