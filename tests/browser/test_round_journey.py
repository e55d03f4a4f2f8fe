"""A round as the partnership runs it, in Chromium with JavaScript off (issue 12's journey): the
coordinator opens the round after a confirmation that names who is e-mailed and the agency with no
lead; the CSC lead gives the audit tool to the CSC auditor, who fills it and marks it ready; the lead
reads the child's details (logged) and submits; the coordinator finds it in the review queue,
returns one section with a comment (the lead is e-mailed), the lead fixes it and the coordinator
accepts. The police lead, whose agency is not in the case, gets 404 for its child's details; after
the meeting's record is complete the CSC lead sees "Child N" only. Every page passes axe."""

import datetime

from django.core import mail
from django.urls import reverse

from agencies.models import AccessEvent
from audits.models import AuditTool, TemplateQuestion
from audits.rounds import identifiers
from audits.rounds import services as round_services
from tests import factories
from tests.browser.test_returns_flow import fill_tool, sign_out

CHILD = "Robin Testchild"  # fictional


def build():
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    csc = factories.AgencyFactory(name="Example Children's Social Care", short_name="CSC")
    police = factories.AgencyFactory(name="Example Police", short_name="Police")
    health = factories.AgencyFactory(name="Example Health Visiting", short_name="Health")  # no lead
    csc_lead = factories.UserFactory(email="csc.lead@example.test", full_name="Casey Lead", agency=csc)
    csc_auditor = factories.UserFactory(
        email="csc.auditor@example.test", full_name="Avery Auditor", agency=csc, agency_role="auditor"
    )
    police_lead = factories.UserFactory(email="police.lead@example.test", full_name="Parker Lead", agency=police)
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    case_1 = round_services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="Child 1 lives with a parent.",
        age_band="5_9",
        plan_type="cin",
        needs=[],
    )
    round_services.case_set_agencies(actor=coordinator, case=case_1, agencies=[csc, health])
    case_2 = round_services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="Child 2 lives with grandparents.",
        age_band="1_4",
        plan_type="cp",
        needs=[],
    )
    round_services.case_set_agencies(actor=coordinator, case=case_2, agencies=[police])
    identifiers.identifiers_save(
        actor=coordinator,
        case=case_1,
        child_name=CHILD,
        date_of_birth=datetime.date(2019, 3, 14),
        record_numbers="CSC 445566; Police 778899",
    )
    return coordinator, audit_round, case_1, csc_lead, csc_auditor, police_lead


