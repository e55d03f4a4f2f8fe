"""Writes about the multi-agency meeting: arranging sittings, invitations, attendance, and what
the meeting records per case (discussion, agreed grade, strengths and findings). Every write
checks its actor, names it and runs in one transaction; e-mails are queued once it commits."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audits.learning.models import CASE_KINDS
from audits.meetings import tasks
from audits.meetings.permissions import require_meeting_management
from audits.meetings.selectors import participating_agencies
from audits.models import Attendance, AuditRound, Case, CaseDiscussion, LearningPoint, Meeting
from lib.models import delete_by, locked, save_history_by

# Sittings --------------------------------------------------------------------------------------


def _check_sitting(*, audit_round: AuditRound, starts_at, ends_at, place: str, online_link: str) -> None:
    errors = {}
    if not audit_round.has_opened:
        errors["__all__"] = "The meeting can be arranged once the round has opened."
    elif audit_round.is_closed:
        errors["__all__"] = "This round is closed."
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "The end time must be after the start time"
    if not place.strip() and not online_link.strip():
        errors["place"] = "Enter the place, an online link, or both"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_arrange(
    *, actor, audit_round: AuditRound, starts_at, ends_at, place: str = "", online_link: str = "", chair: str
) -> Meeting:
    """Arrange the round's meeting, or its second sitting. Refused while the round is still
    being planned (its cases and agencies may change), for a third sitting, and when the end
    is not after the start or there is neither a place nor a link."""
    require_meeting_management(actor)
    audit_round = locked(audit_round)
    _check_sitting(audit_round=audit_round, starts_at=starts_at, ends_at=ends_at, place=place, online_link=online_link)
    last = audit_round.meetings.aggregate(last=Max("sitting"))["last"] or 0
    if not audit_round.can_arrange_sitting(last):
        raise ValidationError("A round can have at most two sittings of its meeting.")
    meeting = Meeting(
        round=audit_round,
        sitting=last + 1,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        chair=chair.strip(),
    )
    meeting.full_clean()
    meeting.save_by(actor)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, starts_at, ends_at, place: str = "", online_link: str = "", chair: str
) -> Meeting:
    """Change a sitting's time, place or chair (send the invitations again to tell agencies)."""
    require_meeting_management(actor)
    meeting = Meeting.objects.select_for_update().select_related("round").get(pk=meeting.pk)
    _check_sitting(
        audit_round=meeting.round, starts_at=starts_at, ends_at=ends_at, place=place, online_link=online_link
    )
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.place, meeting.online_link, meeting.chair = place.strip(), online_link.strip(), chair.strip()
    meeting.full_clean()
    meeting.save_by(actor)
    return meeting


@transaction.atomic
def meeting_send_invitations(*, actor, meeting: Meeting) -> Meeting:
    """E-mail the invitation (.ics attached) to each participating agency's leads once this
    transaction commits, and record when. Sending again sends the current details."""
    require_meeting_management(actor)
    meeting = Meeting.objects.select_for_update().select_related("round").get(pk=meeting.pk)
    if meeting.round.is_closed:
        raise ValidationError("This round is closed.")
    if not participating_agencies(meeting.round):
        raise ValidationError("No agencies take part in this round's cases yet.")
    meeting.invitations_sent_at = timezone.now()
    meeting.save_by(actor)
    transaction.on_commit(partial(tasks.send_meeting_invitations.enqueue, meeting.pk))
    return meeting


# Attendance ------------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, rows: list[dict]) -> list[Attendance]:
    """Record every participating agency's attendance at once. Each row: agency, status,
    attendees, written_input. Written input goes with apologies only; agencies not taking
    part in the round are refused. All rows are saved or none."""
    require_meeting_management(actor)
    if not meeting.round.is_changeable:
        raise ValidationError("This round is closed.")
    allowed = {agency.pk for agency in participating_agencies(meeting.round)}
    existing = {a.agency_id: a for a in meeting.attendance.all()}
    saved = []
    errors = []
    for row in rows:
        agency = row["agency"]
        if agency.pk not in allowed:
            errors.append(f"{agency.name} does not take part in this round.")
            continue
        if row.get("written_input") and row["status"] != Attendance.Status.APOLOGIES:
            errors.append(f"{agency.name}: written input can only be recorded with apologies.")
            continue
        attendance = existing.get(agency.pk) or Attendance(meeting=meeting, agency=agency)
        attendance.status = row["status"]
        attendance.attendees = row.get("attendees", "").strip()
        attendance.written_input = bool(row.get("written_input"))
        attendance.updated_by = actor
        attendance.full_clean()
        saved.append(attendance)
    if errors:
        raise ValidationError(errors)
    for attendance in saved:
        save_history_by(attendance, actor)
        attendance.save()
    return saved


# Per case --------------------------------------------------------------------------------------


