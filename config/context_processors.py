from django.conf import settings
from django.urls import reverse

from agencies.permissions import can_view_access_log


def service(request):
    """Service name, partnership branding and the role-aware navigation for every page."""
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        nav.append(("Your tasks", reverse("home"), "home"))
        if user.has_perm("audits.view_all_rounds") or user.agency is not None:
            nav.append(("Audit rounds", reverse("audits:round-list"), "audits"))
            nav.append(("Action plan", reverse("audits:action-list"), "actions"))
        if user.has_perm("audits.manage_rounds") or user.has_perm("agencies.change_agency"):
            nav.append(("Audit tool templates", reverse("audits:template-list"), "templates"))
            nav.append(("Practice themes", reverse("audits:theme-list"), "themes"))
        if user.has_perm("briefings.view_published"):
            nav.append(("Learning library", reverse("audits:library"), "library"))
            nav.append(("Briefings", reverse("briefings:briefing-list"), "briefings"))
        if can_view_access_log(user):
            nav.append(("Access log", reverse("access-log"), "access-log"))
        if user.is_staff:
            nav.append(("Administration", reverse("admin:index"), "admin"))
    match = getattr(request, "resolver_match", None)
    current = ""
    if match is not None:
        current = "home" if match.url_name == "home" else (match.namespace or "")
        if (match.url_name or "").startswith("template-"):
            current = "templates"
        elif (match.url_name or "").startswith("theme-"):
            current = "themes"
        if (match.url_name or "").startswith("action-"):
            current = "actions"
        if (match.url_name or "").startswith("library"):
            current = "library"
        if (match.url_name or "").startswith("access-log"):
            current = "access-log"
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "brand_colour": settings.PARTNERSHIP_BRAND_COLOUR,
        "phase": settings.PHASE,
        "support_email": settings.SUPPORT_EMAIL,
        "session_timeout_seconds": settings.SESSION_COOKIE_AGE,
        "navigation": [{"label": label, "url": url, "current": key == current} for label, url, key in nav],
    }
