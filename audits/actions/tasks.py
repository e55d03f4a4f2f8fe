"""The action plan's background tasks (django.tasks): its e-mails, queued on commit like every other
e-mail, so they go through whatever TASKS_BACKEND says."""

from django.tasks import task

from audits.actions import emails


@task
def send_action_reminder(kind: str, action_id: int) -> int:
    return emails.send_action_reminder(kind, action_id)


@task
def send_action_completion_proposed(action_id: int) -> int:
    return emails.send_action_completion_proposed(action_id)
