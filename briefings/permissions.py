"""Who may touch briefings (STYLE.md 4). Every briefings view starts with one of these.

Coordinators write every briefing. Anyone who may read published briefings (coordinators,
administrators, board viewers) sees the published list and downloads published versions; a
briefing that has never been published does not exist for them (404). Agency staff: 403.
Branding is the administrators' (``briefings.manage_branding``, held by the Administrator role)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from audits.rounds.permissions import get_round_for_user
from briefings.models import Briefing, PublishedVersion


def can_manage_briefings(user) -> bool:
    """Coordinators write briefings."""
    return user.has_perm("audits.manage_rounds")


def require_briefing_management(user) -> None:
    if not can_manage_briefings(user):
        raise PermissionDenied


def require_published_access(user) -> None:
    if not user.has_perm("briefings.view_published"):
        raise PermissionDenied


def require_branding_access(user) -> None:
    if not user.has_perm("briefings.manage_branding"):
        raise PermissionDenied


def get_briefing_for_user(user, pk, *, manage: bool = False) -> Briefing:
    """A briefing: coordinators any; other readers of published briefings only one with a
    published version (404 otherwise); everyone else 403."""
    require_published_access(user)
    queryset = Briefing.objects.prefetch_related("rounds__area")
    if manage:
        require_briefing_management(user)
    elif not can_manage_briefings(user):
        queryset = queryset.filter(versions__isnull=False).distinct()
    return get_object_or_404(queryset, pk=pk)


def get_version_for_user(user, pk, number) -> PublishedVersion:
    require_published_access(user)
    return get_object_or_404(PublishedVersion.objects.select_related("briefing"), briefing_id=pk, number=number)


def get_render_for_user(user, pk, render_pk):
    briefing = get_briefing_for_user(user, pk, manage=True)
    return get_object_or_404(briefing.renders.all(), pk=render_pk)


def get_round_for_briefing(user, pk):
    """A round to write a briefing for: coordinators only (403 for everyone else, agency staff included)."""
    require_briefing_management(user)
    return get_round_for_user(user, pk, manage=True)
