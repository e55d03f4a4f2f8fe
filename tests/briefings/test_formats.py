"""What a briefing prints: each preset's sections in order, nothing missing or duplicated; the
rounds' themes as the headline; learning citing several cases or none; several rounds; and the
list of what the briefing leaves out."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from audits.models import LearningPoint, PracticeTheme
from briefings import services, workflow
from briefings.models import Briefing, BriefingSection
from briefings.selectors import briefing_content
from tests import factories

SIX_STEP_ORDER = [
    "<h1", "Neglect audit briefing", "Neglect and the voice of the child",
    "1. Theme and cases", "Neglect and the voice of the child", "2 cases were drawn at random from a list of 40, "
    "spread across age band and plan type", "Child 1 lives with an aunt", "Child 2 was referred",
    "2. Process", "2 cases were audited", "Audit tools were returned by: Agency A",
    "Chronologies were returned by: Agency B", "agencies attending: Agency A", "1 action was added",
    "3. Strengths identified per case", "Case 1", "Strength A one", "Strength A two", "Case 2", "Strength B one",
    "4. Findings identified per case", "Case 1", "Finding A one", "Case 2", "Finding B one",
    "5. Recommendations across the cases", "Recommendation one", "(Cases 1 and 2)",
    "6. Good practice", "Good practice one",
]  # fmt: skip
BY_THEME_ORDER = [
    "Neglect and the voice of the child", "What the audit found.", "Theme and cases", "Child 1 lives",
    "Child 2 was referred",
    "Strengths across the cases", "Information sharing", "Strength A two", "(Case 1)", "Strength B one", "(Case 2)",
    "Voice of the child", "Strength A one",
    "Findings across the cases", "Finding A one", "Finding B one",
    "Key messages", "Key message one", "Ask who else", "Think about every adult", "Who visits the home?",
    "Have you checked with others?", 'href="https://example.test/escalation"', "Escalation policy",
    "Key message two",
    "Recommendations across the cases", "Recommendation one",
]  # fmt: skip
BY_CASE_ORDER = [
    "What the audit found.", "Theme and cases", "Child 1 lives", "Child 2 was referred",
    "Strengths identified per case", "Case 1", "Strength A one", "Strength A two", "Case 2", "Strength B one",
    "Findings identified per case", "Case 1", "Finding A one", "Case 2", "Finding B one",
    "Key messages", "Case 1", "Key message one", "Who visits the home?", "Case 2", "Key message two",
    "Recommendations across the cases", "Recommendation one",
]  # fmt: skip
HEADINGS = {
    "six_step": ["Strength A one", "Strength A two", "Strength B one", "Finding A one", "Finding B one",
                 "Recommendation one", "Good practice one"],
    "by_theme": ["Strength A one", "Strength A two", "Strength B one", "Finding A one", "Finding B one",
                 "Key message one", "Key message two", "Recommendation one"],
    "by_case": ["Strength A one", "Strength A two", "Strength B one", "Finding A one", "Finding B one",
                "Key message one", "Key message two", "Recommendation one"],
}  # fmt: skip
LEFT_OUT = {
    "six_step": ["Key message one", "Key message two"],
    "by_theme": ["Good practice one"],
    "by_case": ["Good practice one"],
}


def content_html(briefing):
    return render_to_string("briefings/_content.html", {"content": briefing_content(briefing)})


def assert_in_order(html, expected):
    position = 0
    for text in expected:
        found = html.find(text, position)
        assert found >= 0, f"{text!r} missing after position {position}"
        position = found + len(text)


def _items(briefing):
    return {i.learning_point.heading: i for i in briefing.items.select_related("learning_point")}


def _section(briefing, kind):
    return briefing.sections.get(kind=kind)


@pytest.mark.parametrize(
    ("briefing_format", "order"),
    [("six_step", SIX_STEP_ORDER), ("by_theme", BY_THEME_ORDER), ("by_case", BY_CASE_ORDER)],
)
def test_preset_shows_its_sections_in_order_once(make_briefing, briefing_format, order):
    briefing = make_briefing(briefing_format)
    html = content_html(briefing)
    assert_in_order(html, order)
    for heading in HEADINGS[briefing_format]:
        assert html.count(f"{heading}<") == 1, heading
    for heading in LEFT_OUT[briefing_format]:
        assert heading not in html
    assert html.count("<h1") == 1
    # Whatever a preset leaves out is listed for the author, with why.
    left_out = {entry.learning_point.heading: entry.reason for entry in briefing_content(briefing).left_out}
    assert set(left_out) == set(LEFT_OUT[briefing_format])
    assert all("section" in reason for reason in left_out.values())


def test_six_step_has_the_six_numbered_sections(make_briefing):
    html = content_html(make_briefing())
    sections = re.findall(r"<h2[^>]*>(\d)\. ", html)
    assert sections == ["1", "2", "3", "4", "5", "6"]


def test_the_rounds_theme_is_the_headline_and_the_themes_covered_are_listed(make_briefing):
    html = content_html(make_briefing("by_case"))
    headline = html.index("Neglect and the voice of the child")
    assert html.index("</h1>") < headline < html.index("<h2")
    covered = re.search(r"Practice themes covered:</strong> ([^<]+)<", html).group(1)
    assert covered == "Information sharing, Voice of the child"


def test_findings_and_key_messages_both_print_once_added(make_briefing, coordinator):
    briefing = make_briefing()  # 6 step: no key messages section
    assert "Key message one" not in content_html(briefing)
    services.briefing_compose(
        actor=coordinator,
        briefing=briefing,
        included_ids=briefing.items.values_list("pk", flat=True),
        add_kind=BriefingSection.Kind.KEY_MESSAGE,
    )
    html = content_html(briefing)
    assert "Finding A one" in html and "Key message one" in html and "Key message two" in html
    assert re.search(r"<h2[^>]*>7\. Key messages</h2>", html)
    assert not briefing_content(briefing).left_out


def test_the_author_orders_the_themes(make_briefing, coordinator):
    briefing = make_briefing("by_theme")
    html = content_html(briefing)
    assert html.index("Information sharing</h3>") < html.index("Voice of the child</h3>")
    voice = PracticeTheme.objects.get(name="Voice of the child")
    services.briefing_compose(
        actor=coordinator,
        briefing=briefing,
        included_ids=briefing.items.values_list("pk", flat=True),
        command=f"theme-up:{voice.pk}",
    )
    html = content_html(briefing)
    assert html.index("Voice of the child</h3>") < html.index("Information sharing</h3>")
    assert_in_order(html, ["Voice of the child</h3>", "Strength A one", "Information sharing</h3>", "Strength A two"])
    assert "Practice themes covered:</strong> Voice of the child, Information sharing" in html


def test_a_strength_citing_two_cases_prints_both(make_briefing, learning_round):
    case1, case2 = learning_round.cases.order_by("number")
    point = LearningPoint.objects.get(heading="Strength A one")
    point.evidence_cases.set([case1, case2])
    html = content_html(make_briefing("by_theme"))
    assert 'Strength A one</strong> <span class="briefing-refs">(Cases 1 and 2)</span>' in html
    html = content_html(make_briefing("six_step"))
    # Grouped by case, a point citing several cases goes "Across the cases", with its cases.
    assert_in_order(
        html, ["3. Strengths", "Case 1", "Strength A two", "Across the cases", "Strength A one", "(Cases 1 and 2)"]
    )


def test_a_round_with_no_cases_carries_learning_without_placeholders(coordinator):
    audit_round = factories.AuditRoundFactory(theme="Neglect in the early years")
    for kind, text in (("strength", "Health visitors shared concerns early."), ("finding", "Drift after step down.")):
        factories.LearningPointFactory(round=audit_round, case=None, kind=kind, heading="", text=text)
    briefing = services.briefing_create(
        actor=coordinator, rounds=[audit_round], briefing_format="six_step", title="Early years"
    )
    html = content_html(briefing)
    assert "Health visitors shared concerns early." in html and "Drift after step down." in html
    assert "Neglect in the early years" in html
    assert "Case 1" not in html and "No summary" not in html and "0 cases" not in html
    assert "(Case" not in html


def test_cases_without_a_summary_are_not_listed(make_briefing, learning_round):
    learning_round.cases.filter(number=2).update(summary="")
    html = content_html(make_briefing())
    assert "Child 1 lives" in html and "No summary" not in html
    assert "(Case 2)</strong>" not in html


def test_cases_chosen_by_hand_say_so(make_briefing, case):
    case.draw = None
    case.save()
    case.round.draws.all().delete()
    assert "2 cases were chosen by the audit coordinator." in content_html(make_briefing())


def test_two_rounds_of_one_area_share_a_briefing(make_briefing, learning_round):
    second = factories.AuditRoundFactory(
        area=learning_round.area, period_label="Autumn 2026", theme="Exploitation outside the home"
    )
    factories.CaseFactory(round=second, number=1, summary="Child 1 of the autumn round.")
    factories.LearningPointFactory(round=second, case=None, kind="strength", heading="Autumn strength", text="Quick.")
    briefing = make_briefing(other_rounds=[second])
    assert set(briefing.rounds.all()) == {learning_round, second}
    html = content_html(briefing)
    assert "Neglect and the voice of the child" in html and "Exploitation outside the home" in html
    assert "Autumn strength" in html
    # Each round under its own heading; its cases told apart by their period.
    assert html.count(f">{learning_round.period_label}</h3>") >= 2 and html.count(">Autumn 2026</h3>") >= 2
    assert f"Case 1 ({learning_round.period_label})" in html and "Case 1 (Autumn 2026)" in html


def test_rounds_of_two_areas_are_told_apart_by_area(make_briefing):
    other = factories.AuditRoundFactory(area=factories.AreaFactory(name="Eastmere", short_name="EM"))
    factories.CaseFactory(round=other, number=1, summary="Child 1 in Eastmere.")
    html = content_html(make_briefing(other_rounds=[other]))
    assert "Case 1 (Eastmere)" in html and "Case 1 (Northshire)" in html


def test_items_start_included_in_briefing_order_with_positions(make_briefing):
    briefing = make_briefing()
    items = list(briefing.items.select_related("learning_point").order_by("position"))
    assert [i.position for i in items] == list(range(1, 10))
    assert [i.learning_point.heading for i in items][:5] == HEADINGS["six_step"][:5]
    assert all(i.included for i in items)


def test_leaving_out_and_moving_items(make_briefing, coordinator):
    briefing = make_briefing()
    items = _items(briefing)
    keep = [i.pk for name, i in items.items() if name != "Finding A one"]
    services.briefing_compose(
        actor=coordinator, briefing=briefing, included_ids=keep, command=f"item-up:{items['Strength A two'].pk}"
    )
    html = content_html(briefing)
    assert "Finding A one" not in html
    assert html.index("Strength A two") < html.index("Strength A one")
    left_out = briefing_content(briefing).left_out
    assert [(e.learning_point.heading, e.reason) for e in left_out if e.reason == "Left out."] == [
        ("Finding A one", "Left out.")
    ]
    # Moving past the end of its group (Strength B one is alone for case 2) changes nothing.
    services.briefing_compose(
        actor=coordinator, briefing=briefing, included_ids=keep, command=f"item-down:{items['Strength B one'].pk}"
    )
    positions = list(briefing.items.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, 10))
    assert content_html(briefing).index("Strength B one") < content_html(briefing).index("Finding B one")


def test_sections_are_added_moved_regrouped_and_removed(make_briefing, coordinator):
    briefing = make_briefing()
    every = list(briefing.items.values_list("pk", flat=True))
    good = _section(briefing, "good_practice")
    services.briefing_compose(actor=coordinator, briefing=briefing, included_ids=every, command=f"section-up:{good.pk}")
    html = content_html(briefing)
    assert html.index("5. Good practice") < html.index("6. Recommendations")
    strengths = _section(briefing, "strength")
    services.briefing_compose(
        actor=coordinator, briefing=briefing, included_ids=every, groupings={strengths.pk: "by_theme"}
    )
    html = content_html(briefing)
    assert "3. Strengths across the cases" in html and "Information sharing</h3>" in html
    process = _section(briefing, "process")
    services.briefing_compose(
        actor=coordinator, briefing=briefing, included_ids=every, command=f"section-remove:{process.pk}"
    )
    html = content_html(briefing)
    assert "Process" not in html and "2. Strengths across the cases" in html
    services.briefing_compose(actor=coordinator, briefing=briefing, included_ids=every, add_kind="actions")
    assert "Actions agreed" in content_html(briefing)
    assert list(briefing.sections.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"command": "section-up:999999"}, "That section is not part of this briefing"),
        ({"command": "item-sideways:1"}, "That is not something the briefing can do"),
        ({"command": "theme-remove:1"}, "That is not something the briefing can do"),
        ({"add_kind": "cases"}, "The briefing already has that section"),
        ({"add_kind": "gossip"}, "Choose a section to add from the list"),
    ],
)
def test_bad_composer_commands_are_refused(make_briefing, coordinator, arguments, message):
    briefing = make_briefing()
    with pytest.raises(ValidationError, match=message):
        services.briefing_compose(actor=coordinator, briefing=briefing, included_ids=[], **arguments)


def test_edits_are_refused_once_sent_until_make_changes(make_briefing, coordinator):
    briefing = make_briefing()
    Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.AWAITING)
    briefing.refresh_from_db()
    with pytest.raises(ValidationError):
        services.briefing_update(actor=coordinator, briefing=briefing, title="New", introduction="", marking="none")
    with pytest.raises(ValidationError):
        services.briefing_compose(actor=coordinator, briefing=briefing, included_ids=[])
    workflow.briefing_reopen(actor=coordinator, briefing=briefing)
    briefing.refresh_from_db()
    assert briefing.is_draft
    services.briefing_update(actor=coordinator, briefing=briefing, title="New", introduction="", marking="none")
    assert Briefing.objects.get(pk=briefing.pk).title == "New"


def test_create_form_makes_a_briefing_of_several_rounds(client, coordinator, learning_round):
    other = factories.AuditRoundFactory(area=learning_round.area, period_label="Autumn 2026")
    client.force_login(coordinator)
    url = f"/briefings/new/{learning_round.pk}/"
    response = client.post(url, {"format": "", "title": "Typed title", "marking": ""})
    assert response.status_code == 200
    assert "Select what the briefing starts from" in response.text and "Typed title" in response.text
    response = client.post(
        url,
        {
            "format": "by_theme",
            "title": "Spring learning",
            "introduction": "Hello",
            "marking": "none",
            "other_rounds": [other.pk],
        },
    )
    briefing = Briefing.objects.get()
    assert response.status_code == 302 and response["Location"] == briefing.get_absolute_url()
    assert briefing.format == "by_theme" and briefing.marking == "none" and briefing.items.count() == 9
    assert set(briefing.rounds.all()) == {learning_round, other}
    assert list(briefing.sections.values_list("kind", flat=True)) == [
        "cases",
        "strength",
        "finding",
        "key_message",
        "recommendation",
    ]


def test_composer_page_saves_ticks_and_moves(client, coordinator, make_briefing):
    briefing = make_briefing()
    items = _items(briefing)
    client.force_login(coordinator)
    url = f"/briefings/{briefing.pk}/learning/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Not in the briefing" in page.text and "Key message one" in page.text
    ticks = [str(i.pk) for name, i in items.items() if name != "Good practice one"]
    response = client.post(url, {"included": ticks, "command": f"item-down:{items['Strength A one'].pk}"})
    assert response.status_code == 302 and response["Location"] == url + "#items"
    assert not briefing.items.get(pk=items["Good practice one"].pk).included
    html = content_html(briefing)
    assert html.index("Strength A two") < html.index("Strength A one")
    response = client.post(url, {"included": ticks, "command": "section-add", "add_kind": "key_message"})
    assert response.status_code == 302 and "Key message one" in content_html(briefing)
    response = client.post(url, {"included": ticks, "command": "section-up:x"})
    assert response.status_code == 400 and "govuk-error-summary" in response.text


def test_the_preview_runs_the_same_queries_at_ten_times_the_learning(
    client, coordinator, make_briefing, learning_round
):
    client.force_login(coordinator)
    briefing = make_briefing("by_theme")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/briefings/{briefing.pk}/preview/")
    case = learning_round.cases.first()
    theme = PracticeTheme.objects.first()
    for number in range(30):
        point = factories.LearningPointFactory(
            round=learning_round, case=case, kind="strength", heading=f"More {number}", text="x"
        )
        point.themes.set([theme])
        point.evidence_cases.set([case])
    bigger = make_briefing("by_theme")
    with CaptureQueriesContext(connection) as large:
        client.get(f"/briefings/{bigger.pk}/preview/")
    assert len(large) == len(small)
