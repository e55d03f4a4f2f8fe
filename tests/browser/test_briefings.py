"""A briefing in the browser, JavaScript off: the coordinator creates a 6 step briefing for a round
with meeting learning, previews it, makes its PDF, approves and publishes it; a board viewer finds
it under "Briefings" and downloads it. axe checks every page."""

from audits.models import LearningPoint
from audits.rounds import services
from briefings.models import Briefing
from tests import factories


def sign_out(visitor):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.get_by_role("button", name="Sign out").first.click()


def click_in_main(visitor, role, name):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.locator("#main-content").get_by_role(role, name=name).click()
    visitor.check()


def test_coordinator_publishes_a_six_step_briefing_and_the_board_downloads_it(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(
        email="coordinator@example.test", full_name="Cora Ordinator", role="Coordinator"
    )
    board = factories.UserFactory(email="board@example.test", full_name="Bo Ard", role="Board viewer")
    agency = factories.AgencyFactory(name="Agency A Children's Services", short_name="Agency A")
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    case = services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="Child 1 lives with a grandparent.",
        age_band="5_9",
        plan_type="cin",
        needs=[],
    )
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency])
    factories.RestrictedIdentifiersFactory(case=case, child_name="Ottoline Vexbury")
    factories.MeetingFactory(round=audit_round)
    factories.LearningPointFactory(
        case=case, kind=LearningPoint.Kind.STRENGTH, heading="Seen alone", text="The child was seen alone."
    )
    finding = factories.LearningPointFactory(
        case=case, kind=LearningPoint.Kind.FINDING, heading="No lead named", text="Ottoline had no named lead."
    )
    factories.LearningPointFactory(
        round=audit_round, kind=LearningPoint.Kind.RECOMMENDATION, heading="Name a lead", text="Always name one."
    )

    visitor.sign_in(coordinator.email)
    visitor.goto(audit_round.get_absolute_url())
    click_in_main(visitor, "link", "Briefings")
    page.get_by_label("6 step briefing").check()
    page.get_by_label("Title").fill("Neglect audit: 6 step briefing")
    visitor.click("button", name="Create the briefing")
    briefing = Briefing.objects.get()

    visitor.click("link", name="Preview the briefing")
    headings = page.locator("h2").all_inner_texts()
    assert [h for h in headings if h[:2] in {"1.", "2.", "3.", "4.", "5.", "6."}] == [
        "1. Theme and cases",
        "2. Process",
        "3. Strengths identified per case",
        "4. Findings identified per case",
        "5. Recommendations across the cases",
        "6. Good practice",
    ]
    assert "Ottoline had no named lead." in page.content()
    visitor.click("link", name="Back to the briefing")

    # The guard refuses approval and says where, without the name.
    visitor.click("button", name="Approve")
    visitor.click("button", name="Yes, approve the briefing")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Finding 1, text: contains a child's name" in summary and "Ottoline" not in summary
    finding.text = "The child had no named lead."
    finding.save()

    visitor.click("button", name="Make the PDF")
    assert "Ready" in page.content()
    visitor.click("button", name="Approve")
    visitor.click("button", name="Yes, approve the briefing")
    assert "Approved" in page.locator(".govuk-summary-list").inner_text()
    visitor.click("button", name="Publish")
    visitor.click("button", name="Yes, publish the briefing")
    assert "Download version 1 (PDF)" in page.content()
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED
    sign_out(visitor)

    visitor.sign_in(board.email)
    visitor.click("link", name="Briefings")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 1 of Neglect audit: 6 step briefing (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
