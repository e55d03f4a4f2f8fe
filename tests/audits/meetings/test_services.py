"""The meeting services and what they refuse."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from audits.meetings import services
from audits.models import Attendance, AuditRound, LearningPoint, Meeting, PracticeTheme
from tests import factories

LONDON = ZoneInfo("Europe/London")
START = datetime.datetime(2027, 1, 20, 10, 0, tzinfo=LONDON)
END = datetime.datetime(2027, 1, 20, 13, 0, tzinfo=LONDON)


def arrange(actor, audit_round, **overrides):
    arguments = {"starts_at": START, "ends_at": END, "place": "Room 4, Town Hall", "chair": "Chair of the group"}
    return services.meeting_arrange(actor=actor, audit_round=audit_round, **(arguments | overrides))


def test_arranging_a_meeting_records_the_first_sitting_with_its_actor(open_case, coordinator):
    meeting = arrange(coordinator, open_case.round)
    assert (meeting.sitting, meeting.created_by, meeting.starts_at) == (1, coordinator, START)
    assert meeting.history.first().history_user == coordinator


def test_second_sitting_allowed_third_refused(open_case, coordinator):
    arrange(coordinator, open_case.round)
    assert arrange(coordinator, open_case.round).sitting == 2
    with pytest.raises(ValidationError, match="at most two sittings"):
        arrange(coordinator, open_case.round)
    assert Meeting.objects.filter(round=open_case.round).count() == 2


def test_round_in_planning_is_refused(case, coordinator):
    with pytest.raises(ValidationError, match="once the round has opened"):
        arrange(coordinator, case.round)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("end", [START, START - datetime.timedelta(minutes=30)])
def test_end_not_after_start_is_refused(open_case, coordinator, end):
    with pytest.raises(ValidationError) as error:
        arrange(coordinator, open_case.round, ends_at=end)
    assert "ends_at" in error.value.error_dict


def test_place_or_link_is_needed(open_case, coordinator):
    with pytest.raises(ValidationError) as error:
        arrange(coordinator, open_case.round, place="", online_link="")
    assert "place" in error.value.error_dict
    meeting = arrange(coordinator, open_case.round, place="", online_link="https://meet.example.org/room")
    assert meeting.online_link == "https://meet.example.org/room"


def test_update_refuses_end_before_start(open_case, coordinator):
    meeting = arrange(coordinator, open_case.round)
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=coordinator, meeting=meeting, starts_at=END, ends_at=START, place="Room", chair="Chair"
        )
    meeting.refresh_from_db()
    assert meeting.ends_at == END


def test_attendance_saves_every_agency_at_once(returns_case, coordinator, agency_a, agency_b):
    meeting = arrange(coordinator, returns_case.round)
    services.attendance_record(
        actor=coordinator,
        meeting=meeting,
        rows=[
            {"agency": agency_a, "status": "present", "attendees": "Team manager\nSocial worker"},
            {"agency": agency_b, "status": "apologies", "attendees": "", "written_input": True},
        ],
    )
    saved = {a.agency: a for a in meeting.attendance.all()}
    assert saved[agency_a].status == Attendance.Status.PRESENT
    assert saved[agency_b].written_input is True
    # Recording again changes the same rows.
    services.attendance_record(actor=coordinator, meeting=meeting, rows=[{"agency": agency_b, "status": "absent"}])
    assert meeting.attendance.get(agency=agency_b).status == "absent"
    assert meeting.attendance.count() == 2


def test_written_input_without_apologies_saves_nothing(returns_case, coordinator, agency_a, agency_b):
    meeting = arrange(coordinator, returns_case.round)
    with pytest.raises(ValidationError, match="only be recorded with apologies"):
        services.attendance_record(
            actor=coordinator,
            meeting=meeting,
            rows=[
                {"agency": agency_a, "status": "present"},
                {"agency": agency_b, "status": "present", "written_input": True},
            ],
        )
    assert not meeting.attendance.exists()


def test_attendance_of_an_agency_outside_the_round_is_refused(open_case, coordinator, agency_b):
    meeting = arrange(coordinator, open_case.round)
    with pytest.raises(ValidationError, match="does not take part"):
        services.attendance_record(actor=coordinator, meeting=meeting, rows=[{"agency": agency_b, "status": "present"}])


def test_discussion_grade_needs_reasons(open_case, coordinator):
    with pytest.raises(ValidationError) as error:
        services.discussion_save(actor=coordinator, case=open_case, notes="", agreed_grade="good", grade_reasons=" ")
    assert "grade_reasons" in error.value.error_dict
    discussion = services.discussion_save(
        actor=coordinator, case=open_case, notes="Agreed.", agreed_grade="good", grade_reasons="Joined-up plan."
    )
    again = services.discussion_save(
        actor=coordinator, case=open_case, notes="Changed.", agreed_grade="", grade_reasons=""
    )
    assert again.pk == discussion.pk and again.notes == "Changed." and again.updated_by == coordinator


def test_learning_points_are_numbered_in_order_with_themes_and_agencies(open_case, coordinator, agency_a):
    themes = list(PracticeTheme.objects.order_by("name")[:2])
    first = services.learning_point_add(
        actor=coordinator,
        case=open_case,
        kind=LearningPoint.Kind.FINDING,
        heading="Late referral",
        text="The school's concern reached children's services three weeks late.",
        themes=themes,
        agencies=[agency_a],
    )
    second = services.learning_point_add(
        actor=coordinator, case=open_case, kind="finding", heading="Second", text="Text", themes=[], agencies=[]
    )
    assert (first.position, second.position) == (1, 2)
    assert set(first.themes.all()) == set(themes)
    assert list(first.agencies.all()) == [agency_a]
    assert first.round == open_case.round
    services.learning_point_update(
        actor=coordinator, point=first, heading="Late referral to CSC", text="Changed", themes=[], agencies=[]
    )
    first.refresh_from_db()
    assert first.heading == "Late referral to CSC" and not first.themes.exists()
    services.learning_point_remove(actor=coordinator, point=second)
    assert list(LearningPoint.objects.filter(case=open_case)) == [first]


def test_learning_point_refuses_agencies_outside_the_case_and_other_kinds(open_case, coordinator, agency_b):
    with pytest.raises(ValidationError) as error:
        services.learning_point_add(
            actor=coordinator, case=open_case, kind="strength", heading="H", text="T", themes=[], agencies=[agency_b]
        )
    assert "agencies" in error.value.error_dict
    with pytest.raises(ValidationError, match="strengths and findings only"):
        services.learning_point_add(
            actor=coordinator, case=open_case, kind="key_message", heading="H", text="T", themes=[], agencies=[]
        )


def test_closed_round_record_cannot_change(open_case, coordinator):
    AuditRound.objects.filter(pk=open_case.round_id).update(status=AuditRound.Status.CLOSED)
    open_case.round.refresh_from_db()
    with pytest.raises(ValidationError):
        services.discussion_save(actor=coordinator, case=open_case, notes="x", agreed_grade="", grade_reasons="")


def test_send_invitations_records_the_time_and_needs_agencies(
    open_case, coordinator, django_capture_on_commit_callbacks
):
    meeting = arrange(coordinator, open_case.round)
    with django_capture_on_commit_callbacks() as callbacks:
        services.meeting_send_invitations(actor=coordinator, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None
    assert len(callbacks) == 1
    empty_round = factories.AuditRoundFactory(status="open")
    lonely = arrange(coordinator, empty_round)
    with pytest.raises(ValidationError, match="No agencies"):
        services.meeting_send_invitations(actor=coordinator, meeting=lonely)
