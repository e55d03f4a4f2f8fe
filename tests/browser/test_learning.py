"""A coordinator turns a finding of the meeting into a key message with two reflective questions
and a link, with JavaScript off; then a board viewer finds it in the learning library and looks
at the recurring themes. axe checks every page."""

import datetime

from audits.models import LearningPoint, PracticeTheme
from briefings import services, workflow
from tests import factories
from tests.briefings.test_workflow import sign_off


def make_round():
    coordinator = factories.UserFactory(email="coordinator@example.test", full_name="Casey Coord", role="Coordinator")
    factories.UserFactory(email="board@example.test", full_name="Bo Board", role="Board viewer")
    audit_round = factories.AuditRoundFactory(
        title="Northshire audit of neglect",
        status="learning",
        created_by=coordinator,
        launch_date=datetime.date(2026, 3, 2),
    )
    case = factories.CaseFactory(round=audit_round, number=1, summary="Child 1 lives with their mother.")
    police = factories.AgencyFactory(name="Northshire Police", short_name="Police")
    factories.CaseAgencyFactory(case=case, agency=police, added_by=coordinator)
    finding = factories.LearningPointFactory(
        case=case,
        kind=LearningPoint.Kind.FINDING,
        heading="Call-outs were not shared before the conference",
        text="Two police call-outs to the home reached children's services only after the conference.",
        position=1,
    )
    finding.themes.set([PracticeTheme.objects.get(name="Information sharing")])
    finding.agencies.set([police])
    return coordinator, audit_round


def test_coordinator_turns_a_finding_into_a_key_message_and_the_board_finds_it(visitor_without_js, visitor):
    coordinator, audit_round = make_round()
    page = visitor_without_js.page

    visitor_without_js.sign_in(coordinator.email)
    visitor_without_js.goto(audit_round.get_absolute_url())
    visitor_without_js.click("link", name="Draft the learning across the cases")
    assert (
        "Call-outs were not shared before the conference"
        in page.locator("#case-1 ~ .govuk-summary-card").first.inner_text()
    )
    visitor_without_js.click("link", name="Use as the basis of a key message (finding of Case 1")

    # Pre-filled from the finding: heading, its theme, its case.
    assert page.get_by_label("Heading").input_value() == "Call-outs were not shared before the conference"
    assert page.get_by_label("Information sharing").is_checked()
    assert page.get_by_label("Case 1 (Child 1)").is_checked()

    page.get_by_label("Heading").fill("Share police call-outs before a conference")
    page.get_by_label("Describe the key message").fill(
        "Every call-out to a child's home should reach the lead professional within a day."
    )
    page.get_by_label("Reflective questions (optional)").fill(
        "Who needs to know about this call-out?\nHow will you check the information arrived?"
    )
    page.get_by_label("Policies, training and services (optional)").fill("Sharing guidance | example.org/sharing")
    visitor_without_js.click("button", name="Add key message")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Line 1 of the resource links: enter the web address in full" in summary
    assert page.get_by_label("Reflective questions (optional)").input_value().startswith("Who needs to know")

    page.get_by_label("Policies, training and services (optional)").fill(
        "Sharing guidance | https://example.org/sharing"
    )
    visitor_without_js.click("button", name="Add key message")
    assert "Key message added." in page.locator(".govuk-notification-banner").inner_text()
    card = page.locator("#key-messages ~ .govuk-summary-card").first.inner_text()
    assert "1. Share police call-outs before a conference" in card
    assert "How will you check the information arrived?" in card
    assert page.get_by_role("link", name="Sharing guidance").get_attribute("href") == "https://example.org/sharing"

    message = LearningPoint.objects.get(kind=LearningPoint.Kind.KEY_MESSAGE)
    assert [q.text for q in message.questions.all()] == [
        "Who needs to know about this call-out?",
        "How will you check the information arrived?",
    ]
    assert [c.number for c in message.evidence_cases.all()] == [1]

    # Published by the board, the learning reaches the board viewer: searched in the library,
    # counted in the recurring themes.
    approver = factories.UserFactory(email="approver@example.test", role="Board approver")
    briefing = services.briefing_create(
        actor=coordinator, rounds=[audit_round], briefing_format="by_theme", title="Call-outs"
    )
    sign_off(briefing, coordinator=coordinator, approver=approver)
    workflow.briefing_publish(actor=approver, briefing=briefing)
    board = visitor.page
    visitor.sign_in("board@example.test")
    visitor.click("link", name="Learning library", exact=True)
    board.get_by_label("Search the learning").fill("call-outs conference")
    board.get_by_label("Kind of learning").select_option(label="Key message")
    visitor.click("button", name="Search")
    results = board.locator("#results").inner_text()
    assert results == "1 result"
    assert "Share police call-outs before a conference" in board.locator(".govuk-summary-card").inner_text()
    visitor.click("link", name="See which practice themes recur year after year")
    assert "Information sharing: 0 strengths and 1 finding" in board.locator("figcaption").inner_text()
