"""Chasing returns in Chromium: the completion page and the home task lists pass axe."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditTool, Chronology
from audits.rounds import services
from tests import factories


def build(coordinator):
    agency_a = factories.AgencyFactory(name="Northvale Children's Services", short_name="NV CSC")
    agency_b = factories.AgencyFactory(name="Northvale Police", short_name="NV Police")
    lead = factories.UserFactory(email="lead.a@example.test", agency=agency_a, agency_role="lead")
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    for agencies in ([agency_a, agency_b], [agency_a]):
        case = services.case_create(
            actor=coordinator,
            audit_round=audit_round,
            summary="Child lives with a grandparent.",
            age_band="5_9",
            plan_type="cin",
            needs=[],
        )
        services.case_set_agencies(actor=coordinator, case=case, agencies=agencies)
    services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    past = timezone.localdate() - datetime.timedelta(days=2)
    AuditTool.objects.filter(agency=agency_a).update(due_date=past)
    Chronology.objects.filter(agency=agency_a, case__number=1).update(status="returned")
    return audit_round, lead


def test_completion_and_home_pages(visitor):
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    audit_round, _ = build(coordinator)
    assert [m.to for m in mail.outbox] == [["lead.a@example.test"]]  # the invitation, on commit
    visitor.sign_in(coordinator.email)
    visitor.goto(reverse("home"))
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.locator(f'a[href="{reverse("audits:round-completion", args=[audit_round.pk])}"]').click()
    visitor.check()
    assert visitor.page.get_by_role("heading", name="Returns from agencies").is_visible()
    assert visitor.page.get_by_text("Not taking part").is_visible()
    visitor.goto(audit_round.get_absolute_url())


def test_lead_home_without_javascript(visitor_without_js):
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    _, lead = build(coordinator)
    visitor_without_js.sign_in(lead.email)
    visitor_without_js.goto(reverse("home"))
    page = visitor_without_js.page
    assert page.get_by_role("link", name="Audit tool: Case 1").is_visible()
    assert page.get_by_text("Returned for changes").is_visible()
    assert page.get_by_text("Overdue").first.is_visible()
