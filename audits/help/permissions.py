"""Who may read the help pages: everyone signed in. The accessibility statement and the privacy
notice are public (a public-sector service publishes them): their views are ``login_not_required``."""

from django.core.exceptions import PermissionDenied


def can_read_help(user) -> bool:
    """The glossary, the round guides and the grade scale: any signed-in person, whatever their role."""
    return user.is_authenticated and user.is_active


def require_help_access(user) -> None:
    if not can_read_help(user):
        raise PermissionDenied
