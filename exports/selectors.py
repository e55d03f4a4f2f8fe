"""Reads of exports for pages."""

from exports.models import Export


def exports_of(user):
    """The exports ``user`` asked for, newest first (one query a page, whatever the kinds)."""
    return Export.objects.filter(requested_by=user).order_by("-requested_at", "-pk")
