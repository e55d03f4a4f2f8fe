"""`make bench`: importing a 5,000-row chronology spreadsheet, against a bare bulk_create.

Builds a throwaway database (SQLite in a temporary folder; the PostgreSQL database in
DATABASE_URL when set, with a throwaway chronology), writes a 5,000-row XLSX in the import format,
reads it (``chronology_io.parse_entries``) and imports it through the service people use
(``services.entries_import``: validation, bulk insert, history rows), each time into a fresh
chronology, and times the same rows put in by a plain ``ChronologyEntry.objects.bulk_create``.
Prints the medians of three runs and exits non-zero when the import takes over 3x the bare insert.

    .venv/bin/python -m tests.bench.chronology_import [--rows 5000]"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

MAX_RATIO = 3.0
RUNS = 3


def setup():
    """A throwaway database: SQLite in a temporary folder, or, when DATABASE_URL names a PostgreSQL
    database, a fresh ``test_<name>`` beside it (made and dropped as the test runner does, so the
    database itself is never written). Returns what drops it again."""
    workdir = Path(tempfile.mkdtemp(prefix="maca-import-bench-"))
    os.environ.update(
        {"PRIVATE_STORAGE_ROOT": str(workdir), "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        return lambda: None
    name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return lambda: connection.creation.destroy_test_db(name, verbosity=0)


def spreadsheet(rows: int) -> bytes:
    from audits.models import ChronologyEntry
    from audits.returns import chronology_io
    from tests.bench.chronology_pdf import ROLES, fictional_text

    rng = random.Random(5000)
    types = list(ChronologyEntry.EventType.values)
    start = datetime.date(2022, 1, 1)
    entries = [
        ChronologyEntry(
            date=start + datetime.timedelta(days=rng.randrange(4 * 365)),
            time=datetime.time(rng.randint(8, 19), rng.choice([0, 15, 30, 45])) if rng.random() < 0.6 else None,
            date_is_approximate=rng.random() < 0.05,
            event_type=rng.choice(types),
            what_happened=fictional_text(rng) + f" (entry {number})",
            action_outcome="Plan reviewed." if rng.random() < 0.5 else "",
            practitioner_role=rng.choice(ROLES),
            key_event=rng.random() < 0.1,
        )
        for number in range(rows)
    ]
    header = chronology_io.export_header()
    return chronology_io.to_xlsx(header, (chronology_io.entry_row(entry) for entry in entries), title="Chronology")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    drop = setup()
    try:
        return bench(args.rows)
    finally:
        drop()


def bench(rows_wanted: int) -> int:
    from django.db import connection, transaction

    from audits.models import ChronologyEntry
    from audits.returns import chronology_io, services
    from tests.factories import ChronologyFactory, UserFactory

    data = spreadsheet(rows_wanted)
    parse_times, import_times, bare_times = [], [], []
    for _ in range(RUNS):
        chronology = ChronologyFactory()
        actor = UserFactory(agency=chronology.agency)
        start = time.perf_counter()
        rows = chronology_io.parse_entries(data, "chronology.xlsx")
        parse_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        with transaction.atomic():  # as the view's save_form runs it, commit included
            result = services.entries_import(actor=actor, chronology=chronology, entries=rows)
        import_times.append(time.perf_counter() - start)
        assert result.added == rows_wanted, result
        bare = ChronologyFactory()
        fields = [{name: value for name, value in row.items() if name in services.ENTRY_FIELDS} for row in rows]
        start = time.perf_counter()
        with transaction.atomic():
            ChronologyEntry.objects.bulk_create(
                [ChronologyEntry(chronology=bare, created_by=actor, updated_by=actor, **row) for row in fields],
                batch_size=services.IMPORT_BATCH,
            )
        bare_times.append(time.perf_counter() - start)
    parse, imported, bare_seconds = (statistics.median(times) for times in (parse_times, import_times, bare_times))
    ratio = imported / bare_seconds
    with_reading = (parse + imported) / bare_seconds
    print(
        f"{rows_wanted} rows on {connection.vendor}: importing {imported:.2f} s (validation, bulk insert, history) "
        f"against {bare_seconds:.2f} s for a bare bulk_create of the same rows: {ratio:.2f}x (target <= {MAX_RATIO}x); "
        f"reading the XLSX first adds {parse:.2f} s ({with_reading:.2f}x with it)"
    )
    print(
        f"RESULT chronology_import seconds={imported:.3f} bare_seconds={bare_seconds:.3f} ratio={ratio:.2f} "
        f"rows={rows_wanted} parse_seconds={parse:.3f} ratio_with_parse={with_reading:.2f} db={connection.vendor}"
    )
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