def test_a_round_from_opening_to_acceptance_without_javascript(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    coordinator, audit_round, case_1, csc_lead, csc_auditor, police_lead = build()

    # The coordinator opens the round: the confirmation names who is e-mailed and who cannot be.
    visitor.sign_in(coordinator.email)
    visitor.goto(audit_round.get_absolute_url())
    visitor.click("button", name="Move to the next stage: Open for returns")
    confirmation = page.locator("main").inner_text()
    assert "csc.lead@example.test" in confirmation and "police.lead@example.test" in confirmation
    assert "Example Health Visiting" in confirmation and "no active agency lead" in confirmation
    mail.outbox.clear()
    visitor.click("button", name="Yes, open the round")
    assert "Open for returns" in page.locator("main").inner_text()
    invited = sorted(address for message in mail.outbox for address in message.to)
    assert invited == ["csc.lead@example.test", "police.lead@example.test"]
    assert all(CHILD not in message.body for message in mail.outbox)
    sign_out(visitor)
    tool = AuditTool.objects.get(case=case_1, agency__short_name="CSC")

    # The CSC lead gives the tool to the auditor.
    visitor.sign_in(csc_lead.email)
    visitor.goto(tool.get_absolute_url())
    visitor.click("link", name="Assign it to an auditor")
    page.get_by_label("Avery Auditor").check()
    visitor.click("button", name="Save")
    assert "Avery Auditor" in page.get_by_test_id("assigned-to").inner_text()
    sign_out(visitor)

    # The auditor finds it in their tasks, fills it and marks it ready; the lead is e-mailed.
    visitor.sign_in(csc_auditor.email)
    assert "Assigned to you" in page.locator("main").inner_text()
    fill_tool(visitor, tool)
    visitor.goto(tool.get_absolute_url())
    mail.outbox.clear()
    visitor.click("link", name="Mark as ready for the lead")
    visitor.click("button", name="Yes, tell the lead")
    assert [message.to for message in mail.outbox] == [["csc.lead@example.test"]]
    sign_out(visitor)

    # The lead reads the child's details (logged) and submits.
    visitor.sign_in(csc_lead.email)
    assert "Ready for you to submit" in page.locator("main").inner_text()
    visitor.goto(tool.get_absolute_url())
    viewed = AccessEvent.objects.filter(kind=AccessEvent.Kind.IDENTIFIERS_VIEWED, user=csc_lead).count()
    visitor.click("link", name=f"Child's details of {case_1}")
    details = page.get_by_test_id("child-details").inner_text()
    assert CHILD in details and "14 March 2019" in details and "445566" in details
    assert "778899" not in details  # another agency's record number
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.IDENTIFIERS_VIEWED, user=csc_lead).count() == viewed + 1
    visitor.goto(reverse("audits:tool-check", args=[tool.pk]))
    visitor.click("button", name="Submit audit tool")
    assert "What happens next" in page.locator("main").inner_text()
    sign_out(visitor)

    # The coordinator finds it in the review queue and returns one section with a comment.
    section = tool.template_version.sections.order_by("position").first()
    visitor.sign_in(coordinator.email)
    queue = page.get_by_test_id("review-queue")
    assert "Case 1" in queue.inner_text() and "CSC" in queue.inner_text()
    queue.get_by_role("link").first.click()
    page.wait_for_load_state()
    visitor.check()
    visitor.click("link", name="Return for changes")
    page.get_by_label(f"{section.title} (optional)").fill("Say who saw the child, and when.")
    page.get_by_label("Overall comment").fill("One section needs more detail.")
    visitor.click("button", name="Continue")
    mail.outbox.clear()
    visitor.click("button", name="Yes, return the audit tool")
    assert [message.to for message in mail.outbox] == [["csc.lead@example.test"]]
    assert "Say who saw the child" not in mail.outbox[0].body  # comments stay in the service
    sign_out(visitor)

    # The lead sees what was returned and why, fixes the section and submits again.
    visitor.sign_in(csc_lead.email)
    visitor.goto(reverse("audits:tool-section", args=[tool.pk, section.pk]))
    assert "Say who saw the child, and when." in page.locator("main").inner_text()
    question = section.questions.filter(kind=TemplateQuestion.Kind.TEXT).first() or section.questions.first()
    page.locator(f"textarea[name=q{question.pk}_text]").fill("Seen at home by the social worker on 2 May.")
    visitor.click("button", name="Save and continue")
    visitor.goto(reverse("audits:tool-check", args=[tool.pk]))
    visitor.click("button", name="Submit audit tool")
    sign_out(visitor)

    # The coordinator accepts it.
    visitor.sign_in(coordinator.email)
    visitor.goto(tool.get_absolute_url())
    visitor.click("link", name="Review and accept or return")
    visitor.click("link", name="Accept")
    visitor.click("button", name="Yes, accept the audit tool")
    tool.refresh_from_db()
    assert tool.is_accepted
    sign_out(visitor)

    # The police lead: their agency is not in case 1, so its child's details do not exist for them.
    visitor.sign_in(police_lead.email)
    panel = reverse("audits:case-child-details", args=[audit_round.pk, case_1.number])
    response = page.goto(visitor.base_url + panel)
    assert response.status == 404
    sign_out(visitor)

    # Once the meeting's record is complete (the round moves on to learning), Child N only.
    audit_round.refresh_from_db()
    for stage in ("open", "meeting"):
        round_services.round_advance(actor=coordinator, audit_round=audit_round, from_status=stage)
        audit_round.refresh_from_db()
    visitor.sign_in(csc_lead.email)
    visitor.goto(panel)
    closed = page.get_by_test_id("child-details-closed").inner_text()
    assert "Child 1 only" in closed and CHILD not in page.content()
