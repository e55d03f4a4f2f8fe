"""Find the tasks a stopped task worker left running (``lib.task_recovery``): queue each again, or,
once it has been tried TASK_ATTEMPTS times, mark it failed, and the PDF, export or chronology import it was making
with it (the page then offers "Try again"), and fails the chronology imports that were never queued
as a task and have waited TASK_STALE_SECONDS. A task a worker still runs is left alone, however
long it takes (``lib.running_task.is_alive``). Also forgets e-mails sent more than a month ago
(``audits.sent_mail``). Run it every minute (deploy/systemd/mca-recover-tasks.timer); ``run_worker``
does the same when it starts. Started on two machines at once, one runs and the other stops
(``lib.locks.only_one``). Prints counts only."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from audits.returns.import_tasks import imports_give_up, imports_never_queued_fail
from audits.sent_mail import sent_mail_prune
from briefings.rendering import renders_give_up
from exports.running import exports_give_up
from lib.locks import only_one
from lib.task_recovery import Recovered, gave_up_reason, recover_tasks


def recover(*, worker_id: str = "") -> tuple[Recovered, int]:
    """Recover the tasks (``lib.task_recovery.recover_tasks``) and mark failed what the ones given
    up on were making, and the imports never queued; returns what was recovered and how many PDFs,
    exports and imports were failed."""
    with transaction.atomic():
        recovered = recover_tasks(worker_id=worker_id)
        reason = gave_up_reason(settings.TASK_ATTEMPTS)
        failed = (
            renders_give_up(recovered.failed, reason)
            + exports_give_up(recovered.failed, reason)
            + imports_give_up(recovered.failed, reason)
            + imports_never_queued_fail()
        )
    return recovered, failed


class Command(BaseCommand):
    help = "Queue again the tasks a stopped worker left running, or mark them failed after TASK_ATTEMPTS tries."

    def handle(self, *args, **options):
        with only_one("recover_tasks") as mine:
            if not mine:
                self.stdout.write("recover_tasks is already running (here or on another machine): nothing done.")
                return
            recovered, failed = recover()
            forgotten = sent_mail_prune()
        self.stdout.write(
            f"{len(recovered.requeued)} task(s) queued again; {len(recovered.failed)} given up on "
            f"({failed} PDF(s), export(s) or import(s) marked failed); {forgotten} old e-mail record(s) deleted."
        )
