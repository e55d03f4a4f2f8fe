"""Reads for the home page's briefing lists (the board's home and the coordinator's sign-off
list): a fixed number of queries, however many briefings there are."""

from django.db.models import Max

from briefings.models import Briefing
from briefings.permissions import readable_briefings, reviewable_briefings


def published_briefings(user):
    """The briefings with a published version the user may open, the latest publication first,
    with their rounds and versions (the first of ``versions.all`` is the latest)."""
    return (
        readable_briefings(user)
        .annotate(last_published_at=Max("versions__published_at"))
        .filter(last_published_at__isnull=False)
        .order_by("-last_published_at", "-pk")
        .prefetch_related("rounds__area", "versions")
    )


def briefings_in_sign_off(user, *, statuses):
    """The briefings the user may review that are at one of these statuses (waiting for approval,
    approved), the longest waiting first, with their rounds and their author."""
    return (
        reviewable_briefings(user)
        .filter(status__in=statuses)
        .select_related("created_by")
        .prefetch_related("rounds__area")
        .order_by("updated_at", "pk")
    )


AWAITING = [Briefing.Status.AWAITING]
IN_SIGN_OFF = [Briefing.Status.AWAITING, Briefing.Status.APPROVED]
