"""Issue 4 end to end, as a new user would, without JavaScript: the coordinator records the
meeting (attendance, a strength and a finding with themes, the agreed grade) and three actions for
two agencies; one agency's lead reports progress and proposes completion; the coordinator confirms;
both action plans show it and their exports read back."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from audits.models import Action
from audits.rounds import services
from tests import factories
from tests.browser.test_actions import sign_out

ACTIONS = [
    ("Share police call-outs with the school within one working day.", "Northshire Police"),
    ("Add the escalation route to the police safeguarding briefing.", "Northshire Police"),
    ("Brief social workers on seeing children alone at every visit.", "Northshire Children's Services"),
]


def fill_date(page, day: datetime.date):
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def test_meeting_findings_actions_and_the_plans(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(
        email="coordinator@example.test", full_name="Cora Ordinator", role="Coordinator"
    )
    csc = factories.AgencyFactory(name="Northshire Children's Services", short_name="CSC")
    police = factories.AgencyFactory(name="Northshire Police", short_name="Police")
    lead = factories.UserFactory(email="police.lead@example.test", full_name="Pat Police", agency=police)
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Northshire audit of neglect")
    case = services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="Child 1 lives with their mother.",
        age_band="5_9",
        plan_type="cin",
        needs=[],
    )
    services.case_set_agencies(actor=coordinator, case=case, agencies=[csc, police])
    services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    meeting_day = timezone.localdate() + datetime.timedelta(days=3)

    # The meeting.
    visitor.sign_in(coordinator.email)
    visitor.goto(audit_round.get_absolute_url())
    visitor.click("link", name="Arrange the meeting")
    fill_date(page, meeting_day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:30")
    page.get_by_label("Place").fill("Room 2, Civic Centre")
    page.get_by_label("Chair").fill("Head of the business unit")
    visitor.click("button", name="Arrange meeting")
    visitor.click("link", name="Record attendance")
    page.get_by_role("group", name=f"Did {csc.name} attend?").get_by_label("Present").check()
    page.get_by_role("group", name=f"Did {police.name} attend?").get_by_label("Present").check()
    visitor.click("button", name="Save attendance")
    visitor.click("link", name="Case 1")
    visitor.click("link", name="Add a strength")
    page.get_by_label("Heading").fill("Child 1 was seen alone")
    page.get_by_label("Describe the strength").fill("The social worker saw Child 1 alone at every visit.")
    page.get_by_label("Voice of the child").check()
    page.get_by_label(csc.name).check()
    visitor.click("button", name="Add strength")
    visitor.click("link", name="Add a finding")
    page.get_by_label("Heading").fill("Call-outs reached the school late")
    page.get_by_label("Describe the finding").fill("Two police call-outs were not shared with the school.")
    page.get_by_label("Information sharing").check()
    page.get_by_label(police.name).check()
    visitor.click("button", name="Add finding")
    visitor.click("link", name="Record the discussion and agreed grade of Case 1")
    page.get_by_label("Requires improvement").check()
    page.get_by_label("Reasons for the grade").fill("Information reached the school late.")
    visitor.click("button", name="Save")

    # Three actions for two agencies.
    for what, agency_name in ACTIONS:
        visitor.goto(reverse("audits:action-add", args=[audit_round.pk]))
        page.get_by_label("What is to be done").fill(what)
        if "call-outs" in what:
            page.get_by_label("Call-outs reached the school late").check()
        page.get_by_label(agency_name).check()
        page.get_by_label("Owner's name").fill("Named manager")
        fill_date(page, timezone.localdate() + datetime.timedelta(days=10))
        visitor.click("button", name="Save the action")
    assert Action.objects.filter(round=audit_round).count() == 3
    assert Action.objects.filter(lead_agency=police).count() == 2
    sign_out(visitor)

    # The police lead reports progress on the first action and proposes completion.
    visitor.sign_in(lead.email)
    visitor.click("link", name=ACTIONS[0][0])
    visitor.click("link", name="Add a progress update")
    page.get_by_label("What has been done").fill("Daily sharing set up with the school's safeguarding lead.")
    visitor.click("button", name="Add the update")
    visitor.click("link", name="Propose completion")
    page.get_by_label("Evidence that the action is complete").fill("Sharing log for the last month.")
    page.get_by_label("Impact on children and families").fill("Schools know about incidents the next morning.")
    visitor.click("button", name="Propose completion")
    sign_out(visitor)

    # The coordinator confirms; both plans show it.
    visitor.sign_in(coordinator.email)
    action = Action.objects.get(what=ACTIONS[0][0])
    visitor.goto(action.get_absolute_url())
    visitor.click("button", name="Confirm completion")
    visitor.goto(reverse("audits:round-actions", args=[audit_round.pk]))
    row = page.locator("tbody tr").filter(has_text=ACTIONS[0][0])
    assert "Complete" in row.inner_text()
    visitor.goto(reverse("audits:action-list"))
    assert "Complete" in page.locator("tbody tr").filter(has_text=ACTIONS[0][0]).inner_text()

    # The exports are made in the background, and open and read back once ready.
    def download(plan, button):
        visitor.goto(plan)
        visitor.click("button", name=button)
        assert "Ready" in page.get_by_test_id("export-status").inner_text()
        link = page.locator("[data-testid=export-status] a.govuk-button")
        response = page.request.get(visitor.base_url + link.get_attribute("href"))
        assert response.ok
        return response.body()

    round_plan = reverse("audits:round-actions", args=[audit_round.pk])
    rows = list(csv.reader(io.StringIO(download(round_plan, "Download as CSV").decode("utf-8-sig"))))
    assert any(ACTIONS[0][0] in cell for row in rows for cell in row)
    workbook = load_workbook(
        io.BytesIO(download(reverse("audits:action-list"), "Download as Excel (.xlsx)")), read_only=True
    )
    values = [str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert all(any(what in value for value in values) for what, _ in ACTIONS)
    pdf = PdfReader(io.BytesIO(download(round_plan, "Download as PDF")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Share police call-outs" in text
