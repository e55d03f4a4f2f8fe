"""A briefing in the browser, JavaScript off, from draft to the practitioners who read it.

The coordinator drafts a learning summary (sections chosen on the composer, the preview shows a
strength citing two cases and bold text), sends it for approval (the guard first refuses it and
says where, without the name), and cannot approve it herself with four eyes on. A board approver
approves and publishes it. The CSC lead reads the published briefing and its learning in the
library; the board viewer's home lists it, and the library never shows an open round's finding.
axe checks every page."""

import io

from pypdf import PdfReader

from audits.models import LearningPoint
from audits.rounds import services
from briefings.models import Briefing
from tests import factories

Kind = LearningPoint.Kind


def sign_out(visitor):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.get_by_role("button", name="Sign out").first.click()


def click_in_main(visitor, role, name):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.locator("#main-content").get_by_role(role, name=name, exact=True).click()
    visitor.check()


def _case(coordinator, audit_round, agency, summary):
    case = services.case_create(
        actor=coordinator, audit_round=audit_round, summary=summary, age_band="5_9", plan_type="cin", needs=[]
    )
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency])
    return case


def _point(audit_round, kind, heading, text, cases):
    point = factories.LearningPointFactory(
        round=audit_round, case=cases[0] if len(cases) == 1 else None, kind=kind, heading=heading, text=text
    )
    point.evidence_cases.set(cases)
    return point


def _pdf_text(download) -> str:
    with open(download.value.path(), "rb") as handle:
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


def test_drafted_signed_off_by_the_board_and_read_by_practitioners(visitor_without_js, settings):
    settings.BRIEFING_FOUR_EYES = True
    visitor = visitor_without_js
    page = visitor.page
    coordinator = factories.UserFactory(
        email="coordinator@example.test", full_name="Cora Ordinator", role="Coordinator"
    )
    approver = factories.UserFactory(email="approver@example.test", full_name="Bea Approver", role="Board approver")
    board = factories.UserFactory(email="board@example.test", full_name="Bo Ard", role="Board viewer")
    csc = factories.AgencyFactory(name="Children's Social Care", short_name="CSC")
    lead = factories.UserFactory(email="csc.lead@example.test", full_name="Lee Lead", agency=csc)
    audit_round = factories.AuditRoundFactory(
        created_by=coordinator, title="Audit of neglect", theme="Neglect and the lived experience of the child"
    )
    case1 = _case(coordinator, audit_round, csc, "Child 1 lives with a grandparent.")
    case2 = _case(coordinator, audit_round, csc, "Child 2 was referred by the school.")
    factories.RestrictedIdentifiersFactory(case=case1, child_name="Ottoline Vexbury")
    factories.MeetingFactory(round=audit_round)

    _point(
        audit_round, Kind.STRENGTH, "Seen alone", "Both children were **seen alone** at every visit.", [case1, case2]
    )
    finding = _point(audit_round, Kind.FINDING, "No lead named", "Ottoline had no named lead.", [case1])
    _point(audit_round, Kind.KEY_MESSAGE, "Name a lead", "Every plan names its lead professional.", [])
    open_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of exploitation")
    open_case = _case(coordinator, open_round, csc, "Child 1 of the open round.")
    _point(open_round, Kind.FINDING, "Unpublished", "A finding the meeting has not agreed yet.", [open_case])

    # The coordinator drafts.
    visitor.sign_in(coordinator.email)
    visitor.goto(audit_round.get_absolute_url())
    click_in_main(visitor, "link", "Write and publish a briefing")
    page.get_by_label("Learning summary by theme").check()
    page.get_by_label("Title").fill("Neglect: what we learnt")
    page.get_by_label("No marking (for every practitioner)").check()
    visitor.click("button", name="Create the briefing")
    briefing = Briefing.objects.get()

    visitor.click("link", name="Choose the sections and the learning")
    assert "Not in the briefing" in page.content()
    page.get_by_label("Add a section").select_option(label="Actions agreed")
    visitor.click("button", name="Add the section")
    assert "Actions agreed" in page.locator("#sections").locator("xpath=..").inner_text()
    visitor.click("button", name="Save your choices")

    visitor.click("link", name="Preview the briefing")
    content = page.locator(".briefing-content")
    assert "Neglect and the lived experience of the child" in content.inner_text()
    assert "(Cases 1 and 2)" in content.inner_text()
    assert "seen alone" in content.locator("strong").all_inner_texts()
    assert "Name a lead" in content.inner_text() and "No lead named" in content.inner_text()
    visitor.click("link", name="Back to the briefing")

    # The guard refuses to send it, and says where without the name.
    visitor.click("button", name="Send for approval")
    visitor.click("button", name="Yes, send for approval")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "contains a child's name" in summary and "Ottoline" not in summary
    finding.text = "The child had no named lead."
    finding.save()
    visitor.goto(briefing.get_absolute_url())
    visitor.click("button", name="Send for approval")
    visitor.click("button", name="Yes, send for approval")
    briefing.refresh_from_db()
    assert briefing.is_awaiting

    # With four eyes on, the author cannot approve her own briefing, even by going to the page.
    main = page.locator("#main-content")
    assert main.get_by_role("button", name="Approve", exact=True).count() == 0
    visitor.goto(f"/briefings/{briefing.pk}/approve/")
    assert page.get_by_role("button", name="Yes, approve the briefing").count() == 0
    assert "approve" in page.locator("#main-content").inner_text().lower()
    sign_out(visitor)

    # A board approver approves and publishes.
    visitor.sign_in(approver.email)
    assert "Neglect: what we learnt" in page.locator("#main-content").inner_text()
    with page.expect_navigation(wait_until="load"):
        page.locator("#main-content").get_by_role("link", name="Neglect: what we learnt", exact=True).click()
    visitor.check()
    visitor.click("button", name="Approve", exact=True)
    visitor.click("button", name="Yes, approve the briefing")
    visitor.click("button", name="Publish", exact=True)
    visitor.click("button", name="Yes, publish the briefing")
    briefing.refresh_from_db()
    assert briefing.is_published and briefing.approved_by == approver
    sign_out(visitor)

    # The CSC lead reads the briefing and its learning.
    visitor.sign_in(lead.email)
    visitor.click("link", name="Briefings", exact=True)
    click_in_main(visitor, "link", "Neglect: what we learnt")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 1 (PDF) of Neglect: what we learnt").click()
    text = _pdf_text(download)
    assert "DRAFT" not in text and "OFFICIAL" not in text and "Version 1, published" in text
    visitor.click("link", name="Learning library", exact=True)
    library = page.locator("#main-content").inner_text()
    assert "Seen alone" in library and "Name a lead" in library
    assert "A finding the meeting has not agreed yet." not in library
    sign_out(visitor)

    # The board viewer's home lists it; the library holds no unpublished finding.
    visitor.sign_in(board.email)
    assert "Neglect: what we learnt" in page.locator("#main-content").inner_text()
    visitor.click("link", name="Learning library", exact=True)
    library = page.locator("#main-content").inner_text()
    assert "Seen alone" in library
    assert "A finding the meeting has not agreed yet." not in library and "Unpublished" not in library
    assert visitor.checked, "axe ran on every page visited"
