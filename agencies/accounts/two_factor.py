"""Two-factor sign-in: a password, then a code from an authenticator app (TOTP) or a recovery code.

The devices are django-otp's: one confirmed ``TOTPDevice`` (the authenticator app) and one
``StaticDevice`` holding the recovery codes, each of which works once. A session counts as verified
once ``django_otp.login`` has recorded the device that checked the code (``user.is_verified()``).

Services here change devices and write the access log; views only call them."""

import base64
import datetime
import io

import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.access_log.services import Kind, record
from agencies.models import User

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

# When two-factor sign-in is not required (DEBUG on), people who have set it up are still asked
# for a code. Whether they have is looked up once, as they sign in, and kept in the session.
SESSION_HAS_DEVICE = "two_factor_has_device"
# Recovery codes just made, kept until the page that shows them once has been displayed.
SESSION_PENDING_DEVICE = "two_factor_pending_device"
SESSION_NEW_CODES = "two_factor_new_recovery_codes"
# When this session last gave the password and a current code, to replace the authenticator or
# the recovery codes: good for one replacement within CONFIRM_SECONDS.
SESSION_CONFIRMED_AT = "two_factor_confirmed_at"
CONFIRM_SECONDS = 10 * 60


class ThrottledError(Exception):
    """Too many wrong codes in a row: django-otp refuses to check another until ``until``."""

    def __init__(self, until: datetime.datetime | None):
        super().__init__("Too many wrong codes")
        self.until = until


def authenticator_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def is_required(request) -> bool:
    """Whether this signed-in session must be verified with a code before anything else.

    Always when TWO_FACTOR_REQUIRED is on; otherwise (the DEBUG demo) only for people who had
    set two-factor sign-in up when they signed in. Costs no query per request."""
    return settings.TWO_FACTOR_REQUIRED or bool(request.session.get(SESSION_HAS_DEVICE))


@receiver(user_logged_in, dispatch_uid="two_factor.note_device_at_sign_in")
def _note_device_at_sign_in(sender, request, user, **kwargs):
    # Connected when this module is first imported: agencies/admin.py imports it, and the admin
    # site imports every admin module as Django starts.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_HAS_DEVICE] = has_authenticator(user)


def forget_cached_state(request) -> None:
    request.session.pop(SESSION_HAS_DEVICE, None)


def pending_authenticator(request) -> TOTPDevice:
    """The unconfirmed authenticator this session is setting up: the same one each time the page
    is shown in this session, so that a QR code already scanned keeps working until the first code
    confirms it. It belongs to the session, not only to the user: another session signed in with
    the same password (someone who has learned it) gets a key of its own, and cannot confirm or
    read the one shown here."""
    user = request.user
    pk = request.session.get(SESSION_PENDING_DEVICE)
    device = TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first() if pk else None
    if device is None:
        # Set-ups abandoned more than a day ago are of no use to anyone.
        TOTPDevice.objects.filter(
            user=user, confirmed=False, created_at__lt=timezone.now() - datetime.timedelta(days=1)
        ).delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[SESSION_PENDING_DEVICE] = device.pk
    return device


def text_key(device: TOTPDevice) -> str:
    """The secret as an authenticator app expects it typed: base32, in groups of 4."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn on the server.

    Made by segno from the device's own key (no user-entered text), with presentation attributes
    only: no ``style=`` attribute, which the Content Security Policy would block."""
    qr = segno.make(device.config_url, error="m")
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=4,
        border=4,
        xmldecl=False,
        svgns=True,
        nl=False,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code for your authenticator app",
        svgclass=None,
        lineclass=None,
    )
    svg = out.getvalue().decode("utf-8")
    return mark_safe(svg)  # noqa: S308  (segno's own markup of a server-made key; nothing user-typed)


def normalise_code(value: str) -> str:
    """Codes are often typed with spaces or hyphens ("123 456", "abcd-efgh")."""
    return "".join(value.split()).replace("-", "").lower()


def _check(device, token: str) -> bool:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = None
        if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
            until = info.get("locked_until")
        raise ThrottledError(until)
    return device.verify_token(token)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirmed_recently(request) -> bool:
    """Whether this session gave its password and a current code in the last CONFIRM_SECONDS."""
    at = request.session.get(SESSION_CONFIRMED_AT)
    return at is not None and 0 <= timezone.now().timestamp() - at < CONFIRM_SECONDS


def needs_confirmation(request) -> bool:
    """Replacing an authenticator or recovery codes someone has needs the password and a current
    code first, so that a session left open (or taken over) cannot swap the second factor."""
    return has_authenticator(request.user) and not confirmed_recently(request)


def _require_confirmation(request) -> None:
    if needs_confirmation(request):
        raise PermissionDenied("Give your password and a current code first")


