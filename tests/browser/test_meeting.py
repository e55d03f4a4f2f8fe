"""A coordinator records the multi-agency meeting in Chromium with JavaScript off: arranges it,
records attendance, adds a strength and a finding with practice themes to a case and sets the
agreed grade. axe checks every page."""

from audits.models import Attendance, CaseDiscussion, LearningPoint, Meeting, ToolTemplate
from tests import factories


def make_round():
    coordinator = factories.UserFactory(email="coordinator@example.test", full_name="Casey Coord", role="Coordinator")
    audit_round = factories.AuditRoundFactory(
        title="Northshire audit of neglect",
        status="open",
        created_by=coordinator,
        template_version=ToolTemplate.objects.get(is_default=True).current_version,
    )
    case = factories.CaseFactory(round=audit_round, number=1, summary="Child 1 lives with their mother and brother.")
    agencies = [
        factories.AgencyFactory(name="Northshire Children's Services", short_name="CSC"),
        factories.AgencyFactory(name="Northshire Police", short_name="Police"),
    ]
    for agency in agencies:
        factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
    return coordinator, audit_round, agencies


def test_coordinator_records_the_meeting_without_javascript(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator, audit_round, (csc, police) = make_round()

    visitor.sign_in(coordinator.email)
    visitor.goto(audit_round.get_absolute_url())
    visitor.click("link", name="Arrange the meeting")

    # The end before the start: the error summary comes first and nothing typed is lost.
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("09:00")
    page.get_by_label("Place").fill("Room 2, Civic Centre, Northshire")
    page.get_by_label("Chair").fill("Head of the business unit")
    visitor.click("button", name="Arrange meeting")
    assert "The end time must be after the start time" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Chair").input_value() == "Head of the business unit"
    page.get_by_label("End time").fill("12:30")
    visitor.click("button", name="Arrange meeting")
    assert "Meeting arranged" in page.locator(".govuk-notification-banner").inner_text()
    assert "10:00 to 12:30" in page.locator(".govuk-summary-list").first.inner_text()

    visitor.click("link", name="Record attendance")
    page.get_by_role("group", name=f"Did {csc.name} attend?").get_by_label("Present").check()
    page.get_by_label(f"Who attended from {csc.name} (optional)").fill("Team manager\nSocial worker")
    page.get_by_role("group", name=f"Did {police.name} attend?").get_by_label("Apologies").check()
    page.get_by_label(f"{police.name} sent written input with their apologies").check()
    visitor.click("button", name="Save attendance")
    assert "Attendance saved." in page.locator(".govuk-notification-banner").inner_text()
    assert "Apologies, sent written input" in page.locator("#attendance + .app-table-scroll table").inner_text()

    visitor.click("link", name="Case 1")
    assert "Not submitted" in page.locator("#grades + .app-table-scroll table").inner_text()

    visitor.click("link", name="Add a strength")
    page.get_by_label("Heading").fill("Child 1's voice was heard")
    page.get_by_label("Describe the strength").fill("The social worker saw Child 1 alone at every visit.")
    page.get_by_label("Voice of the child").check()
    page.get_by_label(csc.name).check()
    visitor.click("button", name="Add strength")
    assert "Strength added to Case 1." in page.locator(".govuk-notification-banner").inner_text()

    visitor.click("link", name="Add a finding")
    visitor.click("button", name="Add finding")
    assert "Describe the finding" in page.locator(".govuk-error-summary").inner_text()  # the heading is optional
    page.get_by_label("Heading (optional)").fill("Police information reached the conference late")
    page.get_by_label("Describe the finding").fill("Two call-outs were not shared before the conference.")
    page.get_by_label("Information sharing").check()
    page.get_by_label("Domestic abuse").check()
    page.get_by_label(police.name).check()
    visitor.click("button", name="Add finding")

    visitor.click("link", name="Record the discussion and agreed grade of Case 1")
    page.get_by_label("Discussion notes").fill("Agencies agreed the plan was clear but sharing was slow.")
    page.get_by_label("Requires improvement").check()
    page.get_by_label("Reasons for the grade").fill("Sharing between police and children's services was slow.")
    visitor.click("button", name="Save")
    assert "Requires improvement" in page.locator("#discussion + dl").inner_text()
    assert "Domestic abuse, Information sharing" in page.locator("#findings ~ .govuk-summary-card").inner_text()

    visitor.click("link", name="Multi-agency meeting")
    assert "Requires improvement" in page.locator("#agenda + .app-table-scroll table").inner_text()

    meeting = Meeting.objects.get()
    assert meeting.attendance.get(agency=police).status == Attendance.Status.APOLOGIES
    finding = LearningPoint.objects.get(kind="finding")
    assert sorted(finding.themes.values_list("name", flat=True)) == ["Domestic abuse", "Information sharing"]
    assert list(finding.agencies.all()) == [police]
    assert CaseDiscussion.objects.get().agreed_grade == "requires_improvement"
