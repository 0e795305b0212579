"""A throwaway PostgreSQL cluster for the team-mode tests, started from the installed binaries.

The cluster lives in a temporary folder, listens on 127.0.0.1 only (a free port) and on a
private Unix socket folder, trusts local connections, and is stopped and removed at the end of
the test session. As root (CI), initdb and the server run as the ``postgres`` system user that
Debian's package creates, since PostgreSQL refuses to run as root.

When no server binaries are found the tests that need one are skipped with a message saying so;
under CI (``CI`` set) that is an error instead, so that the team-mode tests can never pass by
not running.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class NoServer(RuntimeError):
    """No PostgreSQL server binaries on this machine, or the cluster would not start."""


def find_bindir() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: $AIRMF_PG_BINDIR, PATH, or Debian's layout."""
    named = os.environ.get("AIRMF_PG_BINDIR")
    if named:
        return Path(named)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    return Path(found[-1]).parent if found else None


def _version_key(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running throwaway cluster: its port and admin user, and how to make databases."""

    port: int
    user: str
    socket_dir: Path

    def url(self, database: str, *, user: str | None = None) -> str:
        """A SQLAlchemy URL for ``database`` over TCP on the loopback address."""
        return f"postgresql+psycopg://{user or self.user}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, *, database: str = "postgres", user: str | None = None) -> None:
        """Run one statement (autocommit: CREATE DATABASE needs it), as the cluster's
        superuser unless ``user`` is given."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=user or self.user,
            dbname=database,
            autocommit=True,
        ) as con:
            con.execute(sql)  # type: ignore[arg-type]

    def new_database(self, template: str | None = None) -> str:
        """Create an empty database (or a copy of ``template``) and return its name."""
        name = "t_" + uuid.uuid4().hex[:16]
        suffix = f" TEMPLATE {template}" if template else ""
        self.admin(f"CREATE DATABASE {name}{suffix}")
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def running_cluster(*, durable: bool = False) -> Iterator[Cluster]:
    """Start a cluster, yield it, then stop it and delete its files.

    The tests' cluster skips fsync (its data is thrown away); ``durable`` keeps PostgreSQL's
    defaults (fsync, full page writes), as a benchmark of commits needs.
    Raises NoServer when the binaries are missing or the server does not start (with the
    server log's last lines).
    """
    bindir = find_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        raise NoServer(
            "no PostgreSQL server binaries found (install Debian's 'postgresql' package, or set "
            "AIRMF_PG_BINDIR)"
        )
    as_root = os.geteuid() == 0
    run_as: list[str] = []
    if as_root:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise NoServer(
                "running as root, but there is no 'postgres' user to run the server"
            ) from None
        run_as = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="airmf-pg-"))
    if as_root:
        shutil.chown(base, user="postgres")
    data, log, port = base / "data", base / "server.log", _free_port()
    user = "airmf_admin"
    try:
        _run(
            [
                *run_as,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ],
            "initdb",
        )
        options = f"-h 127.0.0.1 -p {port} -k {base}"
        if not durable:
            options += " -F -c fsync=off -c full_page_writes=off"
        _run(
            [
                *run_as,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "start",
            ],
            "pg_ctl start",
            log,
        )
        try:
            yield Cluster(port=port, user=user, socket_dir=base)
        finally:
            subprocess.run(
                [*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _run(argv: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = ""
        if log is not None and log.exists():
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-10:])
        raise NoServer(f"{what} failed ({done.returncode}): {done.stderr.strip()}\n{tail}")
