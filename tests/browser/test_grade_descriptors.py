"""Grade descriptors and sortable tables in Chromium, without JavaScript, axe on every page: a
coordinator rewords a grade's descriptor, the agency's auditor sees it under the grade's radio
button; the action plan and the access log sort by their column links."""

import datetime

from django.urls import reverse
from django.utils import timezone

from agencies.models import AccessEvent
from audits.models import TemplateQuestion, ToolTemplate
from audits.tool_templates.descriptors import DEFAULT_DESCRIPTORS
from tests import factories
from tests.browser.test_returns_flow import build, sign_out

NEW_GOOD = "Good: the child was seen, heard and kept safe, with small gaps at most."


def test_a_reworded_descriptor_shows_under_the_grade_on_the_tool(visitor_without_js):
    visitor, page = visitor_without_js, visitor_without_js.page
    coordinator = factories.UserFactory(email="coordinator@example.test", full_name="Casey Coord", role="Coordinator")
    template = ToolTemplate.objects.get(is_default=True)

    visitor.sign_in(coordinator.email)
    visitor.goto(template.get_absolute_url())
    descriptors = page.locator("[data-testid=grade-descriptors]")
    assert DEFAULT_DESCRIPTORS["good"] in descriptors.inner_text()
    visitor.click("link", name="Change the description of good")
    page.get_by_label("Good", exact=True).fill(NEW_GOOD)
    visitor.click("button", name="Save grade descriptors")
    assert "Grade descriptors saved." in page.locator(".govuk-notification-banner").inner_text()
    assert NEW_GOOD in page.locator("[data-testid=grade-descriptors]").inner_text()
    sign_out(visitor)

    # The round opens with the template's current version; the auditor answers a graded question.
    _round, case, _lead, auditor, agency_a = build(coordinator)
    tool = case.tools.get(agency=agency_a)
    section = next(s for s in tool.template_version.sections.all() if s.questions.filter(kind="grade").exists())
    question = section.questions.filter(kind=TemplateQuestion.Kind.GRADE).first()
    visitor.sign_in(auditor.email)
    visitor.goto(reverse("audits:tool-section", args=[tool.pk, section.pk]))
    good = page.locator(f"input[name=q{question.pk}_choice][value=good]")
    hint = page.locator(f"#{good.get_attribute('aria-describedby')}")
    assert hint.inner_text().strip() == NEW_GOOD and hint.is_visible()
    assert page.get_by_text(DEFAULT_DESCRIPTORS["inadequate"]).first.is_visible()
    good.check()
    visitor.click("button", name="Save as draft")
    assert tool.answers.get(question=question).choice == "good"


def test_the_action_plan_and_the_access_log_sort_by_their_column_links(visitor_without_js):
    visitor, page = visitor_without_js, visitor_without_js.page
    administrator = factories.UserFactory(
        email="admin@example.test", full_name="Ada Min", role="Administrator", is_staff=True
    )
    coordinator = factories.UserFactory(email="coordinator@example.test", full_name="Casey Coord", role="Coordinator")
    audit_round = factories.AuditRoundFactory(created_by=coordinator, title="Audit of neglect")
    today = timezone.localdate()
    for what, days in (("Later", 40), ("Sooner", 3), ("Middle", 10)):
        factories.ActionFactory(round=audit_round, what=what, due_date=today + datetime.timedelta(days=days))

    visitor.sign_in(coordinator.email)
    visitor.goto(reverse("audits:action-list"))
    rows = page.locator("[data-testid=action-table] tbody tr")
    assert [rows.nth(n).locator("td").first.inner_text().split("\n")[0] for n in range(3)] == [
        "Sooner",
        "Middle",
        "Later",
    ]
    visitor.click("link", name="Due (sort ascending)")
    assert page.locator("[data-testid=action-table] th[aria-sort=ascending]").inner_text().startswith("Due")
    visitor.click("link", name="Due (sort descending)")
    header = page.locator("[data-testid=action-table] th[aria-sort=descending]")
    assert header.inner_text().startswith("Due")
    assert rows.first.locator("td").first.inner_text().startswith("Later")
    sign_out(visitor)

    AccessEvent.objects.create(
        kind=AccessEvent.Kind.EXPORT,
        user_email="old@example.test",
        what="The oldest event",
        occurred_at=timezone.now() - datetime.timedelta(days=30),
    )
    visitor.sign_in(administrator.email)
    visitor.goto(reverse("access-log"))
    visitor.click("link", name="When (sort ascending)")
    log_rows = page.locator("[data-testid=access-log] tbody tr")
    assert "The oldest event" in log_rows.first.inner_text()
    assert "oldest first" in page.locator("[data-testid=event-count]").inner_text()
