"""Reflective questions and resource links are typed one per line; each wrong line is named."""

import pytest
from django.core.exceptions import ValidationError

from audits.learning.forms import parse_links, parse_questions


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
