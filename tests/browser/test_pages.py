"""Every page of the service, visited in Chromium by each kind of user, passes axe (WCAG 2.2 AA)."""

from django.urls import reverse

from audits.rounds import services
from tests import factories


def build_round(coordinator, agency_a, agency_b):
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    case = services.case_create(
        actor=coordinator,
        audit_round=audit_round,
        summary="Child 1 lives with a grandparent.",
        age_band="5_9",
        plan_type="cin",
        needs=[],
        child_name="Fictional Name",
        record_numbers="CSC 1",
    )
    services.case_set_agencies(actor=coordinator, case=case, agencies=[agency_a, agency_b])
    audit_round = services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    return audit_round, case


def test_coordinator_pages(visitor):
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    agency_a, agency_b = factories.AgencyFactory(), factories.AgencyFactory()
    audit_round, case = build_round(coordinator, agency_a, agency_b)
    services.draw_preview(
        actor=coordinator,
        audit_round=audit_round,
        data=b"reference,child_name,date_of_birth,plan_type\n"
        b"R1,Fictional Person,01/01/2015,CIN\nR2,Fictional Other,02/02/2016,CP\n",
        file_name="list.csv",
        number_of_cases=1,
        strata=[],
        seed=5,
    )
    draw = audit_round.draws.get()
    visitor.sign_in(coordinator.email)
    for url in [
        reverse("audits:round-list"),
        reverse("audits:round-plan"),
        reverse("audits:round-plan-details", args=[audit_round.area_id]),
        audit_round.get_absolute_url(),
        reverse("audits:round-edit", args=[audit_round.pk]),
        reverse("audits:round-history", args=[audit_round.pk]),
        reverse("audits:case-add", args=[audit_round.pk]),
        reverse("audits:draw-start", args=[audit_round.pk]),
        reverse("audits:draw-preview", args=[audit_round.pk, draw.pk]),
        case.get_absolute_url(),
        reverse("audits:case-edit", args=[audit_round.pk, 1]),
        reverse("audits:case-agencies", args=[audit_round.pk, 1]),
        reverse("audits:case-identifiers", args=[audit_round.pk, 1]),
        reverse("audits:case-identifiers-edit", args=[audit_round.pk, 1]),
        "/rounds/999999/",
    ]:
        visitor.goto(url)
    # Forms with errors.
    visitor.goto(reverse("audits:case-add", args=[audit_round.pk]))
    visitor.click("button", name="Add case")
    assert visitor.page.locator(".govuk-error-summary").is_visible()
    visitor.goto(reverse("audits:round-edit", args=[audit_round.pk]))
    visitor.page.get_by_role("group", name="Date of the multi-agency meeting").get_by_label("Day").fill("40")
    visitor.click("button", name="Save changes")
    assert "must be a real date" in visitor.page.locator(".govuk-error-summary").inner_text()


def test_agency_lead_and_board_pages(visitor):
    coordinator = factories.UserFactory(role="Coordinator")
    agency_a, agency_b = factories.AgencyFactory(), factories.AgencyFactory()
    audit_round, case = build_round(coordinator, agency_a, agency_b)
    lead = factories.UserFactory(email="lead@example.test", agency=agency_a)
    visitor.sign_in(lead.email)
    for url in [reverse("audits:round-list"), audit_round.get_absolute_url(), case.get_absolute_url()]:
        visitor.goto(url)
    visitor.goto(reverse("audits:round-edit", args=[audit_round.pk]))
    assert "You cannot do this" in visitor.page.content()
    visitor.click("button", name="Sign out")

    board = factories.UserFactory(email="board@example.test", role="Board viewer")
    visitor.sign_in(board.email)
    visitor.goto(reverse("audits:round-list"))


def test_signed_out_pages(visitor):
    factories.UserFactory(email="someone@example.test")
    for url in [
        reverse("sign-in"),
        reverse("password-reset"),
        reverse("password-reset-sent"),
        reverse("password-reset-complete"),
        "/password-reset/x/y/",
    ]:
        visitor.goto(url)
    visitor.goto(reverse("sign-in"))
    visitor.click("button", name="Sign in")
    assert visitor.page.locator(".govuk-error-summary").is_visible()
    for _ in range(5):
        visitor.page.get_by_label("E-mail address").fill("someone@example.test")
        visitor.page.get_by_label("Password").fill("wrong password")
        visitor.click("button", name="Sign in")
    assert "Your account is locked" in visitor.page.content()
