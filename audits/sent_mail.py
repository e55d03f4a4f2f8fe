"""The e-mail ledger: each message a task sent, so that the task, queued again after its worker
stopped (``lib.task_recovery``) or run twice, does not send it again. A message is known by the
task that sends it (its result id, which stays the same when it is queued again) and a digest of
what it is (template, recipient, subject and text): nothing readable. ``send_once`` writes it in
the transaction that sends the message, committed once the mail server has accepted it: a second
run of the same task at the same time waits on the first's row (the unique constraint) and skips
the message once the first commits, or sends it if the first rolled back (its sending failed, or
its process died). A duplicate is possible only if the process dies between the mail server
accepting the message and that commit. ``manage.py recover_tasks`` deletes entries older than
SENT_MAIL_KEEP_DAYS, long after any retry."""

import datetime
import hashlib
from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.utils import timezone

SENT_MAIL_KEEP_DAYS = 30


class SentMail(models.Model):
    task_id = models.CharField(max_length=100, help_text="The task result that sent it.")
    digest = models.CharField(max_length=64, help_text="sha256 of the template, recipient, subject and text.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "audits"
        verbose_name = "e-mail sent by a task"
        verbose_name_plural = "e-mails sent by tasks"
        constraints = [models.UniqueConstraint(fields=["task_id", "digest"], name="mail_sent_once_per_task")]
        indexes = [models.Index(fields=["sent_at"], name="sent_mail_age")]

    def __str__(self):
        return f"E-mail sent by task {self.task_id}"


def message_digest(*, template: str, address: str, subject: str, text: str) -> str:
    return hashlib.sha256("\0".join((template, address.lower(), subject, text)).encode()).hexdigest()


def already_sent(task_id: str, digest: str) -> bool:
    return SentMail.objects.filter(task_id=task_id, digest=digest).exists()


def send_once(task_id: str, digest: str, deliver: Callable[[], int]) -> int:
    """Run ``deliver`` (send the message; returns how many went) unless this task sent it
    before, or is sending it now in another process: then 1, as it went. The record is written
    first, in the same transaction, and committed only if the message went."""
    if already_sent(task_id, digest):
        return 1
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Waits while another run's uncommitted record holds the same key.
                SentMail.objects.create(task_id=task_id, digest=digest)
        except IntegrityError:
            return 1  # the other run sent it and committed
        delivered = deliver()
        if not delivered:
            transaction.set_rollback(True)  # not sent: a later run may send it
        return delivered


def sent_mail_prune(*, now=None) -> int:
    """Forget messages sent more than SENT_MAIL_KEEP_DAYS ago; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=SENT_MAIL_KEEP_DAYS)
    return SentMail.objects.filter(sent_at__lt=cutoff).delete()[0]
