"""`make bench`: hostile workbooks sent to the chronology import are refused quickly and cheaply.

Writes each hostile XLSX of ``tests.hostile_workbooks.hostile_files`` (two million shared-string
cells in 4.3 MB, as the issue's 4.65 MB file; 600,000 shared strings, declared or not, or under
another part name; a huge declared dimension; a zip bomb) to a temporary folder, then, in a fresh
process, puts each through the import form as the upload page does (``ChronologyImportForm``:
``lib.uploads`` then ``lib.spreadsheets``). Prints the time, the peak of Python's allocations and
the growth of the process's resident memory, and exits non-zero unless every file is refused with
a message in under 2 s, with under 100 MB of memory; and that the largest workbook within every
cap (``largest_within_caps``) is read, within the same targets.

    .venv/bin/python -m tests.bench.upload_bomb"""

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

MAX_SECONDS = 2.0
MAX_MB = 100
# Not hostile but as large as may be read: accepted, within the same targets.
WITHIN_CAPS = "largest workbook within the caps"


def _setup():
    os.environ.update({"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"})
    import django

    django.setup()


def write_files(folder: Path) -> None:
    _setup()
    from tests.hostile_workbooks import hostile_files, largest_within_caps

    files = {**hostile_files(), WITHIN_CAPS: largest_within_caps()}
    for number, (name, data) in enumerate(files.items()):
        (folder / f"{number}.xlsx").write_bytes(data)
        (folder / f"{number}.txt").write_text(name)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure(folder: Path) -> int:
    _setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from audits.returns.forms import ChronologyImportForm

    def refusal(data: bytes):
        upload = SimpleUploadedFile("entries.xlsx", data)
        form = ChronologyImportForm({"mode": "add"}, {"entries_file": upload}, max_bytes=settings.MAX_UPLOAD_BYTES)
        return None if form.is_valid() else " ".join(form.errors.get("entries_file", []))

    refusal(b"date,event_type,what_happened\n31/01/2026,Home visit,x\n")  # imports warmed up
    baseline = _rss_mb()
    missed = []
    for path in sorted(folder.glob("*.xlsx"), key=lambda p: int(p.stem)):
        name = path.with_suffix(".txt").read_text()
        data = path.read_bytes()
        start = time.perf_counter()
        message = refusal(data)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        refusal(data)
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        grown = _rss_mb() - baseline
        expected = (message is None) if name == WITHIN_CAPS else bool(message)
        ok = expected and seconds < MAX_SECONDS and peak < MAX_MB and grown < MAX_MB
        if not ok:
            missed.append(name)
        print(
            f"{name}: {len(data) / 1e6:.2f} MB file, {seconds:.2f} s, Python peak {peak:.1f} MB, "
            f"process peak grown {grown:.1f} MB (to {_rss_mb():.0f} MB): {message or 'accepted'}"
        )
        print(
            f"RESULT upload_bomb file={name.replace(' ', '_')} seconds={seconds:.3f} peak_mb={peak:.1f} "
            f"rss_growth_mb={grown:.1f} refused={bool(message)}"
        )
    print(f"Targets: refused with a message in < {MAX_SECONDS} s and < {MAX_MB} MB. Missed: {missed or 'none'}")
    return 1 if missed else 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        return measure(Path(sys.argv[2]))
    with tempfile.TemporaryDirectory(prefix="maca-upload-bomb-") as folder:
        write_files(Path(folder))
        # Measured in a fresh process, so building the files counts for nothing.
        return subprocess.run(
            [sys.executable, "-m", "tests.bench.upload_bomb", "--measure", folder], check=False
        ).returncode


if __name__ == "__main__":
    sys.exit(main())
