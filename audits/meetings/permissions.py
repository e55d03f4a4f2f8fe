"""Who may touch practice themes and the multi-agency meeting.

Practice themes: coordinators and administrators (administrators are recognised, as for
templates, by a permission only their role has: changing agencies); 403 for everyone else.

The meeting: coordinators arrange it and write its record. Administrators read the record.
Leads of the round's agencies read it once the meeting has ended (403 before, so that no one
reads half-written notes); auditors and board viewers never (403); other agencies' staff 404.
The invitation (.ics) is for the coordinator and the round's agencies' leads and auditors.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audits.models import AuditRound, Case, LearningPoint, Meeting, PracticeTheme
from audits.rounds.permissions import require_round_access, require_round_management


def can_manage_themes(user) -> bool:
    return user.has_perm("audits.manage_themes")


def require_theme_management(user) -> None:
    if not can_manage_themes(user):
        raise PermissionDenied


def get_theme_for_user(user, pk) -> PracticeTheme:
    require_theme_management(user)
    return get_object_or_404(PracticeTheme, pk=pk)


def _meeting(user, pk) -> Meeting:
    require_round_access(user)
    rounds = AuditRound.objects.visible_to(user)
    return get_object_or_404(Meeting.objects.select_related("round__area").filter(round__in=rounds), pk=pk)


def can_read_record(user, meeting: Meeting) -> bool:
    if user.has_perm("audits.view_all_rounds"):
        return True
    return user.is_agency_lead and meeting.ends_at <= timezone.now()


def get_meeting_for_user(user, pk, *, manage: bool = False) -> Meeting:
    """The meeting record: see the module docstring for who reads and who writes it."""
    meeting = _meeting(user, pk)
    if manage:
        require_round_management(user)
    elif not can_read_record(user, meeting):
        raise PermissionDenied
    return meeting


def get_meeting_for_invitation(user, pk) -> Meeting:
    """The .ics invitation: coordinators, and staff of the round's agencies (404 for others)."""
    meeting = _meeting(user, pk)
    if not (user.has_perm("audits.manage_rounds") or user.agency is not None):
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
        LearningPoint.objects.filter(kind__in=[LearningPoint.Kind.STRENGTH, LearningPoint.Kind.FINDING]),
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
    require_round_management(user)
    return meeting
