"""`make bench`: the integrated chronology PDF of a 2,000-entry case, as its export task renders it.

Builds a throwaway SQLite database with one case whose five agencies have submitted chronologies
of ``--entries`` fictional entries in all (default 2,000), then renders the PDF in a child process
(the integrated chronology's context from ``audits.returns.exports``, ``lib.pdf.render_pdf`` with
the print template, as the export's builder does) and prints the child's time and peak memory,
the pages and the size. Exits non-zero if it takes over 10 s or peaks over 300 MB.

    .venv/bin/python -m tests.bench.chronology_pdf [--entries 2000] [--profile]

``--profile`` runs the rendering under cProfile and prints the 30 costliest calls (slower)."""

import argparse
import datetime
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAX_SECONDS = 10.0
MAX_PEAK_MB = 300.0
AGENCIES = [
    ("Northshire Children's Services", "CSC"),
    ("Northshire Police", "Police"),
    ("Northshire Community Health", "Health"),
    ("Riverside Primary School", "School"),
    ("Northshire Housing Partnership", "Housing"),
]
OPENINGS = [
    "Practitioner visited the home",
    "Telephone call from the grandmother",
    "School reported that the child arrived late and hungry",
    "Strategy discussion held between police and children's services",
    "Health visitor attended for a developmental review",
    "Referral received from the GP practice",
    "Neighbour called to report shouting late at night",
    "Core group met at the school",
    "Child seen alone in the family room",
    "Housing officer inspected the flat following a repair request",
]
DETAILS = [
    "the child was seen alone and said that things at home were fine",
    "the parent was not at home and a card was left",
    "concerns about the condition of the kitchen and the lack of food were noted",
    "the older sibling answered the door and said their mother was asleep",
    "the child's weight had dropped since the last appointment",
    "attendance this term is 82% with nine late marks",
    "the parent agreed to attend the parenting course starting next month",
    "the referral was screened and passed to the locality team",
    "no injuries were seen; the child appeared quiet and withdrawn",
    "a safety plan was agreed with the grandmother",
]
OUTCOMES = [
    "Plan reviewed with the parent.",
    "Referral made to early help.",
    "Follow-up visit booked within ten working days.",
    "Information shared with the school's designated safeguarding lead.",
    "No further action; case to remain open to the health visitor.",
    "Manager consulted; threshold for section 47 not met.",
]
ROLES = ["Social worker", "School nurse", "Police constable", "Health visitor", "Class teacher", "Housing officer", ""]


