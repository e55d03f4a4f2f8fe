"""Counting requests in Django's cache, so that a limit holds across every web server when the
cache is Redis (CACHE_URL). Used by the password-reset request page."""

import hashlib

from django.core.cache import cache
from django.utils import timezone


def within_limit(kind: str, value: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of ``kind`` for ``value`` (an address, a client's IP) in the current
    window of ``window_seconds``, and say whether it is within ``limit``. Over the limit, each
    further request still counts. The cache holds a digest of the value, never the value."""
    digest = hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()
    window = int(timezone.now().timestamp()) // window_seconds
    key = f"throttle:{kind}:{digest}:{window}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
