"""E-mails of the administration pages: every change to what someone may do, to the
partnership's administrators and coordinators; and a new person's invitation. Builders only:
``agencies.administration.tasks`` sends them."""

from django.conf import settings
from django.urls import reverse

from agencies.access_log.services import Kind
from agencies.administration.invitations import invitation_path
from agencies.administration.selectors import privileges_notice_addresses
from agencies.models import AccessEvent, User
from audits.mail import absolute_url, send


def send_privileges_notice(event_ids: list[int], user_id: int, deleted: str = "") -> int:
    """Tell the administrators and coordinators what changed in someone's access, and who changed
    it, so that nobody gains a role unseen. Names staff, never a child. ``deleted``: the account
    is gone, and this names it."""
    events = list(AccessEvent.objects.filter(pk__in=event_ids).order_by("occurred_at", "pk"))
    person = User.objects.filter(pk=user_id).first()
    if not events or (person is None and not deleted):
        return 0
    if person is None:
        return send(
            template="privileges_changed",
            subject=f"Account deleted: {deleted}",
            to=privileges_notice_addresses(),
            context={"events": events, "person_line": deleted, "actor": events[0].user_email or "someone"},
        )
    actor = events[0].user_email or "someone outside the service"
    needs_confirming = any(event.kind == Kind.ROLE_GRANTED and "Coordinator role" in event.what for event in events)
    return send(
        template="privileges_changed",
        subject=f"{person} has new access to the service" if needs_confirming else f"Access changed: {person}",
        # Not the person themselves: the notice is for those who can check it and undo it.
        to=[address for address in privileges_notice_addresses() if address != person.email],
        context={
            "events": events,
            "person": person,
            "person_line": f"{person} ({person.email})",
            "actor": actor,
            "person_url": absolute_url(reverse("administration:person-detail", args=[person.pk])),
            "confirm_url": absolute_url(reverse("administration:coordinator-confirm", args=[person.pk]))
            if needs_confirming
            else "",
        },
    )


def send_invitation(user_id: int, token: str) -> int:
    """The invited person's link to set their password and two-factor sign-in: single use, and
    working for INVITATION_DAYS days."""
    person = User.objects.get(pk=user_id)
    return send(
        template="invitation",
        subject=f"You have been invited to {settings.SERVICE_NAME}",
        to=[person.email],
        context={
            "person": person,
            "invitation_url": absolute_url(invitation_path(token)),
            "days": settings.INVITATION_DAYS,
        },
    )
