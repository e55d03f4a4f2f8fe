"""The meeting's .ics invitation, parsed back with icalendar: a valid calendar with the right
local times in Europe/London either side of the clock change."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from audits.meetings.ics import meeting_calendar, meeting_uid
from tests import factories

LONDON = ZoneInfo("Europe/London")


def _meeting(start, end, **kwargs):
    return factories.MeetingFactory(starts_at=start, ends_at=end, **kwargs)


def _event(meeting, numbers=(1, 2)):
    calendar = Calendar.from_ical(meeting_calendar(meeting, case_numbers=list(numbers)))
    return calendar, calendar.walk("VEVENT")[0]


@pytest.mark.django_db
def test_calendar_is_a_request_with_a_stable_uid_and_a_london_timezone(settings):
    settings.SITE_URL = "https://audit.example.org"
    meeting = _meeting(
        datetime.datetime(2027, 7, 14, 9, 30, tzinfo=LONDON),
        datetime.datetime(2027, 7, 14, 12, 30, tzinfo=LONDON),
        round=factories.AuditRoundFactory(status="open", title="Northshire neglect audit"),
    )
    calendar, event = _event(meeting)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["METHOD"] == "REQUEST"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert event["UID"] == meeting_uid(meeting) == f"maca-meeting-{meeting.pk}@audit.example.org"
    assert event["DTSTAMP"]
    assert event["SUMMARY"] == "Multi-agency case audit meeting: Northshire neglect audit"
    assert event["LOCATION"] == "Room 2, Civic Centre, Northshire"
    description = str(event["DESCRIPTION"])
    assert "Northshire neglect audit" in description
    assert "Case 1, Case 2" in description
    assert "https://audit.example.org/" in description
    # Built again, the invitation keeps its UID, so calendars update the same event.
    assert _event(meeting)[1]["UID"] == event["UID"]


@pytest.mark.django_db
def test_july_meeting_is_in_british_summer_time():
    meeting = _meeting(
        datetime.datetime(2027, 7, 14, 9, 30, tzinfo=LONDON), datetime.datetime(2027, 7, 14, 12, 0, tzinfo=LONDON)
    )
    _, event = _event(meeting)
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert (start.hour, start.minute) == (9, 30)
    assert start.utcoffset() == datetime.timedelta(hours=1)
    assert start.astimezone(datetime.UTC).hour == 8
    assert event.decoded("DTEND").hour == 12


@pytest.mark.django_db
def test_december_meeting_is_in_greenwich_mean_time():
    meeting = _meeting(
        datetime.datetime(2027, 12, 8, 14, 0, tzinfo=LONDON), datetime.datetime(2027, 12, 8, 16, 0, tzinfo=LONDON)
    )
    _, event = _event(meeting)
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (14, 0)
    assert start.utcoffset() == datetime.timedelta(0)
    assert start.astimezone(datetime.UTC).hour == 14


@pytest.mark.django_db
def test_times_are_right_either_side_of_the_last_sunday_of_october():
    # The clocks go back at 02:00 BST on Sunday 31 October 2027.
    before = _meeting(
        datetime.datetime(2027, 10, 29, 10, 0, tzinfo=LONDON), datetime.datetime(2027, 10, 29, 12, 0, tzinfo=LONDON)
    )
    after = _meeting(
        datetime.datetime(2027, 11, 1, 10, 0, tzinfo=LONDON),
        datetime.datetime(2027, 11, 1, 12, 0, tzinfo=LONDON),
        round=factories.AuditRoundFactory(status="open"),
    )
    for meeting, utc_hour in ((before, 9), (after, 10)):
        _, event = _event(meeting)
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute) == (10, 0)
        assert start.astimezone(datetime.UTC).hour == utc_hour
    # The VTIMEZONE itself carries the change, so any calendar program can work the times out.
    calendar, _ = _event(before)
    sent_zone = calendar.walk("VTIMEZONE")[0].to_tz()
    assert datetime.datetime(2027, 10, 29, 10, 0, tzinfo=sent_zone).utcoffset() == datetime.timedelta(hours=1)
    assert datetime.datetime(2027, 11, 1, 10, 0, tzinfo=sent_zone).utcoffset() == datetime.timedelta(0)


@pytest.mark.django_db
def test_online_meeting_puts_the_link_in_the_location():
    meeting = _meeting(
        datetime.datetime(2027, 3, 3, 10, 0, tzinfo=LONDON),
        datetime.datetime(2027, 3, 3, 11, 0, tzinfo=LONDON),
        place="",
        online_link="https://meet.example.org/maca-room",
    )
    _, event = _event(meeting)
    assert event["LOCATION"] == "https://meet.example.org/maca-room"
