"""The meetings' background tasks (django.tasks), queued by services on commit."""

from django.tasks import task

from audits.meetings import emails


@task
def send_meeting_invitations(meeting_id: int) -> int:
    return emails.send_invitations(meeting_id)
