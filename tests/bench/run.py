"""`make bench`: every benchmark, one after another, each in its own process; exits non-zero if
any missed its target.

- tests.bench.pages: the key pages under gunicorn and wrk on ten years of data (`make bench-data`)
- tests.bench.chronology_pdf: the integrated chronology PDF of a 2,000-entry case, as its task runs
- tests.bench.chronology_import: a 5,000-row chronology import against a bare bulk_create
- tests.bench.briefing_render: a 6 step briefing to PDF
- tests.bench.upload_bomb: hostile workbooks (two million cells in 4 MB, a zip bomb, ...) refused
  by the import form in < 2 s and < 100 MB

BENCH_ONLY=pages,chronology_pdf runs some of them."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCHES = ["pages", "chronology_pdf", "chronology_import", "briefing_render", "upload_bomb"]


def main() -> int:
    only = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
    failed = []
    for name in only or BENCHES:
        print(f"\n=== {name} ===", flush=True)
        start = time.monotonic()
        code = subprocess.run([sys.executable, "-m", f"tests.bench.{name}"], cwd=ROOT, check=False).returncode
        print(f"({name}: {time.monotonic() - start:.0f} s, {'met its targets' if code == 0 else 'MISSED'})", flush=True)
        if code != 0:
            failed.append(name)
    print("\nAll targets met." if not failed else f"\nMissed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
