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


@task
def apply_retention() -> list[str]:
    """Destroy the identifiers of rounds past retention (what ``manage.py apply_retention`` does),
    for a scheduler that runs tasks. Returns what was done, counts only."""
    from audits.services.retention import apply_retention as run

    return [str(purge) for purge in run()]
