"""A coordinator reads the integrated chronology of a case and filters it to key events,
with and without JavaScript; axe checks every page."""

import datetime

from audits.models import ChronologyEntry, WorkStatus
from tests import factories

EVENT = ChronologyEntry.EventType


def make_case():
    coordinator = factories.UserFactory(email="coordinator@example.test", full_name="Casey Coord", role="Coordinator")
    audit_round = factories.AuditRoundFactory(
        title="Northshire audit of neglect", status="open", created_by=coordinator
    )
    case = factories.CaseFactory(round=audit_round, number=1)
    rows = {
        ("Northshire Children's Services", "CSC"): [
            (datetime.date(2026, 2, 10), EVENT.HOME_VISIT, "Child 1 seen at home with their brother.", False),
            (datetime.date(2026, 3, 4), EVENT.STRATEGY_DISCUSSION, "Strategy discussion after the incident.", True),
        ],
        ("Northshire Police", "Police"): [
            (datetime.date(2026, 3, 1), EVENT.INCIDENT, "Officers attended a disturbance at the home.", True),
        ],
        ("Northshire Schools", "Schools"): [
            (datetime.date(2026, 1, 20), EVENT.SCHOOL_ATTENDANCE, "Attendance below 85 per cent this term.", False),
            (datetime.date(2026, 3, 2), EVENT.CONTACT, "Child 1 told a teacher about the disturbance.", True),
        ],
    }
    for (name, short_name), entries in rows.items():
        agency = factories.AgencyFactory(name=name, short_name=short_name)
        factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
        chronology = factories.ChronologyFactory(case=case, agency=agency, status=WorkStatus.SUBMITTED)
        for date, event_type, text, key in entries:
            factories.EntryFactory(
                chronology=chronology, date=date, event_type=event_type, what_happened=text, key_event=key
            )
    return coordinator, case


def timeline(page):
    return [item.locator("p.govuk-body").first.inner_text() for item in page.get_by_test_id("timeline-entry").all()]


def test_coordinator_filters_the_integrated_chronology_to_key_events_without_javascript(visitor_without_js):
    filter_to_key_events(visitor_without_js)


def test_coordinator_filters_the_integrated_chronology_to_key_events(visitor):
    filter_to_key_events(visitor)


def filter_to_key_events(visitor):
    page = visitor.page
    coordinator, case = make_case()

    visitor.sign_in(coordinator.email)
    page.wait_for_url(visitor.base_url + "/")
    visitor.goto(case.get_absolute_url())
    visitor.click("link", name="View the integrated chronology for Case 1")
    assert page.get_by_role("heading", level=1).inner_text() == "Integrated chronology: Case 1"
    assert timeline(page) == [
        "Attendance below 85 per cent this term.",
        "Child 1 seen at home with their brother.",
        "Officers attended a disturbance at the home.",
        "Child 1 told a teacher about the disturbance.",
        "Strategy discussion after the incident.",
    ]
    key = page.get_by_test_id("agency-key").inner_text()
    for name in ("Northshire Children's Services", "Northshire Police", "Northshire Schools"):
        assert name in key
    assert page.get_by_role("heading", name="January 2026").is_visible()

    page.get_by_label("Key events only").check()
    visitor.click("button", name="Apply filters")
    assert "key_events=on" in page.url
    assert page.get_by_label("Key events only").is_checked()
    assert timeline(page) == [
        "Officers attended a disturbance at the home.",
        "Child 1 told a teacher about the disturbance.",
        "Strategy discussion after the incident.",
    ]
    assert page.get_by_test_id("entry-count").inner_text() == "3 entries: key events only."
    assert "key_events=on" in page.get_by_test_id("downloads").get_attribute("action")

    # A download is made in the background: its page says when it is ready, and it keeps the filter.
    visitor.click("button", name="Download as CSV")
    assert "Ready" in page.get_by_test_id("export-status").inner_text()
    link = page.get_by_role("link", name="Download case-1-integrated-chronology.csv")
    body = page.request.get(visitor.base_url + link.get_attribute("href")).body().decode("utf-8-sig")
    assert "Strategy discussion after the incident." in body and "Attendance below 85 per cent this term." not in body
    visitor.click("link", name="Back to where you asked for it")
    assert "key_events=on" in page.url

    visitor.click("link", name="Clear filters")
    assert len(timeline(page)) == 5
