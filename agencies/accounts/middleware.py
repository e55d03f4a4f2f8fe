"""Two-factor sign-in enforcement: a session signed in with a password only reaches nothing but
the two-factor pages (and sign-out) until a code has been checked."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from agencies.accounts import two_factor

# When the session was last saved (SessionTouchMiddleware), in seconds since the epoch.
TOUCHED_KEY = "touched"
OPEN_BEFORE_VERIFIED = {"two-factor-code", "two-factor-set-up", "sign-out"}


class TwoFactorMiddleware:
    """After OTPMiddleware (which sets ``user.is_verified()``). When two-factor sign-in is required
    (``TWO_FACTOR_REQUIRED``, or the user has set it up: see ``two_factor.is_required``), a signed-in
    but unverified session is sent to enter its code, or to set up an authenticator if it has none.
    The page asked for is kept as ``?next=`` when it is safe to return to. The administration site
    is covered like every other page, and so is the keep-alive POST: the timeout warning's script
    follows the redirect, so staying on the code page keeps the session, and nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refuse(request) or self.get_response(request)

    def refuse(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not two_factor.is_required(request):
            return None
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = None
        if name in OPEN_BEFORE_VERIFIED:
            return None
        has_app = two_factor.has_authenticator(user)
        if not has_app and not settings.TWO_FACTOR_REQUIRED:
            # Asked only because they had an app when they signed in, and it has been reset since.
            two_factor.forget_cached_state(request)
            return None
        target = reverse("two-factor-code" if has_app else "two-factor-set-up")
        if request.method == "GET":
            wanted = request.get_full_path()
            if wanted != reverse("home") and url_has_allowed_host_and_scheme(
                wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = f"{target}?{urlencode({'next': wanted})}"
        return redirect(target)


class SessionTouchMiddleware:
    """Sessions end after SESSION_IDLE_MINUTES without a request. Rather than rewriting the
    session on every request (SESSION_SAVE_EVERY_REQUEST), a signed-in session is saved, moving
    its end, at most once every SESSION_TOUCH_SECONDS, and whenever its contents change; the
    idle time-out is therefore exact to within that. Pages count down from the shorter time
    (``session_seconds_left``) so their warning never comes too late."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session:
            touch(request.session)
        return self.get_response(request)


def touch(session, *, now: bool = False) -> None:
    """Note the time in the session (so that it is saved) if it was last saved over
    SESSION_TOUCH_SECONDS ago, or ``now``: as someone signs in."""
    moment = int(time.time())
    touched = session.get(TOUCHED_KEY)
    if now or not isinstance(touched, int) or moment - touched >= settings.SESSION_TOUCH_SECONDS:
        session[TOUCHED_KEY] = moment


def session_seconds_left() -> int:
    """How long a signed-in session is sure to last after a page loads."""
    return max(settings.SESSION_COOKIE_AGE - settings.SESSION_TOUCH_SECONDS, 60)
