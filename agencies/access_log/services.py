"""Recording the access log (see ``AccessEvent``).

Every view of restricted identifiers, every export and every sign-in event goes through
``record``. What is recorded names things by their service reference (round, case number,
format); never a child's identifiers, never form contents."""

import ipaddress

from django.conf import settings

from agencies.models import AccessEvent

Kind = AccessEvent.Kind


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy, CLIENT_IP_HEADER names the header the
    proxy sets (for example HTTP_X_REAL_IP); otherwise REMOTE_ADDR. Of a list (X-Forwarded-For)
    the last address is taken: the one our proxy added, not one the client could have sent."""
    if request is None:
        return None
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    value = (value.split(",")[-1].strip() if value else "") or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def record(
    kind: str, *, request=None, origin: str | None = None, user=None, what: str = "", email: str = ""
) -> AccessEvent:
    """Add one row to the access log. ``user`` defaults to the request's signed-in user. Views
    and signals pass the ``request``; services pass ``origin``, the client's address
    (``client_ip(request)``, worked out by the view), and never see the request."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not email:
        email = user.email
    return AccessEvent.objects.create(
        kind=kind,
        user=user,
        user_email=email[:254],
        what=what[:300],
        ip_address=origin if origin is not None else client_ip(request),
    )


def record_export(request, *, what: str) -> AccessEvent:
    """An export (CSV, XLSX, PDF) was downloaded: ``what`` names it, e.g. "Integrated chronology
    PDF, round 4 case 2"."""
    return record(Kind.EXPORT, request=request, what=what)
