"""The meeting's calendar invitation (RFC 5545), built with icalendar.

Times are written in Europe/London with a VTIMEZONE, so calendars show the right local time
either side of the clock change. The text names cases only as "Case N"."""

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from audits.models import Meeting

PRODID = "-//Multi-agency case audit//Meeting invitation//EN"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the life of the meeting, so a resent invitation updates the same event."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"maca-meeting-{meeting.pk}@{domain}"


def meeting_summary(meeting: Meeting) -> str:
    return f"Multi-agency case audit meeting: {meeting.round.title}"


def meeting_description(meeting: Meeting, case_numbers: list[int]) -> str:
    cases = ", ".join(f"Case {number}" for number in case_numbers) or "to be confirmed"
    lines = [
        f"{meeting.round.title} ({meeting.round.period_label})",
        f"Cases to discuss: {cases}",
        f"Chair: {meeting.chair}",
    ]
    if meeting.place and meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"Sign in to the service to read the integrated chronologies: {settings.SITE_URL}/")
    return "\n".join(lines)


def meeting_calendar(meeting: Meeting, *, case_numbers: list[int], stamp: datetime.datetime | None = None) -> bytes:
    """The invitation as .ics bytes (METHOD:REQUEST, one VEVENT)."""
    london = timezone.get_default_timezone()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(london))
    event.add("dtend", meeting.ends_at.astimezone(london))
    # SEQUENCE grows with each change, so calendars replace the earlier version of the event.
    event.add("sequence", meeting.history.count() if meeting.pk else 0)
    # A REQUEST names its organiser; replies go to the service's sending address.
    _, organiser = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if organiser:
        event.add("organizer", vCalAddress(f"mailto:{organiser}"), parameters={"CN": settings.PARTNERSHIP_NAME})
    event.add("summary", meeting_summary(meeting))
    event.add("location", meeting.place or meeting.online_link)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    event.add("description", meeting_description(meeting, case_numbers))
    calendar.add_component(event)
    # Only the transitions around the meeting, not every one since 1970.
    year = meeting.starts_at.year
    calendar.add_missing_timezones(first_date=datetime.date(year - 1, 1, 1), last_date=datetime.date(year + 2, 1, 1))
    return calendar.to_ical()
