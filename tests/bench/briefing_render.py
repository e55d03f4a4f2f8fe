"""`make bench`: how long rendering a 6 step briefing of the demo's closed round to PDF takes.

Runs against a throwaway SQLite database loaded with the demo data, renders the PDF several times
and prints the median (the target here is under 1.5 s). It also checks that downloading a published
version serves the stored file and does not render again."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="maca-bench-"))
    os.environ.update(
        {"DEBUG": "true", "SQLITE_PATH": str(workdir / "bench.sqlite3"), "PRIVATE_STORAGE_ROOT": str(workdir)}
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from io import StringIO
    from unittest import mock

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from agencies.models import User
    from audits.models import AuditRound
    from briefings import rendering, services, workflow
    from briefings.models import Briefing

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    coordinator = User.objects.get(email="coordinator@example.org")
    audit_round = AuditRound.objects.get(status=AuditRound.Status.CLOSED)
    briefing = services.briefing_create(
        actor=coordinator,
        rounds=[audit_round],
        briefing_format=Briefing.Format.SIX_STEP,
        title="Benchmark: 6 step briefing",
    )
    rendering.briefing_pdf(briefing)  # warm-up: fonts and templates load once per process
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = rendering.briefing_pdf(briefing)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(
        f"6 step briefing to PDF: median {median:.3f} s over {RUNS} runs "
        f"(min {min(timings):.3f} s, max {max(timings):.3f} s, {len(pdf) // 1024} KB); target under 1.5 s"
    )

    approver = User.objects.get(email="approver@example.org")
    workflow.briefing_submit(actor=coordinator, briefing=briefing)
    workflow.briefing_approve(actor=approver, briefing=briefing)
    version = workflow.briefing_publish(actor=coordinator, briefing=briefing)
    client = Client()
    client.force_login(coordinator)
    url = reverse("briefings:version-download", args=[briefing.pk, version.number])
    with mock.patch("briefings.rendering.render_pdf", side_effect=AssertionError("rendered again")) as render:
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        served = time.perf_counter() - start
    assert response.status_code == 200 and not render.called, "a published PDF must be served, not rendered"
    print(f"Serving the published PDF: {served * 1000:.1f} ms, no rendering")
    return 0


if __name__ == "__main__":
    sys.exit(main())
