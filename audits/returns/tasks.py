"""The returns' background tasks (django.tasks), queued by services on commit. Arguments are plain
ids: a queue-backed backend stores them as JSON."""

from django.tasks import task

from audits.returns import emails


@task
def send_submission_notice(kind: str, item_id: int) -> int:
    return emails.send_submission_notice(kind, item_id)


@task
def send_reminder(kind: str, agency_id: int, round_id: int, tool_ids: list[int], chronology_ids: list[int]) -> int:
    return emails.send_reminder(kind, agency_id, round_id, tool_ids, chronology_ids)


@task
def send_ready_notice(kind: str, item_id: int) -> int:
    return emails.send_ready_notice(kind, item_id)


@task
def send_decision_notice(kind: str, item_id: int) -> int:
    return emails.send_decision_notice(kind, item_id)
