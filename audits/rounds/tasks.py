"""The rounds' background tasks (django.tasks), queued by services on commit. Arguments are plain
ids: a queue-backed backend stores them as JSON."""

from django.tasks import task

from audits.rounds import emails, retention


@task
def send_round_invitations(round_id: int) -> list[dict]:
    return emails.send_round_invitations(round_id)


@task
def apply_retention() -> list[str]:
    """Destroy the identifiers of rounds past retention (what ``manage.py apply_retention`` does),
    for a scheduler that runs tasks. Returns what was done, counts only."""
    return [str(purge) for purge in retention.apply_retention()]