def fictional_text(rng: random.Random) -> str:
    """50 to 400 characters of made-up case notes, sometimes on several lines."""
    target = rng.randint(50, 400)
    sentences = []
    while sum(len(s) + 1 for s in sentences) < target:
        sentences.append(f"{rng.choice(OPENINGS)}; {rng.choice(DETAILS)}.")
    text = " ".join(sentences)[:target].rstrip(" ;,")
    if rng.random() < 0.25 and len(text) > 120:
        cut = text.find(" ", len(text) // 2)
        if cut > 0:
            text = text[:cut] + "\n" + text[cut + 1 :]
    return text if text.endswith(".") else text + "."


def build_case(entries: int):
    """A case with five submitted chronologies (and one still in draft) holding ``entries``."""
    from agencies.models import Agency
    from audits.models import ChronologyEntry
    from audits.returns.models import WorkStatus
    from tests.factories import AgencyFactory, CaseFactory, ChronologyFactory

    rng = random.Random(14)
    case = CaseFactory(round__title="Benchmark round")
    chronologies = [
        ChronologyFactory(
            case=case,
            agency=AgencyFactory(name=name, short_name=short, sector=Agency.Sector.OTHER),
            status=WorkStatus.SUBMITTED,
        )
        for name, short in AGENCIES
    ]
    ChronologyFactory(case=case, agency=AgencyFactory(name="Northshire Probation"), status=WorkStatus.DRAFT)
    start = datetime.date(2023, 1, 1)
    types = list(ChronologyEntry.EventType.values)
    rows = []
    for n in range(entries):
        rows.append(
            ChronologyEntry(
                chronology=chronologies[n % len(chronologies)],
                date=start + datetime.timedelta(days=rng.randrange(3 * 365)),
                time=datetime.time(rng.randint(8, 19), rng.choice([0, 15, 30, 45])) if rng.random() < 0.6 else None,
                date_is_approximate=rng.random() < 0.05,
                event_type=rng.choice(types),
                what_happened=fictional_text(rng),
                action_outcome=rng.choice(OUTCOMES) if rng.random() < 0.6 else "",
                practitioner_role=rng.choice(ROLES),
                key_event=rng.random() < 0.1,
            )
        )
    ChronologyEntry.objects.bulk_create(rows, batch_size=500)
    return case


def render(case_pk: int, out: Path, profile: bool) -> dict:
    """In the child: what the export's builder does for a PDF, timed."""
    from audits.models import Case
    from audits.returns.exports import integrated, integrated_context
    from lib.pdf import render_pdf

    start = time.perf_counter()
    case = Case.objects.select_related("round").get(pk=case_pk)
    chronologies, _, filters, entries = integrated(case, None)

    def run():
        return render_pdf(
            "print/integrated_chronology.html",
            integrated_context(case, chronologies, filters, entries),
            title=f"Integrated chronology: {case}",
        )

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        content = profiler.runcall(run)
        stats = io.StringIO()
        pstats.Stats(profiler, stream=stats).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profiler, stream=stats).sort_stats("tottime").print_stats(20)
        print(stats.getvalue(), file=sys.stderr)
    else:
        content = run()
    seconds = time.perf_counter() - start
    out.write_bytes(content)
    hwm_kb = next(
        int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM")
    )
    return {"seconds": seconds, "entries": len(entries), "hwm_kb": hwm_kb}


def setup(workdir: Path) -> None:
    os.environ.update(
        {"DEBUG": "true", "SQLITE_PATH": str(workdir / "bench.sqlite3"), "PRIVATE_STORAGE_ROOT": str(workdir)}
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup(Path(args.workdir))
        print(json.dumps(render(int(args.child[0]), Path(args.child[1]), args.profile)))
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="maca-bench-pdf-"))
    setup(workdir)
    from django.core.management import call_command
    from pypdf import PdfReader

    call_command("migrate", verbosity=0)
    case = build_case(args.entries)
    out = workdir / "integrated.pdf"
    command = [sys.executable, "-m", "tests.bench.chronology_pdf", "--workdir", str(workdir)]
    command += ["--child", str(case.pk), str(out)] + (["--profile"] if args.profile else [])
    start = time.perf_counter()
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        print(f"the rendering process failed ({child.returncode})", file=sys.stderr)
        return 1
    measured = json.loads(child.stdout.strip().splitlines()[-1])
    # ru_maxrss is in kilobytes on Linux: the largest resident set of any waited-for child.
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, measured["hwm_kb"]) / 1024
    pages = len(PdfReader(out).pages)
    size_kb = out.stat().st_size // 1024
    shutil.rmtree(workdir, ignore_errors=True)
    seconds = measured["seconds"]
    print(
        f"Integrated chronology PDF, {measured['entries']:,} entries: {seconds:.2f} s to query and render "
        f"({wall:.2f} s for the whole process), peak {peak_mb:.0f} MB, {pages} pages, {size_kb:,} KB; "
        f"target <= {MAX_SECONDS:.0f} s and <= {MAX_PEAK_MB:.0f} MB"
    )
    met = seconds <= MAX_SECONDS and peak_mb <= MAX_PEAK_MB
    print(
        f"RESULT chronology_pdf seconds={seconds:.2f} process_seconds={wall:.2f} peak_mb={peak_mb:.0f} "
        f"entries={measured['entries']} pages={pages} size_kb={size_kb} ok={int(met)}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
