"""Who may see the service's own records about people (as opposed to audit data).

Like ``audits/permissions.py``: ``can_*`` answers for templates and navigation, ``require_*``
raises PermissionDenied (403) and is the first line of every view it guards."""

from django.core.exceptions import PermissionDenied

from agencies.roles import ADMINISTRATOR


def is_administrator(user) -> bool:
    """Holds the partnership's Administrator role (or is a superuser). The role's own permission
    is checked first: it is cached on the user, so that nobody else pays for the group query."""
    if not user.is_authenticated or not user.has_perm("agencies.view_user"):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_administrator"):
        user._is_administrator = user.groups.filter(name=ADMINISTRATOR).exists()
    return user._is_administrator


def can_view_access_log(user) -> bool:
    """The access log is not agency data: administrators only, never coordinators or agency staff."""
    return is_administrator(user)


def require_access_log(user) -> None:
    if not can_view_access_log(user):
        raise PermissionDenied
