"""The meeting pages: arranging, invitations, attendance and the per-case record."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from audits.models import Attendance, AuditTool, CaseDiscussion, LearningPoint, Meeting, PracticeTheme, TemplateQuestion
from tests import factories

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def meeting(returns_case):
    return factories.MeetingFactory(round=returns_case.round)


def meeting_form(**overrides):
    return {
        "date_0": "14",
        "date_1": "7",
        "date_2": "2027",
        "start_time": "09:30",
        "end_time": "12:00",
        "place": "Room 2, Civic Centre",
        "online_link": "",
        "chair": "Head of the partnership business unit",
    } | overrides


def test_coordinator_arranges_the_meeting_in_uk_time(client, coordinator, returns_case):
    client.force_login(coordinator)
    response = client.post(reverse("audits:meeting-arrange", args=[returns_case.round_id]), meeting_form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == datetime.datetime(2027, 7, 14, 9, 30, tzinfo=LONDON)
    assert meeting.starts_at.astimezone(datetime.UTC).hour == 8
    page = client.get(returns_case.round.get_absolute_url()).content.decode()
    assert "Arrange a second sitting" in page and meeting.get_absolute_url() in page


def test_end_before_start_is_shown_against_the_end_time_and_keeps_the_typing(client, coordinator, returns_case):
    client.force_login(coordinator)
    response = client.post(
        reverse("audits:meeting-arrange", args=[returns_case.round_id]), meeting_form(end_time="09:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"] == ["The end time must be after the start time"]
    page = response.content.decode()
    assert page.index("govuk-error-summary") < page.index("<h1")
    assert 'value="Head of the partnership business unit"' in page
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("value", ["9", "25:00", "9.75", "noon"])
def test_times_must_be_hours_and_minutes(client, coordinator, returns_case, value):
    client.force_login(coordinator)
    response = client.post(
        reverse("audits:meeting-arrange", args=[returns_case.round_id]), meeting_form(start_time=value)
    )
    assert "start_time" in response.context["form"].errors


def test_empty_post_shows_errors(client, coordinator, returns_case):
    client.force_login(coordinator)
    response = client.post(reverse("audits:meeting-arrange", args=[returns_case.round_id]), {})
    assert {"date", "start_time", "end_time", "chair"} <= set(response.context["form"].errors)


def test_change_the_meeting(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("audits:meeting-edit", args=[meeting.round_id, 1])
    assert client.get(url).context["form"].initial["start_time"] == meeting.starts_at.astimezone(LONDON).strftime(
        "%H:%M"
    )
    client.post(url, meeting_form(place="", online_link="https://meet.example.org/maca"))
    meeting.refresh_from_db()
    assert (meeting.place, meeting.online_link) == ("", "https://meet.example.org/maca")


def test_invitation_download(client, lead_a, meeting):
    client.force_login(lead_a)
    response = client.get(reverse("audits:meeting-invitation", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert "Case 1" in str(event["DESCRIPTION"])
    from agencies.models import AccessEvent

    (logged,) = AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT)
    assert (logged.user, logged.what) == (lead_a, f"Meeting invitation, meeting {meeting.pk}")


def test_send_invitations_emails_each_lead_with_the_ics(
    client, coordinator, meeting, lead_a, lead_b, auditor_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("audits:meeting-send-invitations", args=[meeting.pk]), {"confirm": "yes"}, follow=True
        )
    assert "Invitations are being e-mailed to the leads of:" in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == [lead_a.email, lead_b.email]
    message = mail.outbox[0]
    assert message.subject == f"Multi-agency case audit meeting: {meeting.round.title}"
    assert f"Case 1 of {meeting.round.title}" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    raw = message.message()
    parts = [part for part in raw.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "invitation.ics"
    calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None


def test_sending_invitations_asks_first_and_lists_who_is_emailed(
    client, coordinator, meeting, lead_a, django_capture_on_commit_callbacks
):
    """Agency A has a lead, agency B none: the page says so, and so does the result."""
    url = reverse("audits:meeting-send-invitations", args=[meeting.pk])
    client.force_login(coordinator)
    detail = client.get(meeting.get_absolute_url()).text
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    page = client.get(url).text
    assert "Are you sure you want to send the meeting invitations?" in page
    assert f"{lead_a.full_name} ({lead_a.email})" in page
    assert "Agency B Police has no active agency lead and will not get the invitation." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)  # no confirmation: nothing is sent
    assert response["Location"] == url and mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Invitations are being e-mailed to the leads of: Agency A Children&#x27;s Services." in done.text
    assert "No invitation was sent to Agency B Police: it has no active agency lead." in done.text
    assert [message.to for message in mail.outbox] == [[lead_a.email]]


def test_invitation_email_names_no_child(
    client, coordinator, meeting, lead_a, identifier_texts, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("audits:meeting-send-invitations", args=[meeting.pk]), {"confirm": "yes"})
    message = mail.outbox[0]
    text = message.body + message.alternatives[0].content + message.message().as_string()
    for secret in identifier_texts:
        assert secret not in text


def attendance_data(agency_a, agency_b, **overrides):
    return {
        f"agency-{agency_a.pk}-status": "present",
        f"agency-{agency_a.pk}-attendees": "Team manager, children's services",
        f"agency-{agency_b.pk}-status": "apologies",
        f"agency-{agency_b.pk}-written_input": "on",
    } | overrides


def test_attendance_for_all_agencies_in_one_save(client, coordinator, meeting, agency_a, agency_b):
    client.force_login(coordinator)
    url = reverse("audits:meeting-attendance", args=[meeting.pk])
    response = client.post(url, attendance_data(agency_a, agency_b))
    assert response.status_code == 302
    assert meeting.attendance.get(agency=agency_b).written_input is True
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Apologies, sent written input" in page


def test_written_input_without_apologies_is_an_error_and_nothing_is_saved(
    client, coordinator, meeting, agency_a, agency_b
):
    client.force_login(coordinator)
    data = attendance_data(agency_a, agency_b, **{f"agency-{agency_b.pk}-status": "present"})
    response = client.post(reverse("audits:meeting-attendance", args=[meeting.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "only record written input when the agency sent apologies" in page
    assert page.index("govuk-error-summary") < page.index("<h1")
    assert f'href="#id_agency-{agency_b.pk}-written_input"' in page
    assert "Team manager, children&#x27;s services" in page
    assert not Attendance.objects.exists()


def test_empty_attendance_post_asks_for_every_agency(client, coordinator, meeting, agency_a, agency_b):
    client.force_login(coordinator)
    page = client.post(reverse("audits:meeting-attendance", args=[meeting.pk]), {}).content.decode()
    assert f"Select whether {agency_a.name} attended".replace("'", "&#x27;") in page
    assert f'href="#id_agency-{agency_b.pk}-status_1"' in page
    assert f'id="id_agency-{agency_b.pk}-status_1"' in page


def submit_tool(tool, grade):
    questions = TemplateQuestion.objects.filter(section__version=tool.template_version, kind="grade")
    for question in questions:
        tool.answers.create(question=question, choice=grade, text="Evidence.")
    AuditTool.objects.filter(pk=tool.pk).update(status="submitted")


def test_case_page_shows_grades_side_by_side(client, coordinator, meeting, tool_a, tool_b):
    submit_tool(tool_a, "good")
    client.force_login(coordinator)
    response = client.get(reverse("audits:meeting-case", args=[meeting.pk, 1]))
    grades = response.context["grades"]
    assert [agency.pk for agency in grades["agencies"]] == [tool_a.agency_id, tool_b.agency_id]
    assert grades["overall"] == ["Good", "Not submitted"]
    rows = [row for section in grades["sections"] for row in section["rows"]]
    assert rows and all(row["cells"] == ["Good", "Not submitted"] for row in rows)
    assert "Overall grade" not in [section["section"].title for section in grades["sections"]]
    page = response.content.decode()
    assert reverse("audits:integrated-chronology", args=[meeting.round_id, 1]) in page


def test_record_discussion_and_agreed_grade(client, coordinator, meeting):
    client.force_login(coordinator)
    url = reverse("audits:meeting-discussion", args=[meeting.pk, 1])
    response = client.post(url, {"notes": "Talked it through.", "agreed_grade": "good", "grade_reasons": ""})
    assert "Give the reasons for the agreed grade" in response.content.decode()
    client.post(url, {"notes": "Talked it through.", "agreed_grade": "good", "grade_reasons": "Shared plan."})
    discussion = CaseDiscussion.objects.get()
    assert (discussion.agreed_grade, discussion.updated_by) == ("good", coordinator)
    assert "Good" in client.get(meeting.get_absolute_url()).content.decode()


def test_add_change_and_remove_a_finding(client, coordinator, meeting, agency_a):
    client.force_login(coordinator)
    theme = PracticeTheme.objects.get(name="Information sharing")
    add = reverse("audits:learning-add", args=[meeting.pk, 1, "finding"])
    response = client.post(add, {"heading": "Late sharing", "text": "", "themes": [theme.pk]})
    assert "Describe the finding" in response.content.decode()
    assert response.context["form"]["themes"].value() == [str(theme.pk)]
    client.post(
        add,
        {
            "heading": "Late sharing",
            "text": "The school's concern waited.",
            "themes": [theme.pk],
            "agencies": [agency_a.pk],
        },
    )
    point = LearningPoint.objects.get()
    assert (point.kind, list(point.themes.all()), list(point.agencies.all())) == ("finding", [theme], [agency_a])
    client.post(
        reverse("audits:learning-edit", args=[meeting.pk, 1, point.pk]),
        {"heading": "Late information sharing", "text": "Changed."},
    )
    point.refresh_from_db()
    assert point.heading == "Late information sharing" and not point.themes.exists()
    remove = reverse("audits:learning-remove", args=[meeting.pk, 1, point.pk])
    assert "Are you sure you want to remove this finding?" in client.get(remove).content.decode()
    client.post(remove)
    assert not LearningPoint.objects.exists()


def test_inactive_themes_are_not_offered(client, coordinator, meeting):
    PracticeTheme.objects.filter(name="Neglect").update(is_active=False)
    client.force_login(coordinator)
    page = client.get(reverse("audits:learning-add", args=[meeting.pk, 1, "strength"])).content.decode()
    assert "Voice of the child" in page and ">Neglect<" not in page


def test_theme_add_with_a_taken_name_is_a_friendly_error(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("audits:theme-add"), {"name": "neglect", "description": "Again"})
    assert "There is already a practice theme called Neglect" in response.content.decode()
    assert 'value="neglect"' in response.content.decode()
    response = client.post(reverse("audits:theme-add"), {"name": "Online harms", "is_active": "on"})
    assert response.status_code == 302
    assert PracticeTheme.objects.get(name="Online harms").is_active


def test_theme_change(client, coordinator):
    theme = PracticeTheme.objects.get(name="Neglect")
    client.force_login(coordinator)
    client.post(reverse("audits:theme-edit", args=[theme.pk]), {"name": "Neglect", "description": "Changed"})
    theme.refresh_from_db()
    assert (theme.description, theme.is_active) == ("Changed", False)
    assert "Practice themes" in client.get(reverse("audits:theme-list")).content.decode()


# Query counts ----------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_cases(meeting, count, agencies, coordinator):
    start = meeting.round.cases.count() + 1
    themes = list(PracticeTheme.objects.all()[:3])
    for number in range(start, start + count):
        case = factories.CaseFactory(round=meeting.round, number=number)
        for agency in agencies:
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
        CaseDiscussion.objects.create(case=case, agreed_grade="good", grade_reasons="Reasons")
        for kind in ("strength", "finding"):
            point = factories.LearningPointFactory(case=case, kind=kind)
            point.themes.set(themes)
            point.agencies.set(agencies)


def add_points(case, count, agencies):
    themes = list(PracticeTheme.objects.all()[:3])
    for index in range(count):
        point = factories.LearningPointFactory(case=case, kind="strength" if index % 2 else "finding", heading="")
        point.evidence_cases.set([case])
        point.themes.set(themes)
        point.agencies.set(agencies)


def test_meeting_page_queries_do_not_grow(client, coordinator, lead_a, meeting, agency_a, agency_b):
    agencies = [agency_a, agency_b]
    add_cases(meeting, 1, agencies, coordinator)
    for agency in agencies:
        Attendance.objects.create(meeting=meeting, agency=agency, status="present")
    url = meeting.get_absolute_url()
    for user in (coordinator, lead_a):
        client.force_login(user)
        one = count_queries(client, url)
        extra = [factories.AgencyFactory() for _ in range(4)]
        add_cases(meeting, 9, [*agencies, *extra], coordinator)
        for agency in extra:
            Attendance.objects.create(meeting=meeting, agency=agency, status="apologies")
        assert count_queries(client, url) == one


def test_case_page_queries_do_not_grow(client, coordinator, lead_a, meeting, tool_a, tool_b, agency_a, agency_b):
    submit_tool(tool_a, "good")
    case = meeting.round.cases.get(number=1)
    add_points(case, 2, [agency_a, agency_b])
    url = reverse("audits:meeting-case", args=[meeting.pk, 1])
    for user in (coordinator, lead_a):
        client.force_login(user)
        one = count_queries(client, url)
        submit_tool(tool_b, "requires_improvement") if not tool_b.answers.exists() else None
        for _ in range(3):
            agency = factories.AgencyFactory()
            factories.CaseAgencyFactory(case=case, agency=agency, added_by=coordinator)
            tool = factories.ToolFactory(case=case, agency=agency, template_version=tool_a.template_version)
            submit_tool(tool, "outstanding")
        add_points(case, 18, [agency_a, agency_b])
        assert count_queries(client, url) == one
