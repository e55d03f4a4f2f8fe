"""The access log in Chromium: an administrator opens it from the navigation, pages through it,
filters it and corrects a bad date; with and without JavaScript. axe checks every page."""

import datetime

from django.utils import timezone

from agencies.models import AccessEvent
from tests import factories

Kind = AccessEvent.Kind


def build():
    administrator = factories.UserFactory(
        email="admin@example.test", full_name="Ada Min", role="Administrator", is_staff=True
    )
    now = timezone.now() - datetime.timedelta(minutes=5)
    events = [
        AccessEvent(
            kind=Kind.SIGN_IN,
            user_email="health.lead@example.test",
            ip_address="192.0.2.10",
            occurred_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(60)
    ]
    events += [
        AccessEvent(
            kind=Kind.EXPORT,
            user_email="police.lead@example.test",
            what="Integrated chronology PDF, round 4 case 2",
            ip_address="192.0.2.20",
            occurred_at=now - datetime.timedelta(days=3),
        ),
        AccessEvent(
            kind=Kind.SIGN_IN_FAILED,
            user_email="police.lead@example.test",
            ip_address="192.0.2.20",
            occurred_at=now - datetime.timedelta(days=3, minutes=1),
        ),
    ]
    AccessEvent.objects.bulk_create(events)
    return administrator


def test_administrator_pages_through_and_filters_the_log(visitor):
    page = visitor.page
    administrator = build()
    visitor.sign_in(administrator.email)
    visitor.click("link", name="Settings")
    visitor.click("link", name="Access log")
    assert page.get_by_role("heading", name="Access log", level=1).is_visible()
    # Newest first: the administrator's own sign-in heads the list.
    first_row = page.locator("[data-testid=access-log] tbody tr").first.inner_text()
    assert "admin@example.test" in first_row and "Signed in" in first_row
    assert page.locator("[data-testid=access-log] tbody tr").count() == 50
    visitor.click("link", name="Next page")
    assert page.locator("[data-testid=access-log] tbody tr").count() == 13

    page.get_by_label("What happened").select_option(label="Export")
    page.get_by_label("Person's e-mail address contains").fill("police")
    visitor.click("button", name="Apply filters")
    rows = page.locator("[data-testid=access-log] tbody tr")
    assert rows.count() == 1
    assert "Integrated chronology PDF, round 4 case 2" in rows.first.inner_text()
    assert "192.0.2.20" in rows.first.inner_text()
    assert "1 event matches the filters" in page.locator("[data-testid=event-count]").inner_text()


def test_a_bad_date_is_explained_and_kept_without_javascript(visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    administrator = build()
    visitor.sign_in(administrator.email)
    visitor.goto("/access-log/")
    from_date = page.get_by_role("group", name="From date")
    from_date.get_by_label("Day").fill("31")
    from_date.get_by_label("Month").fill("2")
    from_date.get_by_label("Year").fill("2026")
    page.get_by_label("Person's e-mail address contains").fill("police")
    visitor.click("button", name="Apply filters")
    assert page.title().startswith("Error: ")
    assert page.get_by_role("link", name="The from date must be a real date").is_visible()
    assert from_date.get_by_label("Day").input_value() == "31"
    assert page.get_by_label("Person's e-mail address contains").input_value() == "police"

    since = timezone.localdate() - datetime.timedelta(days=4)
    from_date.get_by_label("Day").fill(str(since.day))
    from_date.get_by_label("Month").fill(str(since.month))
    from_date.get_by_label("Year").fill(str(since.year))
    visitor.click("button", name="Apply filters")
    assert "2 events match the filters" in page.locator("[data-testid=event-count]").inner_text()
    assert page.get_by_role("button", name="Download these events as CSV").is_visible()
