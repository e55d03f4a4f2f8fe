"""make cluster-check: the service on more than one machine, in miniature.

On one PostgreSQL (a database of its own, ``mca_cluster`` on 127.0.0.1:5432 unless
CLUSTER_DATABASE_URL says otherwise; made afresh and dropped at the end) and one S3 bucket (moto's
standalone server on 127.0.0.1), it starts two gunicorn web servers on two ports and two
``run_worker`` processes (the task worker production runs), with production settings (DEBUG off, TASKS_BACKEND=database,
PRIVATE_STORAGE=s3), then shows that:

1. both web servers answer /healthz;
2. a candidate list uploaded through web server A is read back from the bucket by web server B
   (its draw preview), and the bucket holds only ciphertext;
3. an export asked for on A, made by a worker and stored in the bucket, downloads through B;
4. 50 queued tasks each run exactly once between the two workers;
5. ``send_reminders`` started on both "machines" at once sends each reminder once (mail goes to
   files, one folder for everything), and one started while another holds the lock does nothing.

Everything it started is stopped (each process in its own process group) and the database
dropped, however it ends. Exit status 0 when every check holds, 1 otherwise."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import closing, suppress
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import boto3
import psycopg2

from lib.locks import lock_key

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mca_cluster")
BUCKET = "mca-cluster-check"
SAMPLE = ROOT / "static" / "samples" / "candidate-list-sample.csv"
TASKS = 50
IDENTIFIER_KEY = "dGVzdHMtb25seS1pZGVudGlmaWVyLWtleS1vbmUtMzI="  # the tests' key: nothing real


class CheckFailedError(Exception):
    pass


def say(text: str) -> None:
    print(f"cluster-check: {text}", flush=True)


def check(condition: bool, text: str) -> None:
    if not condition:
        raise CheckFailedError(text)
    say(f"ok - {text}")


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, ready, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except Exception:  # noqa: S110 - not up yet: connection refused, 503, not found
            pass
        time.sleep(0.2)
    raise CheckFailedError(f"{what} did not start within {timeout:.0f} seconds")


# --- The database ---------------------------------------------------------------------------


def _admin_connection():
    parts = urllib.parse.urlsplit(DATABASE_URL)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    connection.autocommit = True
    return connection, parts.path.lstrip("/")


def recreate_database() -> None:
    connection, name = _admin_connection()
    with closing(connection), connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    connection, name = _admin_connection()
    with closing(connection), connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(sql: str, params=()) -> list[tuple]:
    with closing(psycopg2.connect(DATABASE_URL)) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- The processes --------------------------------------------------------------------------


class Processes:
    """Every process started, each in its own session (process group), stopped together."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603 - our own programs, fixed arguments
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.started.append((name, process))
        return process

    def check_alive(self) -> None:
        for name, process in self.started:
            if process.poll() is not None and name.startswith(("web", "worker", "s3")):
                raise CheckFailedError(f"{name} stopped early (exit {process.returncode}); see {self.logs / name}.log")

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def manage(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise CheckFailedError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def world_script(env: dict, *args: str) -> subprocess.CompletedProcess:
    """tests/cluster/world.py in the check's environment: the data, or queueing the tasks."""
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.cluster.world", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise CheckFailedError(f"tests/cluster/world.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


# --- HTTP, as a browser without JavaScript would ---------------------------------------------


class Browser:
    """One signed-in person: a session cookie, and the CSRF cookie the forms hand out."""

    def __init__(self, session: str):
        self.cookies = {"sessionid": session}

    def request(self, base: str, path: str, *, data: bytes | None = None, content_type: str | None = None):
        headers = {"Cookie": "; ".join(f"{key}={value}" for key, value in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(base + path, data=data, headers=headers)  # noqa: S310 - 127.0.0.1
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()

    def get(self, base: str, path: str):
        return self.request(base, path)

    def form_token(self, base: str, path: str) -> str:
        status, _headers, body = self.get(base, path)
        if status != 200:
            raise CheckFailedError(f"GET {path} on {base} answered {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match:
            raise CheckFailedError(f"no form on {path}")
        return match.group(1).decode()

    def post_multipart(self, base: str, path: str, fields: list[tuple[str, str]], files: dict[str, Path]):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, file in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file.name}"\r\n'
                f"Content-Type: text/csv\r\n\r\n".encode()
                + file.read_bytes()
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(base, path, data=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- The check ------------------------------------------------------------------------------


def environment(work: Path, s3_endpoint: str) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "IDENTIFIER_KEYS": IDENTIFIER_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "MANIFEST_STATIC": "false",
        "DATABASE_URL": DATABASE_URL,
        "TASKS_BACKEND": "database",
        "PRIVATE_STORAGE": "s3",
        "PRIVATE_STORAGE_BUCKET": BUCKET,
        "PRIVATE_STORAGE_ENDPOINT_URL": s3_endpoint,
        "PRIVATE_STORAGE_REGION": "eu-west-2",
        "PRIVATE_STORAGE_ADDRESSING_STYLE": "path",
        "PRIVATE_STORAGE_ACCESS_KEY_ID": "cluster-check",
        "PRIVATE_STORAGE_SECRET_ACCESS_KEY": "cluster-check",
        # Nothing reaches AWS: no configuration files, no instance metadata.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(work / "mail"),
        "LOG_LEVEL": "WARNING",
    }


def sent_messages(folder: Path) -> list[Message]:
    """Every message the file backend wrote (each file holds one or more, each ended by a rule)."""
    messages = []
    for file in sorted(folder.glob("*.log")):
        for chunk in file.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk.lstrip()))
    return messages


def wait_for_tasks(what: str, timeout: float = 120) -> None:
    def done():
        waiting = query("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')")
        return waiting[0][0] == 0

    wait_for(what, done, timeout)


def run_check(work: Path, processes: Processes) -> None:
    s3_port = free_port()
    s3_endpoint = f"http://127.0.0.1:{s3_port}"
    processes.start("s3", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], dict(os.environ))
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-2",
        aws_access_key_id="cluster-check",
        aws_secret_access_key="cluster-check",
    )
    wait_for("moto's S3 server", lambda: s3.list_buckets() is not None)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    say(f"S3 bucket {BUCKET} on {s3_endpoint}")

    recreate_database()
    env = environment(work, s3_endpoint)
    manage(env, "migrate", "--noinput")
    world = json.loads(world_script(env).stdout.splitlines()[-1])
    say(f"database {DATABASE_URL.rsplit('/', 1)[-1]} migrated, people and rounds made")

    webs = []
    for name in ("web-a", "web-b"):
        port = free_port()
        processes.start(
            name,
            [
                str(VENV_BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "config.wsgi",
            ],
            env,
        )
        webs.append(f"http://127.0.0.1:{port}")
    for number in (1, 2):
        processes.start(
            f"worker-{number}",
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--worker-id", f"worker-{number}"],
            env,
        )
    web_a, web_b = webs
    for web in webs:
        wait_for(
            f"gunicorn on {web}",
            lambda web=web: urllib.request.urlopen(web + "/healthz", timeout=5).status == 200,  # noqa: S310
        )
    processes.check_alive()
    check(True, f"two web servers ({web_a}, {web_b}) answer /healthz; two run_worker processes started")

    # 2. Upload a candidate list through A; B reads it back from the bucket.
    coordinator = Browser(world["coordinator"])
    draw_path = f"/rounds/{world['planned_round']}/cases/draw/"
    token = coordinator.form_token(web_a, draw_path)
    status, headers, _body = coordinator.post_multipart(
        web_a,
        draw_path,
        [("csrfmiddlewaretoken", token), ("number_of_cases", "3"), ("strata", "age_band"), ("seed", "20261123")],
        {"candidate_file": SAMPLE},
    )
    check(
        status == 302 and "/cases/draw/" in headers.get("Location", ""), "a candidate list uploads through web server A"
    )
    preview = headers["Location"]
    status, _headers, body = coordinator.get(web_b, preview)
    check(status == 200 and b"drawn-cases" in body, "web server B shows the draw, read from the file A stored")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    stored = [key for key in keys if key.startswith("candidate-lists/")]
    check(len(stored) == 1, "the candidate list is one object in the bucket")
    raw = s3.get_object(Bucket=BUCKET, Key=stored[0])["Body"].read()
    check(raw != SAMPLE.read_bytes() and raw.startswith(b"gAAAAA"), "the bucket holds it as ciphertext only")

    # 3. An export asked for on A, made by a worker, downloads through B.
    administrator = Browser(world["administrator"])
    token = administrator.form_token(web_a, "/access-log/")
    status, headers, _body = administrator.request(
        web_a,
        "/access-log/export.csv",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    check(
        status == 302 and "/exports/" in headers.get("Location", ""),
        f"an access log export is queued on web server A ({status} {headers.get('Location', '')})",
    )
    export_page = headers["Location"]
    wait_for_tasks("the export")
    status, _headers, body = administrator.get(web_b, export_page)
    download = re.search(rb'href="(/exports/\d+/download/)"', body)
    check(status == 200 and download is not None, "a worker made the export; web server B shows it ready")
    status, headers, body = administrator.get(web_b, download.group(1).decode())
    check(
        status == 200 and "attachment" in headers.get("Content-Disposition", "") and b"," in body,
        "the export downloads through web server B",
    )

    # 4. 50 tasks, each run exactly once by the two workers.
    runs = work / "runs"
    runs.mkdir()
    world_script(env, "enqueue", str(TASKS), str(runs))
    wait_for_tasks("the 50 tasks", timeout=180)
    files = sorted(runs.iterdir())
    counts = {file.name: len(file.read_text().split()) for file in files}
    workers = {pid for file in files for pid in file.read_text().split()}
    check(len(files) == TASKS and set(counts.values()) == {1}, f"each of the {TASKS} tasks ran exactly once")
    results = query(
        "SELECT status, count(*), count(DISTINCT worker_ids::text) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'tests.cluster.tasks.record_run' GROUP BY status"
    )
    check(results and results[0][:2] == ("SUCCESSFUL", TASKS), f"django-tasks-db records {TASKS} successful results")
    say(f"the runs were shared between {len(workers)} worker process(es)")

    # 5. send_reminders on both machines at once: each reminder once.
    mail = work / "mail"
    before = len(sent_messages(mail)) if mail.exists() else 0
    both = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in both]
    check(all(process.returncode == 0 for process in both), "send_reminders started twice at once: both exit 0")
    for output in outputs:
        say(f"  said: {' '.join(output.split())}")
    wait_for_tasks("the reminder e-mails")
    messages = sent_messages(mail)[before:]
    sent = [(message["To"], message["Subject"]) for message in messages]
    recorded = query("SELECT count(*) FROM audits_remindersent")[0][0]
    check(recorded == world["returns"], f"{recorded} reminders recorded, one per return")
    check(
        len(sent) == world["leads"] and len(set(sent)) == len(sent),
        f"{len(sent)} reminder e-mails sent, one to each agency's lead, none twice",
    )
    with closing(psycopg2.connect(DATABASE_URL)) as holder, holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key("send_reminders")])
        held = manage(env, "send_reminders").stdout
        cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key("send_reminders")])
    check("already running" in held, "send_reminders started while another holds the lock does nothing")
    processes.check_alive()


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="mca-cluster-"))
    logs = work / "logs"
    logs.mkdir()
    processes = Processes(logs)
    failed = False
    try:
        run_check(work, processes)
    except CheckFailedError as exc:
        failed = True
        say(f"FAILED - {exc}")
        say(f"logs kept in {logs}")
    except Exception:  # anything else fails the check too, after stopping everything
        failed = True
        traceback.print_exc()
        say("FAILED - see the traceback above")
        say(f"logs kept in {logs}")
    finally:
        processes.stop_all()
        try:
            drop_database()
        except psycopg2.Error as exc:
            say(f"could not drop the database: {exc}")
    if not failed:
        say("every check passed; everything started is stopped and the database dropped")
        subprocess.run(["rm", "-rf", str(work)], check=False)  # noqa: S603, S607
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
