"""`make bench`: the key pages as people feel them, on ten years of data.

Serves the service under gunicorn with production settings (DEBUG off, two-factor sign-in, the
database in BENCH_DATABASE_URL, filled by `make bench-data`) and loads each key page with wrk,
one connection, signed in as a coordinator or an agency lead with a verified session, in turns
with a bare page (50 rows from one query, tests/bench/urls.py) served by the same server. For
each page it prints the throughput as a fraction of the bare page's, p95 as a multiple of the
bare page's, the slowest request, errors, and the page's queries at demo size (a database with
only the demo, BENCH_DEMO_DATABASE_URL, made here when missing) and at ten-year size. The cache
and sessions are in Redis as in production (BENCH_CACHE_URL, default redis://127.0.0.1:6379/5).

Targets (issue 14): throughput >= 0.5x, p95 <= 2x, 0 errors, no request over 1 s, the same
queries at both sizes. Exits non-zero when one is missed. BENCH_SECONDS (each run, default 3),
BENCH_ROUNDS (turns per page, default 3) and BENCH_WORKERS (gunicorn workers, default 2)."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEN_YEARS = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_ten_years")
DEMO = os.environ.get("BENCH_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_demo")
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DEBUG_SECRET = "insecure-development-key-only-used-with-debug-on"

TARGET_THROUGHPUT = 0.5
TARGET_P95 = 2.0
TARGET_MAX_MS = 1000

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format('WRK {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "max": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency.max / 1000, errors))
end
"""


def server_environment(database_url: str) -> dict:
    """Production settings for a local run: DEBUG off, plain HTTP on 127.0.0.1, and the keys the
    generated data was encrypted with (the demo's, derived from the DEBUG secret)."""
    sys.path.insert(0, str(ROOT))
    from lib.crypto import demo_key

    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + "x" * 50,
            "IDENTIFIER_KEYS": demo_key(DEBUG_SECRET),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "TASKS_BACKEND": "database",
            # As in production: one Redis for every worker's cache and sessions (empty: none).
            "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5"),
            "PRIVATE_STORAGE_ROOT": env.get("BENCH_PRIVATE_ROOT", str(ROOT / "test-artifacts" / "bench" / "private")),
        }
    )
    return env


# In a child process, set up against one database: the pages, their queries and the sessions ---


def _keys():
    """The objects each key page is about, found by what they hold, so that the same choice is
    made at demo and at ten-year size: the case whose integrated chronology is nearest 2,000
    entries, the round with the most actions, a word the learning uses."""
    from django.db.models import Count, F, Func, IntegerField, Value

    from agencies.models import User
    from audits.models import Action, Case, LearningPoint

    cases = Case.objects.annotate(entries=Count("chronologies__entries")).annotate(
        distance=Func(F("entries") - Value(2000), function="ABS", output_field=IntegerField())
    )
    case = cases.order_by("distance", "pk").first()
    action_round = (
        Action.objects.values("round").annotate(n=Count("pk")).order_by("-n", "round").values_list("round", flat=True)
    ).first()
    point = LearningPoint.objects.exclude(text="").order_by("pk").first()
    words = [word.strip(".,;:()").lower() for word in (point.text if point else "").split()]
    term = max((word for word in words if word.isalpha()), key=len, default="practice")
    lead = User.objects.filter(agency_membership__role="lead").order_by("email").first()
    if User.objects.filter(email="csc.lead@example.org").exists():
        lead = User.objects.get(email="csc.lead@example.org")
    return {
        "coordinator": "coordinator@example.org",
        "administrator": "admin@example.org",
        "lead": lead.email,
        "round": case.round_id,
        "case": case.number,
        "case_entries": case.entries,
        "action_round": action_round,
        "actions": Action.objects.filter(round=action_round).count(),
        "term": term,
    }


def _pages(keys):
    from django.urls import reverse

    return [
        ("Home (coordinator)", "coordinator", reverse("home")),
        ("Home (agency lead)", "lead", reverse("home")),
        ("Round list", "coordinator", reverse("audits:round-list")),
        ("Round detail", "coordinator", reverse("audits:round-detail", args=[keys["round"]])),
        ("Completion matrix", "coordinator", reverse("audits:round-completion", args=[keys["round"]])),
        (
            f"Integrated chronology ({keys['case_entries']} entries)",
            "coordinator",
            reverse("audits:integrated-chronology", args=[keys["round"], keys["case"]]),
        ),
        (
            f"Action plan ({keys['actions']} actions)",
            "coordinator",
            reverse("audits:round-actions", args=[keys["action_round"]]),
        ),
        ("Action plan, all rounds", "coordinator", reverse("audits:action-list")),
        ("Learning library", "coordinator", reverse("audits:library")),
        ("Learning library, searched", "coordinator", reverse("audits:library") + f"?q={keys['term']}"),
        ("Access log", "administrator", reverse("access-log")),
    ]


