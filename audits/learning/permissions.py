"""Who may touch a round's learning, the learning library and the practice themes.

A round's learning page: coordinators write it; administrators read it; board viewers and
agency staff never (403: it gathers every agency's cases, so no agency reads it).

The learning library, the recurring themes and the agreed grades across rounds: whoever may read
published briefings (``agencies.permissions.can_read_library``); everyone else 403. Of the
learning, coordinators read all of it; every other reader only the learning a published briefing
printed (``can_read_unpublished_learning``), so no finding of an open round reaches them early;
likewise the agreed grades of only the rounds a published briefing covers.

Practice themes: whoever has ``audits.manage_themes`` (coordinators and administrators); 403
for everyone else.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from agencies.permissions import can_manage_themes, can_read_library, can_view_all_rounds, is_coordinator
from audits.learning.models import CASE_KINDS
from audits.models import AuditRound, LearningPoint, PracticeTheme


def can_manage_learning(user) -> bool:
    """Coordinators write the round's learning."""
    return is_coordinator(user)


def require_learning_management(user) -> None:
    if not can_manage_learning(user):
        raise PermissionDenied


def get_round_learning_for_user(user, pk, *, manage: bool = False) -> AuditRound:
    if not can_view_all_rounds(user):
        raise PermissionDenied
    audit_round = get_object_or_404(AuditRound.objects.select_related("area"), pk=pk)
    if manage:
        require_learning_management(user)
    return audit_round


def get_round_point_for_user(user, pk, point_pk) -> tuple[AuditRound, LearningPoint]:
    """A point written for the round (any kind; not one a meeting recorded on a case), to change:
    coordinators only."""
    audit_round = get_round_learning_for_user(user, pk, manage=True)
    point = get_object_or_404(LearningPoint.objects.filter(round=audit_round, case=None), pk=point_pk)
    point.round = audit_round
    return audit_round, point


def get_case_point_for_user(user, audit_round: AuditRound, point_pk) -> LearningPoint | None:
    """The round's strength or finding a new point starts from; None when it is not the round's."""
    require_learning_management(user)
    return (
        LearningPoint.objects.filter(round=audit_round, kind__in=CASE_KINDS)
        .select_related("case")
        .prefetch_related("themes", "agencies", "evidence_cases")
        .filter(pk=point_pk)
        .first()
    )


def can_read_unpublished_learning(user) -> bool:
    """Coordinators read all learning in the library; every other reader only what a published
    briefing printed."""
    return is_coordinator(user)


def require_library_access(user) -> None:
    if not can_read_library(user):
        raise PermissionDenied


def require_theme_management(user) -> None:
    if not can_manage_themes(user):
        raise PermissionDenied


def get_theme_for_user(user, pk) -> PracticeTheme:
    require_theme_management(user)
    return get_object_or_404(PracticeTheme, pk=pk)
