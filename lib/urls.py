"""``reverse`` worked out once per URL: list pages link every row (a round, its cases, an action)
and Django's ``reverse`` costs tens of microseconds a call, a few milliseconds a page."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

URLS_KEPT = 16384


@functools.lru_cache(maxsize=URLS_KEPT)
def _reverse(name: str, args: tuple, prefix: str, urlconf: str) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def url_for(name: str, *args) -> str:
    """``reverse(name, args=args)``, kept per script prefix and URL configuration (a test that
    overrides ``ROOT_URLCONF`` gets its own). Arguments are ids, numbers and slugs: nothing from a
    form or a child's record."""
    return _reverse(name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
