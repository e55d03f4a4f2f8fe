"""Reflective questions and resource links are typed one per line; each wrong line is named.
Several points are typed as one list, one point per top-level item."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from audits.learning.forms import (
    ITEM_START,
    SEVERAL_MAX,
    TEXT_MAX,
    parse_items,
    parse_links,
    parse_questions,
    split_items,
)


def test_questions_keep_their_order_and_skip_empty_lines():
    text = "  What did Child 1 say?  \n\n\nWho checked   the plan?\r\n"
    assert parse_questions(text) == ["What did Child 1 say?", "Who checked the plan?"]


def test_a_question_too_long_names_its_line():
    with pytest.raises(ValidationError) as error:
        parse_questions("Short?\n" + "x" * 501)
    assert error.value.messages == ["Line 2 of the reflective questions must be 500 characters or fewer"]


def test_links_are_title_bar_address():
    text = "Escalation policy | https://example.org/escalation\n\nTraining: fathers | http://example.org/t?a=1"
    assert parse_links(text) == [
        ("Escalation policy", "https://example.org/escalation"),
        ("Training: fathers", "http://example.org/t?a=1"),
    ]


def test_a_title_may_contain_a_bar():
    assert parse_links("Policy | part 2 | https://example.org/p") == [("Policy | part 2", "https://example.org/p")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Just a title", "Line 2 of the resource links must be a title, then a | and the web address"),
        ("| https://example.org", "Line 2 of the resource links must be a title"),
        ("Policy | example.org/policy", "Line 2 of the resource links: enter the web address in full"),
        ("Policy | javascript:alert(1)", "Line 2 of the resource links: enter the web address in full"),
        ("Policy | ftp://example.org/file", "Line 2 of the resource links: enter the web address in full"),
    ],
)
def test_a_wrong_link_names_its_line(line, message):
    with pytest.raises(ValidationError) as error:
        parse_links(f"Good | https://example.org\n{line}")
    assert len(error.value.messages) == 1
    assert error.value.messages[0].startswith(message)


# Several points typed as one list ------------------------------------------------------------------


def test_each_top_level_item_is_a_point_whatever_its_marker():
    text = "- First point\n* Second point\n1. Third point\n12) Fourth point\n"
    assert split_items(text) == ("", ["First point", "Second point", "Third point", "Fourth point"])


def test_lines_that_start_no_item_continue_the_one_above_and_nested_lists_stay_inside():
    text = (
        "- The school **shared** its worries\n"
        "  the same day.\n"
        "  - with the GP\n"
        "    - by phone\n"
        "  - with the police\n"
        "\n"
        "- Second\n"
        "\n"
        "  A second paragraph of it.\n"
    )
    assert split_items(text)[1] == [
        "The school **shared** its worries\nthe same day.\n- with the GP\n  - by phone\n- with the police",
        "Second\n\nA second paragraph of it.",
    ]


def test_bold_and_negative_numbers_do_not_start_items():
    assert split_items("- **Bold** start\n**Still** the first\n-5 degrees too\n2026. was a year")[1] == [
        "**Bold** start\n**Still** the first\n-5 degrees too\n2026. was a year"
    ]


def test_text_before_the_first_item_and_empty_items():
    assert split_items("Strengths:\n- One\n-\n- \n*\tTwo") == ("Strengths:", ["One", "Two"])
    assert split_items("") == ("", [])


def test_parse_items_names_each_problem():
    with pytest.raises(ValidationError, match="Enter at least one finding"):
        parse_items("-\n\n", noun="finding")
    with pytest.raises(ValidationError, match="the text before the first finding is not in the list"):
        parse_items("Findings\n- One", noun="finding")
    with pytest.raises(ValidationError) as error:
        parse_items(f"- short\n- {'x' * (TEXT_MAX + 1)}", noun="strength")
    assert error.value.messages == [f"Strength 2 must be {TEXT_MAX} characters or fewer: it has {TEXT_MAX + 1}"]
    with pytest.raises(ValidationError, match=f"Enter up to {SEVERAL_MAX} at a time"):
        parse_items("\n".join(f"- {n}" for n in range(SEVERAL_MAX + 1)), noun="strength")


# One line of an item: words that never start with a marker, never blank.
WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1)
LINE = WORD.map(str.strip).filter(lambda line: line and line[0] not in "-*0123456789" and "\r" not in line)


@given(st.lists(LINE, min_size=1, max_size=8), st.sampled_from(["- ", "* ", "1. ", "3) "]))
def test_a_flat_list_gives_back_its_items(items, marker):
    assert split_items("\n".join(marker + item for item in items)) == ("", items)


@given(st.lists(st.tuples(LINE, st.lists(LINE, max_size=3)), min_size=1, max_size=6))
def test_nested_items_stay_with_their_item_and_nothing_is_lost(items):
    source = "\n".join("\n".join([f"- {first}", *(f"  - {sub}" for sub in subs)]) for first, subs in items)
    before, texts = split_items(source)
    assert before == ""
    assert texts == ["\n".join([first, *(f"- {sub}" for sub in subs)]) for first, subs in items]


@given(st.text(alphabet=st.sampled_from("-*1.) \t\nab"), max_size=200) | st.text(max_size=200))
def test_only_the_item_markers_are_dropped(source):
    before, texts = split_items(source)
    assert all(text and text == text.strip() for text in texts)
    lines = source.expandtabs(4).splitlines()
    typed = "".join(line[match.end() :] if (match := ITEM_START.match(line)) else line for line in lines)
    assert "".join((before + "".join(texts)).split()) == "".join(typed.split())
