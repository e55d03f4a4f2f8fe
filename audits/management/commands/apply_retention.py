"""Destroy restricted identifiers and candidate lists of rounds closed longer than
RETENTION_DAYS_AFTER_CLOSE days, and the files of exports past EXPORT_KEEP_HOURS. Run it daily
(cron or a systemd timer); running it again is harmless, and started on two machines at once one
runs and the other says so and stops (``lib.locks.only_one``). Prints counts only, never an
identifier."""

from django.core.management.base import BaseCommand

from audits.rounds.retention import apply_retention
from exports.services import exports_expire
from lib.locks import only_one


class Command(BaseCommand):
    help = "Destroy the restricted identifiers and candidate lists of rounds past their retention period."

    def handle(self, *args, **options):
        with only_one("apply_retention") as mine:
            if not mine:
                self.stdout.write("apply_retention is already running (here or on another machine): nothing done.")
                return
            self._apply()

    def _apply(self):
        purges = apply_retention()
        for purge in purges:
            self.stdout.write(str(purge))
        if not purges:
            self.stdout.write("No round is past its retention period: nothing destroyed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(purges)} round{'s' if len(purges) != 1 else ''} purged."))
        expired = exports_expire()
        self.stdout.write(f"{expired} expired export file{'s' if expired != 1 else ''} deleted.")
