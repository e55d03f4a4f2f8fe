from django.conf import settings

from agencies.accounts.middleware import session_seconds_left
from agencies.permissions import (
    can_open_settings,
    can_read_library,
    can_view_rounds,
)
from lib.urls import url_for

# Which navigation section a page belongs to, by the code that serves it: the longest entry that
# the view's dotted name (``module.function``) starts with, so a feature package's entry covers
# all its views and a more specific entry some of them. Pages of none (sign-in, your account)
# light no section.
SECTIONS = {
    "audits.home.": "home",
    "audits.rounds.": "audits",
    "audits.returns.": "audits",
    "audits.meetings.": "audits",
    "audits.learning.views.round_learning.": "audits",
    "audits.actions.": "actions",
    # A round's own action plan (and its exports) is a page of the round.
    "audits.actions.views.round_actions": "audits",
    # The pages that set the service up are one section, "Settings" (its index is the
    # administration package's).
    "audits.tool_templates.": "settings",
    "audits.learning.views.themes.": "settings",
    "audits.learning.views.library.": "library",
    "briefings.": "briefings",
    "agencies.access_log.": "settings",
    "agencies.administration.": "settings",
}


def current_section(match) -> str:
    """The navigation section of the page ``match`` (``request.resolver_match``) resolved to."""
    if match is None:
        return ""
    if match.namespace == "admin":
        return "settings"  # the administration site's pages come from Django and many apps
    name = f"{match.func.__module__}.{match.func.__name__}"
    prefixes = [prefix for prefix in SECTIONS if name.startswith(prefix)]
    return SECTIONS[max(prefixes, key=len)] if prefixes else ""


def url(name: str) -> str:
    """``reverse(name)`` for a URL without arguments, worked out once (lib/urls.py): the
    navigation asks for the same few on every page."""
    return url_for(name)


def navigation_items(user) -> list[tuple[str, str, str]]:
    """The sections a user may use, in order: (label, URL, section)."""
    if user is None or not user.is_authenticated:
        return []
    nav = [("Your tasks", url("home"), "home")]
    if can_view_rounds(user):
        nav.append(("Audit rounds", url("audits:round-list"), "audits"))
        nav.append(("Action plan", url("audits:action-list"), "actions"))
    if can_read_library(user):
        nav.append(("Learning library", url("audits:library"), "library"))
        nav.append(("Briefings", url("briefings:briefing-list"), "briefings"))
    if can_open_settings(user):
        # Audit tool templates, practice themes, the administrators' pages, the access log and
        # Django's admin, listed by what the person may manage ("Your account" and "Sign out"
        # are in the header), so the navigation fits one line.
        nav.append(("Settings", url("administration:settings"), "settings"))
    return nav


def service(request):
    """Service name, partnership branding and the role-aware navigation for every page."""
    nav = navigation_items(getattr(request, "user", None))
    current = current_section(getattr(request, "resolver_match", None))
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "brand_colour": settings.PARTNERSHIP_BRAND_COLOUR,
        "phase": settings.PHASE,
        "support_email": settings.SUPPORT_EMAIL,
        "session_timeout_seconds": session_seconds_left(),
        "navigation": [{"label": label, "url": url, "current": key == current} for label, url, key in nav],
    }
