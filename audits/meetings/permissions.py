"""Who may touch the multi-agency meeting.

The meeting: coordinators arrange it and write its record. Administrators read the record.
Leads of the round's agencies read it once the meeting has ended (403 before, so that no one
reads half-written notes); auditors and board viewers never (403); other agencies' staff 404.
The invitation (.ics) is for the coordinator and the round's agencies' leads and auditors.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agencies.permissions import can_view_all_rounds, is_coordinator
from audits.learning.models import CASE_KINDS
from audits.models import AuditRound, Case, LearningPoint, Meeting
from audits.rounds.permissions import get_round_for_user, require_round_access


def can_manage_meeting(user) -> bool:
    """Coordinators arrange the meeting and write its record."""
    return is_coordinator(user)


def require_meeting_management(user) -> None:
    if not can_manage_meeting(user):
        raise PermissionDenied


def _meeting(user, pk) -> Meeting:
    require_round_access(user)
    rounds = AuditRound.objects.visible_to(user)
    return get_object_or_404(Meeting.objects.select_related("round__area").filter(round__in=rounds), pk=pk)


def reads_records(user) -> bool:
    """Who reads meeting records at all: partnership staff who see every round, and agency leads."""
    return can_view_all_rounds(user) or user.is_agency_lead


def reads_record_once_ended(user) -> bool:
    """Agency leads read a meeting's record only once the meeting has ended."""
    return not can_view_all_rounds(user)


def can_read_record(user, meeting: Meeting) -> bool:
    return reads_records(user) and (not reads_record_once_ended(user) or meeting.ends_at <= timezone.now())


def can_download_invitation(user) -> bool:
    """The .ics invitation is for coordinators and the staff of the round's agencies."""
    return is_coordinator(user) or user.agency is not None


def get_meeting_for_user(user, pk, *, manage: bool = False) -> Meeting:
    """The meeting record: see the module docstring for who reads and who writes it."""
    meeting = _meeting(user, pk)
    if manage:
        require_meeting_management(user)
    elif not can_read_record(user, meeting):
        raise PermissionDenied
    return meeting


def get_meeting_for_invitation(user, pk) -> Meeting:
    """The .ics invitation: coordinators, and staff of the round's agencies (404 for others)."""
    meeting = _meeting(user, pk)
    if not can_download_invitation(user):
        raise PermissionDenied
    return meeting


def get_meeting_case_for_user(user, pk, number, *, manage: bool = False) -> tuple[Meeting, Case]:
    meeting = get_meeting_for_user(user, pk, manage=manage)
    # Agency leads read the record of their own agency's cases only, as everywhere else (404).
    cases = Case.objects.visible_to(user).select_related("round__area")
    case = get_object_or_404(cases, round_id=meeting.round_id, number=number)
    return meeting, case


def get_learning_point_for_user(user, pk, number, point_pk) -> tuple[Meeting, Case, LearningPoint]:
    meeting, case = get_meeting_case_for_user(user, pk, number, manage=True)
    point = get_object_or_404(
        LearningPoint.objects.filter(kind__in=CASE_KINDS),
        case=case,
        pk=point_pk,
    )
    return meeting, case, point


def get_sitting_for_user(user, round_pk, sitting) -> Meeting:
    """A sitting to change: coordinators only (403), rounds they can see (404)."""
    require_round_access(user)
    meeting = get_object_or_404(
        Meeting.objects.select_related("round__area").filter(round__in=AuditRound.objects.visible_to(user)),
        round_id=round_pk,
        sitting=sitting,
    )
    require_meeting_management(user)
    return meeting


def can_request_meeting_pack(user, audit_round: AuditRound) -> bool:
    """The meeting pack of a round that has opened: coordinators (every case) and the staff of the
    round's agencies (their agency's cases, as ``Case.objects.visible_to`` shows them). What a
    pack holds is what its requester may see on screen (``audits.meetings.exports``)."""
    return audit_round.has_opened and (is_coordinator(user) or (user.is_authenticated and user.agency is not None))


def get_round_for_meeting_pack(user, pk) -> AuditRound:
    """The round whose meeting pack is asked for: 404 for a round the user may not see (another
    agency's), 403 for those who see it but get no pack (administrators) or before it opens."""
    audit_round = get_round_for_user(user, pk)
    if not can_request_meeting_pack(user, audit_round):
        raise PermissionDenied
    return audit_round


def sees_every_agencys_grades(user, meetings) -> bool:
    """Every agency's grades side by side, as the meeting's case record shows them: partnership
    staff who see every round, and those who may read the record of one of the round's sittings
    (``meetings``). Everyone else sees the grades of the audit tools they may see."""
    return can_view_all_rounds(user) or any(can_read_record(user, meeting) for meeting in meetings)
