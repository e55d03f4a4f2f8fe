"""A PDF and an export whose task failed (its worker kept dying), in the browser without
JavaScript: each page says it failed and why, and "Try again" makes it. axe checks every page."""

from briefings import services as briefing_services
from briefings.models import Briefing, BriefingRender
from exports.models import Export
from tests import factories

REASON = "The task worker stopped 3 times while it was being made."


def test_a_failed_pdf_and_a_failed_export_are_tried_again(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(
        email="coordinator@example.test", full_name="Cora Ordinator", role="Coordinator"
    )
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    briefing = briefing_services.briefing_create(
        actor=coordinator, rounds=[audit_round], briefing_format=Briefing.Format.SIX_STEP, title="Neglect briefing"
    )
    BriefingRender.objects.create(
        briefing=briefing, requested_by=coordinator, state=BriefingRender.State.FAILED, failure=REASON
    )
    export = Export.objects.create(
        kind=Export.Kind.ACTION_PLAN,
        params={"format": "csv", "filters": {}},
        title="Action plan across rounds (CSV)",
        requested_by=coordinator,
        state=Export.State.FAILED,
        failure=REASON,
    )

    visitor.sign_in(coordinator.email)
    visitor.goto(briefing.get_absolute_url())
    failed = page.get_by_test_id("render-failed")
    assert "Failed" in failed.inner_text() and REASON in failed.inner_text()
    visitor.click("button", name="Try again to make the PDF")
    assert "Download the PDF" in page.locator("#main-content").inner_text()

    visitor.goto(export.get_absolute_url())
    status = page.get_by_test_id("export-status").inner_text()
    assert REASON in status and "Try again" in status
    visitor.click("button", name="Try again")
    assert "Ready" in page.get_by_test_id("export-state").inner_text()
