"""Background tasks (django.tasks). Services queue them with ``transaction.on_commit`` so that
nothing is sent for a change that rolled back. Arguments are plain ids: a queue-backed backend
stores them as JSON."""

from django.tasks import task

from audits import notifications


@task
def send_round_invitations(round_id: int) -> int:
    return notifications.send_round_invitations(round_id)


@task
def send_submission_notice(kind: str, item_id: int) -> int:
    return notifications.send_submission_notice(kind, item_id)


@task
def send_reminder(kind: str, agency_id: int, round_id: int, tool_ids: list[int], chronology_ids: list[int]) -> int:
    return notifications.send_reminder(kind, agency_id, round_id, tool_ids, chronology_ids)
