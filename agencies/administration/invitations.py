"""Invitation links: a new person's single-use, expiring way in, to set a password and then
two-factor sign-in. The token is made by the e-mail task and exists only in the e-mail: the
database keeps its SHA-256, sessions keep the hash too, and nothing logs either."""

import base64
import datetime
import hashlib
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from agencies.access_log.services import Kind, record
from agencies.models import Invitation, User
from lib.models import locked
from lib.running_task import current_task_id

EXPIRED = "This invitation link has expired or has already been used"
# The link's query-string parameter that carries the token (/invitation/?t=...): in the query,
# which no access log writes (deploy/gunicorn.conf.py, deploy/nginx.conf.example).
LINK_PARAMETER = "t"


def invitation_path(token: str) -> str:
    """The path (with its query) of the link that carries ``token``."""
    return reverse("administration:invitation") + "?" + urlencode({LINK_PARAMETER: token})


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256 (the token is 32 random bytes, so a
    slow hash adds nothing)."""
    return hashlib.sha256(str(token).encode()).hexdigest()


def _token_for(user_id: int) -> str:
    """A new random token; inside a task, the one that task always makes for this person (keyed
    with SECRET_KEY by the task's result id, which stays the same when it is queued again)."""
    task_id = current_task_id()
    if not task_id:
        return secrets.token_urlsafe(32)
    digest = salted_hmac("agencies.administration.invitation", f"{task_id}:{user_id}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@transaction.atomic
def invitation_issue(*, user_id: int, created_by_id: int | None) -> str | None:
    """A new invitation for an account that has not set a password: its token (for the e-mail
    alone), or None when there is nothing to invite. The person's older links stop working.
    Called by the e-mail task, so that the token is never stored but as its hash."""
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return None
    token = _token_for(user_id)
    if Invitation.objects.filter(user=user, token_hash=token_hash(token), used_at__isnull=True).exists():
        # The same task run again after its worker stopped: the same link, so the e-mail ledger
        # (audits.sent_mail) sees the same message and does not send it twice.
        return token
    Invitation.objects.filter(user=user, used_at__isnull=True).delete()
    now = timezone.now()
    Invitation.objects.create(
        user=user,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
        created_by_id=created_by_id,
    )
    return token


def usable_invitation(hashed: str | None) -> Invitation | None:
    """The invitation with this token hash, if its link still works."""
    if not hashed:
        return None
    invitation = Invitation.objects.select_related("user").filter(token_hash=hashed).first()
    return invitation if invitation is not None and invitation.is_usable else None


@transaction.atomic
def invitation_accept(*, hashed: str, password: str, origin: str | None = None) -> User:
    """Set the invited person's password (already checked by Django's validators) and use the
    link up: it never works again."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=hashed).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError(EXPIRED)
    user = locked(invitation.user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record(Kind.PASSWORD_CHANGED, origin=origin, user=user, what="Password set from an invitation")
    return user
