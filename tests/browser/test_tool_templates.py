"""A coordinator adds a question to a template's section and moves it up, in Chromium, with axe
on every page: once with JavaScript and once without."""

import pytest

from audits.models import ToolTemplate
from tests import factories

PROMPT = "Did practitioners consider the family's culture and faith?"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_coordinator_adds_a_question_and_moves_it_up(transactional_db, request, javascript):
    visitor = request.getfixturevalue("visitor" if javascript else "visitor_without_js")
    page = visitor.page
    coordinator = factories.UserFactory(email="coordinator@example.test", full_name="Casey Coord", role="Coordinator")
    template = ToolTemplate.objects.get(is_default=True)
    section = template.current_version.sections.get(position=2)
    before = list(section.questions.values_list("prompt", flat=True))

    visitor.sign_in(coordinator.email)
    visitor.click("link", name="Settings")
    visitor.click("link", name="Audit tool templates")
    visitor.click("link", name=template.name)
    visitor.click("link", name="Add a question to section 2")

    # Nothing filled in: the error summary comes first and what was chosen stays chosen.
    page.get_by_label("Yes, partly, no or not applicable").check()
    visitor.click("button", name="Add question")
    assert "Enter the question" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Yes, partly, no or not applicable").is_checked()

    page.get_by_label("Question", exact=True).fill(PROMPT)
    page.get_by_label("Guidance (optional)").fill("Think about what mattered to the family.")
    page.get_by_role("group", name="Must agencies answer it before they submit?").get_by_label("No").check()
    visitor.click("button", name="Add question")
    assert "Question added." in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#question-2-3").get_by_text(PROMPT).is_visible()

    visitor.click("button", name="Move up question 3 in section 2")
    assert "Question moved up." in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#question-2-2").get_by_text(PROMPT).is_visible()

    prompts = list(section.questions.order_by("position").values_list("prompt", flat=True))
    assert prompts == [before[0], PROMPT, before[1]]
    added = section.questions.get(prompt=PROMPT)
    assert (added.kind, added.required) == ("yes_no", False)
    assert template.versions.count() == 1, "nothing used version 1, so it was edited in place"
