"""Send due-soon reminders and overdue notices to agency leads. Run it daily (cron); running it
again the same day sends nothing new. Started on two machines at once, one runs and the other
says so and stops (``lib.locks.only_one``); each reminder is recorded once besides (ReminderSent's
unique constraints), so none goes out twice."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audits.actions.reminders import send_action_reminders
from audits.returns.reminders import send_due_reminders
from lib.locks import only_one


class Command(BaseCommand):
    help = "Remind agency leads of audit tools and chronologies due soon or overdue (each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD); for testing and catching up.")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today must be a date like 2026-11-30") from exc
        else:
            today = timezone.localdate()
        with only_one("send_reminders") as mine:
            if not mine:
                self.stdout.write("send_reminders is already running (here or on another machine): nothing sent.")
                return
            count = send_due_reminders(today=today)
            self.stdout.write(f"Sent reminders about {count} return{'s' if count != 1 else ''}.")
            actions = send_action_reminders(today=today)
            if actions:
                self.stdout.write(f"Sent reminders about {actions} action{'s' if actions != 1 else ''}.")
