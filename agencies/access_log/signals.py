"""Sign-in events into the access log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from agencies.access_log.services import Kind, record
from agencies.models import User


@receiver(user_logged_in, dispatch_uid="access_log.signed_in")
def _signed_in(sender, request, user, **kwargs):
    record(Kind.SIGN_IN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="access_log.signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.SIGN_OUT, request=request, user=user)


def _account_named(typed) -> tuple[User | None, str]:
    """The account a typed address names, if there is one. Anything else typed (a mistyped
    address, or a password typed into the wrong box) is not kept."""
    user = User.objects.filter(email__iexact=str(typed or "")[:254]).first()
    return (user, user.email) if user is not None else (None, "(no such account)")


@receiver(user_login_failed, dispatch_uid="access_log.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    user, email = _account_named(credentials.get("username"))
    record(Kind.SIGN_IN_FAILED, request=request, user=user, email=email)


@receiver(user_locked_out, dispatch_uid="access_log.locked_out")
def _locked_out(sender, request, username=None, **kwargs):
    user, email = _account_named(username)
    record(Kind.LOCKED_OUT, request=request, user=user, email=email)