def _require_recordable(actor, case: Case) -> None:
    require_meeting_management(actor)
    if not case.round.is_writable:
        raise ValidationError("The meeting record can be written once the round has opened and until it closes.")


@transaction.atomic
def discussion_save(*, actor, case: Case, notes: str, agreed_grade: str, grade_reasons: str) -> CaseDiscussion:
    """Record the meeting's discussion of a case and the grade all agencies agreed. A grade
    needs its reasons: they are what the briefing will explain."""
    _require_recordable(actor, case)
    if agreed_grade and not grade_reasons.strip():
        raise ValidationError({"grade_reasons": "Give the reasons for the agreed grade"})
    discussion = CaseDiscussion.objects.select_for_update().filter(case=case).first()
    if discussion is None:
        discussion = CaseDiscussion(case=case)
    discussion.notes = notes.strip()
    discussion.agreed_grade = agreed_grade
    discussion.grade_reasons = grade_reasons.strip()
    discussion.full_clean()
    discussion.save_by(actor)
    return discussion


def _check_point(*, case: Case, kind: str, themes, agencies, also_seen_in) -> None:
    if kind not in CASE_KINDS:
        raise ValidationError("A case records strengths and findings only.")
    errors = {}
    case_agency_ids = set(case.case_agencies.values_list("agency_id", flat=True))
    if any(agency.pk not in case_agency_ids for agency in agencies):
        errors["agencies"] = "Choose only agencies that take part in this case"
    if any(other.round_id != case.round_id or other.pk == case.pk for other in also_seen_in):
        errors["also_seen_in"] = "Choose only other cases of this round"
    if errors:
        raise ValidationError(errors)


def _next_position(case: Case, kind: str) -> int:
    last = LearningPoint.objects.filter(case=case, kind=kind).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def _create_point(
    actor, case: Case, *, kind: str, position: int, heading: str, text: str, themes, agencies, also_seen_in
):
    point = LearningPoint(
        round=case.round, case=case, kind=kind, heading=heading.strip(), text=text.strip(), position=position
    )
    point.full_clean()
    point.save_by(actor)
    point.themes.set(themes)
    point.agencies.set(agencies)
    point.evidence_cases.set([case, *also_seen_in])
    return point


@transaction.atomic
def learning_point_add(
    *, actor, case: Case, kind: str, heading: str = "", text: str, themes, agencies, also_seen_in=()
) -> LearningPoint:
    """Add a strength or finding to a case, after the others of its kind. It cites the case and
    the other cases of the round it is ``also_seen_in``."""
    _require_recordable(actor, case)
    _check_point(case=case, kind=kind, themes=themes, agencies=agencies, also_seen_in=also_seen_in)
    locked(case)  # one writer at a time per case, so that positions are computed from a settled list
    return _create_point(
        actor,
        case,
        kind=kind,
        position=_next_position(case, kind),
        heading=heading,
        text=text,
        themes=themes,
        agencies=agencies,
        also_seen_in=also_seen_in,
    )


@transaction.atomic
def learning_points_add_several(
    *, actor, case: Case, kind: str, texts: list[str], themes, agencies, also_seen_in=()
) -> list[LearningPoint]:
    """Add several strengths or findings to a case in the order given, after the others of their
    kind: each has one of the ``texts`` and no heading, and all share the themes, agencies and
    other cases. All are added or none."""
    _require_recordable(actor, case)
    _check_point(case=case, kind=kind, themes=themes, agencies=agencies, also_seen_in=also_seen_in)
    texts = [text for text in texts if text.strip()]
    if not texts:
        raise ValidationError("Enter at least one point.")
    locked(case)  # one writer at a time per case, so that positions are computed from a settled list
    first = _next_position(case, kind)
    return [
        _create_point(
            actor,
            case,
            kind=kind,
            position=first + index,
            heading="",
            text=text,
            themes=themes,
            agencies=agencies,
            also_seen_in=also_seen_in,
        )
        for index, text in enumerate(texts)
    ]


@transaction.atomic
def learning_point_update(
    *, actor, point: LearningPoint, heading: str = "", text: str, themes, agencies, also_seen_in=()
) -> LearningPoint:
    """Change a strength or finding. It keeps citing its case, with the other cases given."""
    _require_recordable(actor, point.case)
    _check_point(case=point.case, kind=point.kind, themes=themes, agencies=agencies, also_seen_in=also_seen_in)
    point.heading, point.text = heading.strip(), text.strip()
    point.full_clean()
    point.save_by(actor)
    point.themes.set(themes)
    point.agencies.set(agencies)
    point.evidence_cases.set([point.case, *also_seen_in])
    return point


@transaction.atomic
def learning_point_remove(*, actor, point: LearningPoint) -> None:
    """Remove a strength or finding; the history keeps what it said and who removed it."""
    _require_recordable(actor, point.case)
    delete_by(point, actor)
