"""Who may touch a round's learning and the learning library.

A round's learning page: coordinators write it; administrators read it; board viewers and
agency staff never (403: it gathers every agency's cases, so no agency reads it).

The learning library and recurring themes: whoever may read published briefings
(``briefings.view_published``: coordinators, administrators, board viewers); agency staff 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from audits.learning.services import ROUND_KINDS
from audits.models import AuditRound, LearningPoint
from audits.rounds.permissions import require_round_management


def get_round_learning_for_user(user, pk, *, manage: bool = False) -> AuditRound:
    if not user.has_perm("audits.view_all_rounds"):
        raise PermissionDenied
    audit_round = get_object_or_404(AuditRound.objects.select_related("area"), pk=pk)
    if manage:
        require_round_management(user)
    return audit_round


def get_round_point_for_user(user, pk, point_pk) -> tuple[AuditRound, LearningPoint]:
    """A key message, recommendation or good practice of the round, to change: coordinators only."""
    audit_round = get_round_learning_for_user(user, pk, manage=True)
    point = get_object_or_404(
        LearningPoint.objects.filter(round=audit_round, case=None, kind__in=ROUND_KINDS), pk=point_pk
    )
    point.round = audit_round
    return audit_round, point


def get_case_point_for_user(user, audit_round: AuditRound, point_pk) -> LearningPoint | None:
    """The meeting's strength or finding a new point starts from; None when it is not the round's."""
    require_round_management(user)
    return (
        LearningPoint.objects.filter(
            round=audit_round, case__isnull=False, kind__in=[LearningPoint.Kind.STRENGTH, LearningPoint.Kind.FINDING]
        )
        .select_related("case")
        .prefetch_related("themes", "agencies")
        .filter(pk=point_pk)
        .first()
    )


def require_library_access(user) -> None:
    if not user.has_perm("briefings.view_published"):
        raise PermissionDenied
