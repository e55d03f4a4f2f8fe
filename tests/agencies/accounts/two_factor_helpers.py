"""Helpers for tests of two-factor sign-in: devices, codes computed from their keys, and sessions
that count as verified."""

import time

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.accounts.two_factor import SESSION_CONFIRMED_AT

RECOVERY_CODE = "abcd2345"


def code_for(device, *, steps_ahead=0):
    """The code the person's authenticator app shows now (or ``steps_ahead`` 30-second steps on:
    a code once used is refused, and the next step's code is still accepted)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def give_authenticator(user, *, recovery_codes=(RECOVERY_CODE,)):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    for code in recovery_codes:
        static.token_set.create(token=code)
    return device


def sign_in_verified(client, user):
    """Signed in with the password and a checked code, as if through the pages."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def confirm_identity(client):
    """As if the session had just given its password and a current code ("Confirm it is you"),
    which replacing the authenticator or the recovery codes needs."""
    session = client.session
    session[SESSION_CONFIRMED_AT] = timezone.now().timestamp()
    session.save()
