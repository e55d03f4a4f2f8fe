"""Lockout after repeated failed sign-ins (django-axes), per account whatever the letter case."""

from django.conf import settings

from agencies.models import normalise_email


def lockout_username(request, credentials=None) -> str:
    """The address django-axes counts failures under (``AXES_USERNAME_CALLABLE``). Axes asks it
    when it records a failure, when it checks for a lockout and when a success clears the count,
    so ``SOMEONE@example.org`` and ``someone@example.org `` are one account at all three: five
    failures under any spellings lock it, and a success under one spelling clears only its own
    count."""
    if credentials:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        typed = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(typed)
