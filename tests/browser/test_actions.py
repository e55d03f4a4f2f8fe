"""The action plan in the browser, JavaScript off: the coordinator adds an action; the agency lead
finds it on their home page, adds a progress update and proposes completion; the coordinator
confirms it. axe checks every page."""

import datetime

from django.utils import timezone

from audits.models import Action
from audits.rounds import services
from tests import factories


def sign_out(visitor):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.get_by_role("button", name="Sign out").first.click()


def test_lead_updates_and_proposes_completion_then_coordinator_confirms(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(
        email="coordinator@example.test", full_name="Cora Ordinator", role="Coordinator"
    )
    agency_a = factories.AgencyFactory(name="Agency A Children's Services", short_name="Agency A")
    lead = factories.UserFactory(email="lead.a@example.test", full_name="Lee Lead", agency=agency_a)
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    case = services.case_create(
        actor=coordinator, audit_round=audit_round, summary="Child 1.", age_band="5_9", plan_type="cin", needs=[]
    )
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_a])
    services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    factories.LearningPointFactory(case=case, round=audit_round, heading="Concerns were not escalated")
    due = timezone.localdate() + datetime.timedelta(days=5)

    # The coordinator adds the action from the round's plan; a first try without details shows errors.
    visitor.sign_in(coordinator.email)
    visitor.goto(audit_round.get_absolute_url())
    visitor.click("link", name="Agree the actions")
    visitor.click("link", name="Add an action")
    visitor.click("button", name="Save the action")
    assert "There is a problem" in page.content()
    page.get_by_label("What is to be done").fill("Brief practitioners on the escalation policy.")
    page.get_by_label("Concerns were not escalated").check()
    page.get_by_label("Agency A Children's Services").check()
    page.get_by_label("Owner, if they use this service").select_option(label="Lee Lead (Agency A)")
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    visitor.click("button", name="Save the action")
    action = Action.objects.get()
    assert "Amber" in page.locator("[data-testid=rag]").inner_text()
    assert "Due in 5 days" in page.locator("[data-testid=rag]").inner_text()
    sign_out(visitor)

    # The lead finds it among their tasks, reports progress and proposes completion.
    visitor.sign_in(lead.email)
    assert "Due in 5 days" in page.locator("[data-testid=agency-actions]").inner_text()
    visitor.click("link", name="Brief practitioners on the escalation policy.")
    visitor.click("link", name="Add a progress update")
    page.get_by_label("What has been done").fill("Briefing written; first session held.")
    visitor.click("button", name="Add the update")
    assert "Briefing written; first session held." in page.locator("[data-testid=update]").inner_text()
    assert "In progress" in page.locator("[data-testid=status]").inner_text()
    visitor.click("link", name="Propose completion")
    page.get_by_label("Evidence that the action is complete").fill("Attendance lists for four sessions.")
    visitor.click("button", name="Propose completion")
    assert "Enter the impact on children and families" in page.content()
    assert (
        page.get_by_label("Evidence that the action is complete").input_value() == "Attendance lists for four sessions."
    )
    page.get_by_label("Impact on children and families").fill("Schools now escalate within a week.")
    visitor.click("button", name="Propose completion")
    assert "Completion proposed" in page.content()
    sign_out(visitor)

    # The coordinator confirms it from the plan across rounds.
    visitor.sign_in(coordinator.email)
    visitor.click("link", name="Action plan")
    visitor.click("link", name="Brief practitioners on the escalation policy.")
    visitor.click("button", name="Confirm completion")
    assert "Complete" in page.locator("[data-testid=status]").inner_text()
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE and action.completed_by == coordinator
    assert "Cora Ordinator" in page.locator("[data-testid=history]").inner_text()
    assert "Lee Lead" in page.locator("[data-testid=history]").inner_text()
