"""The round page's stage task list in Chromium: axe-clean at 1280 px and 375 px, "what to do
next" leads to the task, and the completion page's agency table sorts by column links."""

from django.urls import reverse

from audits.models import AuditTool, WorkStatus
from audits.rounds import services
from tests import factories


def build(coordinator):
    agency_a = factories.AgencyFactory(name="Northvale Children's Services", short_name="NV CSC")
    agency_b = factories.AgencyFactory(name="Northvale Police", short_name="NV Police")
    factories.UserFactory(email="lead.a@example.test", agency=agency_a, agency_role="lead")
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
    return audit_round, agency_b


def test_the_round_page_task_list(visitor):
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    audit_round, agency_b = build(coordinator)
    page = visitor.page
    visitor.sign_in(coordinator.email)

    # Planned, with cases and agencies: next is opening the round.
    visitor.goto(audit_round.get_absolute_url())
    next_task = page.get_by_test_id("next-task")
    assert next_task.get_by_role("link", name="Open the round and send the invitations").is_visible()
    assert page.locator(".govuk-task-list").count() == 9
    assert page.get_by_text("Cannot start yet").first.is_visible()

    # Open, with some returns handed in.
    services.round_advance(actor=coordinator, audit_round=audit_round, from_status="planning")
    AuditTool.objects.filter(agency=agency_b).update(status=WorkStatus.SUBMITTED)
    visitor.goto(audit_round.get_absolute_url())
    assert page.get_by_text("16% handed in, 0 of 6 accepted").first.is_visible()
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        visitor.goto(audit_round.get_absolute_url())
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 12)"""
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    with page.expect_navigation(wait_until="load"):
        page.get_by_test_id("next-task").get_by_role("link").click()
    visitor.check()
    assert page.get_by_role("heading", name="Returns from agencies").is_visible()

    # The agency table sorts by percent returned, without JavaScript needed (plain links).
    table = page.get_by_test_id("agency-returns")
    assert table.locator("tbody th").all_inner_texts() == ["Northvale Children's Services", "Northvale Police"]
    visitor.click("link", name="Returned (sort ascending)")
    visitor.click("link", name="Returned (sort descending)")
    table = page.get_by_test_id("agency-returns")
    assert table.locator("tbody th").all_inner_texts() == ["Northvale Police", "Northvale Children's Services"]
    assert table.locator('th[aria-sort="descending"]').inner_text().startswith("Returned")
    assert reverse("audits:round-completion", args=[audit_round.pk]) in page.url
