"""Re-encrypt every restricted identifier and every file in private storage with the first of
IDENTIFIER_KEYS.

To change key: put the new key first in IDENTIFIER_KEYS and keep the old one after it, restart,
run this command, then remove the old key. Anything already under the first key is left alone,
so running it again is harmless. Prints counts only."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies.access_log import services as access_log
from audits.rounds.identifiers import rotate_identifiers
from lib.crypto import DecryptionError
from lib.storage import private_storage


class Command(BaseCommand):
    help = "Re-encrypt restricted identifiers and private files with the first of IDENTIFIER_KEYS."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                records, draws = rotate_identifiers()
                # Files last: a file re-encrypted is readable under either key, so if the database
                # part rolled back nothing would be lost, and running again finishes the job.
                files = private_storage.rotate_all()
                what = f"{records} identifier records and {files} files re-encrypted"
                if draws:
                    what += f" (and the candidate references of {draws} draw{'' if draws == 1 else 's'})"
                access_log.record(access_log.Kind.KEY_ROTATED, what=what)
        except DecryptionError as exc:
            raise CommandError(
                f"{exc}. Nothing in the database was changed. Put every key still in use in "
                "IDENTIFIER_KEYS (the new one first) and run this again."
            ) from None
        self.stdout.write(self.style.SUCCESS(what[0].upper() + what[1:] + "."))
