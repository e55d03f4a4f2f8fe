"""The administration pages' background tasks (django.tasks): the notice of a change to what
someone may do, and the invitation, queued on commit like every other e-mail."""

from django.tasks import task

from agencies.administration import emails
from agencies.administration.invitations import invitation_issue


@task
def send_privileges_notice(event_ids: list[int], user_id: int, deleted: str = "") -> int:
    return emails.send_privileges_notice(event_ids, user_id, deleted)


@task
def send_invitation(user_id: int, created_by_id: int | None) -> int:
    """Make the invitation's token here, so that it is never stored (not even in the task's
    arguments) but in the e-mail; nothing is sent once the person has set a password."""
    token = invitation_issue(user_id=user_id, created_by_id=created_by_id)
    return emails.send_invitation(user_id, token) if token else 0
