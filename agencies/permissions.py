"""Who may see the service's own records about people (as opposed to audit data).

Like ``audits/permissions.py``: ``can_*`` answers for templates and navigation, ``require_*``
raises PermissionDenied (403) and is the first line of every view it guards."""

from django.core.exceptions import PermissionDenied


def can_view_access_log(user) -> bool:
    """The access log is not agency data: the Administrator role only (agencies/roles.py), never
    coordinators or agency staff."""
    return user.is_authenticated and user.has_perm("agencies.view_accessevent")


def require_access_log(user) -> None:
    if not can_view_access_log(user):
        raise PermissionDenied
