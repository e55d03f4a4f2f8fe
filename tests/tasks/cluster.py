"""A throwaway PostgreSQL cluster of the tests' own (never the shared one): initdb into a temporary
folder, started on a free port, stopped and deleted afterwards. As root the cluster runs as the
``postgres`` user (PostgreSQL refuses to run as root). ``available()`` says why it cannot run."""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


def available() -> str:
    """ "" when a cluster can be made here, else the reason it cannot."""
    if _bin_dir() is None:
        return "PostgreSQL's initdb and pg_ctl are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres user to run the cluster as"
        if not shutil.which("runuser"):
            return "running as root without runuser"
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self):
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="mca-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres")
        self.data = self.root / "data"
        self.port = _free_port()
        self._pg("initdb", "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def _pg(self, program: str, *args: str) -> None:
        command = [*_run_as(), str(self.bin / program), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 - PostgreSQL's own programs

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str) -> None:
        command = [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        command += ["-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", statement]
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 - psql, the tests' statements

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
