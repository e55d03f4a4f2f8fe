"""An agency drafts, submits and resubmits its audit tool and chronology; the coordinator returns
and accepts them; the completion matrix shows each step. Agency pages run without JavaScript."""

from pathlib import Path

from django.urls import reverse

from audits.models import AuditTool, Chronology, TemplateQuestion
from audits.rounds import services
from tests import factories

SAMPLE = Path(__file__).resolve().parents[2] / "static" / "samples" / "chronology-sample.xlsx"


def build(coordinator):
    agency_a = factories.AgencyFactory(name="Agency A Children's Services", short_name="Agency A")
    agency_b = factories.AgencyFactory(name="Agency B Police", short_name="Agency B")
    lead = factories.UserFactory(email="lead.a@example.test", full_name="Lee Lead", agency=agency_a)
    auditor = factories.UserFactory(
        email="auditor.a@example.test", full_name="Ari Auditor", agency=agency_a, agency_role="auditor"
    )
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    case = services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="Child 1 lives with a parent.",
        age_band="5_9",
        plan_type="cin",
        needs=[],
    )
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_a, agency_b])
    services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    return audit_round, case, lead, auditor, agency_a


def sign_out(visitor):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.get_by_role("button", name="Sign out").first.click()


def completion_cell(visitor, audit_round):
    visitor.goto(reverse("audits:round-completion", args=[audit_round.pk]))
    row = visitor.page.locator("tbody tr").filter(has_text="Case 1").first
    return row.locator("td").first.inner_text()


def fill_tool(visitor, tool):
    page = visitor.page
    for section in tool.template_version.sections.all():
        visitor.goto(reverse("audits:tool-section", args=[tool.pk, section.pk]))
        for question in section.questions.all():
            if question.kind == TemplateQuestion.Kind.TEXT:
                page.locator(f"textarea[name=q{question.pk}_text]").fill(f"Our answer to: {question.prompt}")
            else:
                page.locator(f"input[name=q{question.pk}_choice]").first.check()
                page.locator(f"textarea[name=q{question.pk}_text]").fill("Seen in the case records.")
        visitor.click("button", name="Save and continue")


def test_tool_and_chronology_lifecycle_in_the_browser(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    audit_round, case, lead, auditor, agency_a = build(coordinator)
    tool = AuditTool.objects.get(case=case, agency=agency_a)
    chronology = Chronology.objects.get(case=case, agency=agency_a)

    # The auditor drafts the tool and imports the chronology from the sample spreadsheet.
    visitor.sign_in(auditor.email)
    visitor.goto(case.get_absolute_url())
    visitor.click("link", name="Audit tool of Agency A Children's Services")
    assert "Not yet started" in page.content()
    fill_tool(visitor, tool)
    assert "Check your answers" in page.content()
    visitor.goto(chronology.get_absolute_url())
    visitor.click("link", name="Import from a spreadsheet")
    page.get_by_label("Upload the chronology file").set_input_files(SAMPLE)
    page.get_by_label("Add them to the chronology").check()
    visitor.click("button", name="Upload and check the file")
    assert chronology.entries.count() == 0  # a preview first: nothing changes until confirmed
    visitor.click("button", name="Import the rows")
    assert chronology.entries.count() >= 5
    sign_out(visitor)

    visitor.sign_in(coordinator.email)
    assert completion_cell(visitor, audit_round).count("Draft") == 2
    sign_out(visitor)

    # The lead submits both.
    visitor.sign_in(lead.email)
    visitor.goto(reverse("audits:tool-check", args=[tool.pk]))
    visitor.click("button", name="Submit audit tool")
    visitor.goto(chronology.get_absolute_url())
    visitor.click("button", name="Submit chronology")
    sign_out(visitor)

    # The coordinator returns the tool with a comment.
    visitor.sign_in(coordinator.email)
    assert completion_cell(visitor, audit_round).count("Submitted") == 2
    visitor.goto(tool.get_absolute_url())
    visitor.click("link", name="Review and accept or return")
    visitor.click("link", name="Return for changes")
    page.get_by_label("Overall comment").fill("Please add evidence for the overall grade.")
    visitor.click("button", name="Continue")
    visitor.click("button", name="Yes, return the audit tool")
    assert "Returned for changes" in completion_cell(visitor, audit_round)
    sign_out(visitor)

    # The lead sees the comment and resubmits.
    visitor.sign_in(lead.email)
    visitor.goto(tool.get_absolute_url())
    assert "Please add evidence for the overall grade." in page.content()
    visitor.goto(reverse("audits:tool-check", args=[tool.pk]))
    visitor.click("button", name="Submit audit tool")
    sign_out(visitor)

    # The coordinator accepts both.
    visitor.sign_in(coordinator.email)
    for item, label in ((tool, "audit tool"), (chronology, "chronology")):
        visitor.goto(item.get_absolute_url())
        visitor.click("link", name="Review and accept or return")
        visitor.click("link", name="Accept")
        visitor.click("button", name=f"Yes, accept the {label}")
    assert completion_cell(visitor, audit_round).count("Accepted") == 2


def test_two_people_saving_the_same_section_see_the_conflict(visitor, browser, live_server):
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    _round, case, lead, auditor, agency_a = build(coordinator)
    tool = AuditTool.objects.get(case=case, agency=agency_a)
    section = tool.template_version.sections.first()
    question = section.questions.first()
    url = live_server.url + reverse("audits:tool-section", args=[tool.pk, section.pk])

    second_context = browser.new_context()
    second = second_context.new_page()
    try:
        visitor.sign_in(auditor.email)
        second.goto(live_server.url + reverse("sign-in"))
        second.get_by_label("E-mail address").fill(lead.email)
        second.get_by_label("Password").fill(factories.PASSWORD)
        with second.expect_navigation(wait_until="load"):
            second.get_by_role("button", name="Sign in").click()

        visitor.page.goto(url)
        second.goto(url)
        visitor.page.locator(f"textarea[name=q{question.pk}_text]").fill("The auditor's account of our work.")
        second.locator(f"textarea[name=q{question.pk}_text]").fill("The lead's account of our work.")
        with visitor.page.expect_navigation(wait_until="load"):
            visitor.page.get_by_role("button", name="Save as draft").click()
        with second.expect_navigation(wait_until="load"):
            second.get_by_role("button", name="Save as draft").click()

        assert "Someone else saved this section" in second.locator(".govuk-error-summary").inner_text()
        conflict = second.get_by_test_id("conflict").inner_text()
        assert "The auditor's account of our work." in conflict
        assert second.locator(f"textarea[name=q{question.pk}_text]").input_value() == "The lead's account of our work."
        visitor.page = second
        visitor.check()
        assert tool.answers.get(question=question).text == "The auditor's account of our work."
    finally:
        second_context.close()