def two_factor_confirm(*, actor, request, password: str, code: str) -> None:
    """The password and a current code (from the authenticator app, or a recovery code, which is
    then used up) before the authenticator or the recovery codes are replaced. The password goes
    through ``authenticate``, so that wrong ones count towards the lockout like sign-in's (and are
    logged as failed sign-ins); a wrong code is logged as a refused two-factor code. Raises
    ``ValidationError`` naming the wrong field, ``ThrottledError`` after too many wrong codes."""
    if authenticate(request, username=actor.get_username(), password=password) != actor:
        raise ValidationError({"password": "Your password is wrong: enter it again"})
    token = normalise_code(code)
    recovery = len(token) != 6
    what = "Recovery code" if recovery else "Authenticator app code"
    what = f"{what}, to replace two-factor sign-in"
    device = StaticDevice.objects.filter(user=actor, confirmed=True).first() if recovery else authenticator_for(actor)
    try:
        with transaction.atomic():
            if device is not None:
                device = type(device).objects.select_for_update().get(pk=device.pk)
            ok = device is not None and _check(device, token)
    except ThrottledError:
        record(Kind.TWO_FACTOR_FAILED, request=request, user=actor, what=f"{what}: too many wrong codes")
        raise
    if not ok:
        record(Kind.TWO_FACTOR_FAILED, request=request, user=actor, what=what)
        wrong = "That recovery code is wrong or has been used" if recovery else "That code is wrong or has expired"
        raise ValidationError({"code": f"{wrong}: enter the code your authenticator app shows now"})
    if recovery:
        record(Kind.RECOVERY_CODE_USED, request=request, user=actor, what="To replace two-factor sign-in")
    request.session[SESSION_CONFIRMED_AT] = timezone.now().timestamp()


@transaction.atomic
def two_factor_set_up(*, actor, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator being set up with its first code. On success the device becomes
    the user's only authenticator, their recovery codes are replaced by 10 new ones (returned, to
    be shown once), the session counts as verified and the access log says so. A wrong code saves
    nothing but django-otp's throttling count. Raises ``ThrottledError`` after too many wrong codes.
    Someone replacing an authenticator must have confirmed first (``two_factor_confirm``)."""
    if has_authenticator(actor):
        _require_confirmation(request)
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=actor, confirmed=False).first()
    if device is None or request.session.get(SESSION_PENDING_DEVICE) != device.pk:
        return None
    if not _check(device, normalise_code(code)):
        return None
    request.session.pop(SESSION_PENDING_DEVICE, None)
    request.session.pop(SESSION_CONFIRMED_AT, None)  # one replacement per confirmation
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.name = DEVICE_NAME
    device.save()
    codes = _new_recovery_codes(actor)
    _login(request, device)
    record(Kind.TWO_FACTOR_SET_UP, request=request, user=actor)
    return codes


def _login(request, device) -> None:
    otp_login(request, device)
    forget_cached_state(request)


def two_factor_verify(*, actor, request, code: str, recovery_code: str = "") -> bool:
    """Check a code from the authenticator app, or a recovery code (used up when it works).
    Success verifies the session; each outcome goes into the access log. Raises ``ThrottledError``
    while django-otp is refusing to check codes after repeated wrong ones."""
    if recovery_code:
        device = StaticDevice.objects.filter(user=actor, confirmed=True).first()
        token, kind = normalise_code(recovery_code), Kind.RECOVERY_CODE_USED
        what = "Recovery code"
    else:
        device = authenticator_for(actor)
        token, kind = normalise_code(code), Kind.TWO_FACTOR_VERIFIED
        what = "Authenticator app code"
    try:
        with transaction.atomic():
            if device is not None:
                # Locked, so that two requests racing cannot both use one code or dodge throttling.
                device = type(device).objects.select_for_update().get(pk=device.pk)
            ok = device is not None and _check(device, token)
    except ThrottledError:
        record(Kind.TWO_FACTOR_FAILED, request=request, user=actor, what=f"{what}: too many wrong codes")
        raise
    if not ok:
        record(Kind.TWO_FACTOR_FAILED, request=request, user=actor, what=what)
        return False
    _login(request, device)
    record(kind, request=request, user=actor)
    return True


@transaction.atomic
def recovery_codes_replace(*, actor, request) -> list[str]:
    """Replace the user's recovery codes with 10 new ones; the old ones stop working at once.
    Only after ``two_factor_confirm`` (the password and a current code)."""
    _require_confirmation(request)
    request.session.pop(SESSION_CONFIRMED_AT, None)  # one replacement per confirmation
    codes = _new_recovery_codes(actor)
    record(Kind.TWO_FACTOR_SET_UP, request=request, user=actor, what="New recovery codes")
    return codes


@transaction.atomic
def two_factor_reset(*, actor, user, request=None, origin: str | None = None) -> None:
    """An administrator removes someone's authenticator and recovery codes, so that they set
    two-factor sign-in up again at their next sign-in. Nobody resets their own. Views pass the
    ``request``, services the client's address as ``origin``.

    A coordinator's confirmation to see identifiers was given to them with this two-factor
    sign-in: it is cleared too (recorded), so whoever sets it up again is confirmed again."""
    if actor.pk == user.pk:
        raise PermissionError("You cannot reset your own two-factor sign-in")
    if user.is_superuser and not actor.is_superuser:
        raise PermissionError("Only a superuser can reset a superuser's two-factor sign-in")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        Kind.TWO_FACTOR_RESET, request=request, origin=origin, user=actor, what=f"Two-factor reset for user #{user.pk}"
    )
    if User.objects.filter(pk=user.pk, identifiers_confirmed_at__isnull=False).update(
        identifiers_confirmed_at=None, identifiers_confirmed_by=None
    ):
        user.identifiers_confirmed_at = user.identifiers_confirmed_by = None
        record(
            Kind.COORDINATOR_UNCONFIRMED,
            request=request,
            origin=origin,
            user=actor,
            what=f"Confirmation to see identifiers cleared with the two-factor reset: user #{user.pk}",
        )


def throttle_message(until: datetime.datetime | None) -> str:
    if until is None:
        return "You have entered too many wrong codes. Wait a minute, then try again"
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
    if seconds < 60:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = (seconds + 59) // 60
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"You have entered too many wrong codes. Wait {wait}, then try again"
