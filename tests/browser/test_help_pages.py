"""The help pages, the accessibility statement, the privacy notice and the sorted round list, in
Chromium at desktop and phone widths: axe finds nothing, and no page is wider than the window."""

from django.urls import reverse

from audits.models import AuditRound, WorkStatus
from tests import factories

WIDTHS = (1280, 375)


# The elements that reach past the window's right edge (the outermost of each), to say what is too wide.
TOO_WIDE = """() => [...document.body.querySelectorAll('*')]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
  .filter((el) => !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))"""


def assert_fits(visitor):
    width = visitor.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (
        f"{visitor.page.url} is {width[0]} px wide in a {width[1]} px window: {visitor.page.evaluate(TOO_WIDE)}"
    )


def visit_at_each_width(visitor, urls):
    for width in WIDTHS:
        visitor.page.set_viewport_size({"width": width, "height": 900})
        if visitor.checker is not None:
            visitor.checker.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            visitor.goto(url)
            assert_fits(visitor)


def test_the_statement_and_the_notice_signed_out(visitor):
    visit_at_each_width(visitor, [reverse("audits:accessibility-statement"), reverse("audits:privacy-notice")])
    visitor.page.set_viewport_size({"width": 1280, "height": 900})
    visitor.goto(reverse("sign-in"))
    visitor.click("link", name="Privacy notice")
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "Privacy notice"


def test_help_pages_and_the_sorted_round_list(visitor):
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    agencies = [factories.AgencyFactory(), factories.AgencyFactory()]
    for number, status in enumerate([AuditRound.Status.OPEN, AuditRound.Status.PLANNING, AuditRound.Status.CLOSED]):
        audit_round = factories.AuditRoundFactory(status=status, title=f"Neglect audit {number}")
        case = factories.CaseFactory(round=audit_round, number=1)
        for agency, work in zip(agencies, [WorkStatus.SUBMITTED, WorkStatus.DRAFT], strict=True):
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
            factories.ToolFactory(case=case, agency=agency, status=work)
            factories.ChronologyFactory(case=case, agency=agency)
    visitor.sign_in(coordinator.email)
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.get_by_role("banner").get_by_role("link", name="Help").click()
    visitor.check()
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "Help"
    round_list = reverse("audits:round-list")
    visit_at_each_width(
        visitor,
        [
            reverse("audits:help"),
            reverse("audits:help-glossary"),
            reverse("audits:help-grades"),
            *(
                reverse("audits:help-round-guide", args=[role])
                for role in ("coordinator", "agency-lead", "auditor", "board", "administrator")
            ),
            reverse("audits:accessibility-statement"),
            reverse("audits:privacy-notice"),
            round_list,
            f"{round_list}?sort=status&order=asc",
            f"{round_list}?sort=returned&order=desc",
        ],
    )
    # Sorting by a column header is a link: it works without JavaScript, and says how it sorted.
    visitor.page.set_viewport_size({"width": 1280, "height": 900})
    visitor.goto(round_list)
    visitor.click("link", name="Stage (sort ascending)")
    header = visitor.page.get_by_role("columnheader", name="Stage")
    assert header.get_attribute("aria-sort") == "ascending"
    first_link = visitor.page.locator("tbody tr").first.get_by_role("link")
    assert first_link.inner_text().startswith("Neglect audit 1")  # the planned round comes first
    visitor.click("link", name="Stage (sort descending)")
    assert visitor.page.get_by_role("columnheader", name="Stage").get_attribute("aria-sort") == "descending"
    assert "25%" in visitor.page.locator("tbody").inner_text()


def test_the_help_link_fits_the_header_at_both_widths(visitor):
    coordinator = factories.UserFactory(email="coordinator@example.test", role="Coordinator")
    visitor.sign_in(coordinator.email)
    for width in WIDTHS:
        visitor.page.set_viewport_size({"width": width, "height": 900})
        visitor.goto(reverse("home"))
        assert_fits(visitor)
        help_link = visitor.page.locator(".app-header").get_by_role("link", name="Help")
        box = help_link.bounding_box()
        assert box["x"] + box["width"] <= width
        if width == 1280:
            service = visitor.page.locator(".app-header__service").bounding_box()
            # On one line with the service's name.
            assert abs((box["y"] + box["height"]) - (service["y"] + service["height"])) < 8