def _verified_session(email: str) -> str:
    """A session signed in with a password and a checked code, as the sign-in pages leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies.models import User

    user = User.objects.get(email=email)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "agencies.accounts.backends.Backend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.set_expiry(12 * 60 * 60)  # the bench outlasts the idle time-out
    session.create()
    return session.session_key


def collect() -> dict:
    """The key pages of this database (BENCH_COLLECT: its URL), each with its queries (the second
    request of a signed-in session, as a person's page after the first), and a session for each
    person the pages need."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    keys = _keys()
    sessions = {who: _verified_session(keys[who]) for who in ("coordinator", "lead", "administrator")}
    pages = []
    for name, who, path in _pages(keys):
        client = Client()
        client.cookies["sessionid"] = sessions[who]
        first = client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if first.status_code != 200 or response.status_code != 200:
            raise SystemExit(f"{name}: {path} answered {response.status_code}")
        pages.append({"name": name, "who": who, "path": path, "queries": len(queries), "bytes": len(response.content)})
    return {"keys": keys, "sessions": sessions, "pages": pages}


# The run ---------------------------------------------------------------------------------------


def _collect_in(database_url: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.pages", "--collect"],
        cwd=ROOT,
        env=server_environment(database_url),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"Could not read the pages of {database_url}:\n{result.stderr[-3000:]}{result.stdout[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _ensure_demo_database():
    """A PostgreSQL database with only the demo in it, for the queries at demo size: made and
    loaded when missing, migrated every time."""
    name = DEMO.rsplit("/", 1)[-1]
    admin = DEMO.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    env = server_environment(DEMO) | {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("IDENTIFIER_KEYS")
    env.pop("SECRET_KEY")
    for command in (["migrate", "--noinput", "-v", "0"], *([] if exists else [["seed_demo"]])):
        manage = [sys.executable, "manage.py", *command]
        subprocess.run(manage, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _wrk(url: str, cookie: str | None, script: Path) -> dict:
    command = ["wrk", "-t1", "-c1", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    result = json.loads(line[4:])
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def _check(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _serve(database_url: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_environment(database_url),
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare/", timeout=2).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def _install_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's wrk (the load tool)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: install Debian's package 'wrk' (apt-get install wrk), then make bench again.")


def _migrate():
    """The ten-year database may have been filled before the latest migrations."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_environment(TEN_YEARS),
        check=True,
    )


def _collect_static():
    """With DEBUG off, pages name the hashed static files (WhiteNoise's manifest)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=server_environment(TEN_YEARS),
        check=True,
    )


def _same_page(name: str) -> str:
    """A page's name without the size of what it shows ("Action plan (200 actions)"), so that the
    demo's page is found by it; "Home (coordinator)" and "Home (agency lead)" stay two pages."""
    return re.sub(r" \(\d[\d,]* \w+\)$", "", name)


def measure_pages() -> tuple[list[dict], bool]:
    _install_wrk()
    _migrate()
    _collect_static()
    _ensure_demo_database()
    demo = _collect_in(DEMO)
    ten = _collect_in(TEN_YEARS)
    demo_queries = {_same_page(page["name"]): page["queries"] for page in demo["pages"]}
    server = _serve(TEN_YEARS)
    rows = []
    ok = True
    try:
        base = f"http://127.0.0.1:{PORT}"
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(WRK_SCRIPT)
            script = Path(handle.name)
        for page in ten["pages"]:
            cookie = ten["sessions"][page["who"]]
            for _ in range(3):  # every worker has loaded the page once
                _check(base + page["path"], cookie)
            status = _check(base + page["path"], cookie)
            bare_runs, page_runs = [], []
            for _ in range(ROUNDS):
                bare_runs.append(_wrk(base + "/bench/bare/", None, script))
                page_runs.append(_wrk(base + page["path"], cookie, script))
            bare_rps = sum(run["requests"] for run in bare_runs) / sum(run["seconds"] for run in bare_runs)
            page_rps = sum(run["requests"] for run in page_runs) / sum(run["seconds"] for run in page_runs)
            bare_p95 = sorted(run["p95"] for run in bare_runs)[len(bare_runs) // 2]
            page_p95 = sorted(run["p95"] for run in page_runs)[len(page_runs) // 2]
            row = {
                "page": page["name"],
                "throughput": page_rps / bare_rps,
                "p95": page_p95 / bare_p95,
                "p95_ms": page_p95,
                "bare_ms": bare_p95,
                "max_ms": max(run["max"] for run in page_runs),
                "errors": sum(run["errors"] for run in page_runs) + (status != 200),
                "queries_demo": demo_queries.get(_same_page(page["name"])),
                "queries_ten": page["queries"],
                "kb": page["bytes"] / 1024,
            }
            row["ok"] = (
                row["throughput"] >= TARGET_THROUGHPUT
                and row["p95"] <= TARGET_P95
                and row["errors"] == 0
                and row["max_ms"] <= TARGET_MAX_MS
                and row["queries_demo"] == row["queries_ten"]
            )
            ok = ok and row["ok"]
            rows.append(row)
            print(_line(row), flush=True)
        script.unlink()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return rows, ok


HEADER = (
    "| page | throughput ratio | p95 ratio | p95 (bare) | slowest | errors | queries demo / ten years | HTML | ok |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def _line(row: dict) -> str:
    cells = [
        row["page"],
        f"{row['throughput']:.2f}",
        f"{row['p95']:.2f}x",
        f"{row['p95_ms']:.1f} ms ({row['bare_ms']:.1f} ms)",
        f"{row['max_ms']:.0f} ms",
        str(row["errors"]),
        f"{row['queries_demo']} / {row['queries_ten']}",
        f"{row['kb']:.0f} KB",
        "yes" if row["ok"] else "NO",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> int:
    if "--collect" in sys.argv:
        print(json.dumps(collect()))
        return 0
    print(f"Key pages on {TEN_YEARS.rsplit('/', 1)[-1]}, gunicorn {WORKERS} sync workers, wrk 1 connection, ")
    print(f"{ROUNDS} turns of {SECONDS} s with the bare page; targets: >= {TARGET_THROUGHPUT}x, p95 <= {TARGET_P95}x\n")
    print(HEADER, flush=True)
    _, ok = measure_pages()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
