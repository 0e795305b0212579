"""A save that finds SQLite's write lock held waits its turn: it keeps trying every few
milliseconds for a bounded total time, and only then is refused with one clear message.

SQLite's own busy handler sleeps up to 100 ms between tries, so a writer among many that take
the lock in turn could miss every release for its whole timeout (the 10-process soak once saw
a save refused after 10 s under machine load). A script running ``airmf answer`` in parallel
must not fail for that.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from app.persistence import database
from app.persistence.database import BUSY_TIMEOUT_MS, begin_immediate
from app.persistence.errors import DatabaseUnavailable


def _busy() -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("database is locked")
    exc.sqlite_errorcode = 5  # type: ignore[attr-defined]  # SQLITE_BUSY, as the driver sets it
    return exc


class _Connection:
    """Refuses BEGIN IMMEDIATE ``busy_times`` times as busy (or with ``error``), then grants
    it; records every statement and advances a fake clock by each try's busy timeout."""

    def __init__(self, busy_times: int, error: sqlite3.Error | None = None) -> None:
        self.busy_times, self.error = busy_times, error
        self.statements: list[str] = []
        self.now, self.timeout_ms = 0.0, BUSY_TIMEOUT_MS

    def clock(self) -> float:
        return self.now

    def execute(self, sql: str) -> None:
        self.statements.append(sql)
        if sql.startswith("PRAGMA busy_timeout = "):
            self.timeout_ms = int(sql.rsplit(" ", 1)[1])
            return
        assert sql == "BEGIN IMMEDIATE"
        if self.error is not None:
            raise self.error
        if self.busy_times > 0:
            self.busy_times -= 1
            self.now += max(self.timeout_ms, 1) / 1000  # SQLite waited that long, in vain
            raise _busy()

    def tries(self) -> int:
        return self.statements.count("BEGIN IMMEDIATE")


def test_a_busy_lock_is_tried_again_until_it_is_granted() -> None:
    con = _Connection(busy_times=50)  # busy for 50 tries: far longer than one try's wait
    begin_immediate(con, clock=con.clock)  # type: ignore[arg-type]
    assert con.tries() == 51
    # Each try waits a few milliseconds in SQLite, never its 100 ms sleeps...
    timeouts = [
        int(s.rsplit(" ", 1)[1])
        for s, nxt in zip(con.statements, con.statements[1:], strict=False)
        if nxt == "BEGIN IMMEDIATE"
    ]
    assert len(timeouts) == 51 and max(timeouts) <= database._LOCK_TRY_MS
    # ...and the connection keeps the usual patience for its other statements.
    assert con.statements[-1] == f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"


def test_a_lock_held_past_the_total_wait_is_refused_as_busy() -> None:
    con = _Connection(busy_times=10**9)
    with pytest.raises(sqlite3.OperationalError) as info:
        begin_immediate(con, clock=con.clock)  # type: ignore[arg-type]
    assert database.error_code(info.value) == database.SQLITE_BUSY
    assert BUSY_TIMEOUT_MS / 1000 <= con.now < BUSY_TIMEOUT_MS / 1000 + 1  # bounded
    assert con.statements[-1] == f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"


def test_other_errors_are_not_retried() -> None:
    readonly = sqlite3.OperationalError("attempt to write a readonly database")
    readonly.sqlite_errorcode = 8  # type: ignore[attr-defined]
    con = _Connection(busy_times=0, error=readonly)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        begin_immediate(con, clock=con.clock)  # type: ignore[arg-type]
    assert con.tries() == 1


def test_an_optional_write_tries_once() -> None:
    con = _Connection(busy_times=1)
    with pytest.raises(sqlite3.OperationalError):
        begin_immediate(con, wait=False, clock=con.clock)  # type: ignore[arg-type]
    assert con.statements == ["BEGIN IMMEDIATE"]


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = database.open_database(
        f"sqlite:///{tmp_path / 'x.sqlite3'}", sqlite_path=tmp_path / "x.sqlite3"
    )
    yield opened
    opened.dispose()


def _hold_lock(path: Path, release: threading.Event) -> threading.Thread:
    """Another program's write transaction on ``path``, held until ``release`` is set."""
    taken = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            taken.set()
            release.wait()
            other.execute("ROLLBACK")
        finally:
            other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    return thread


@pytest.mark.parametrize("path", ["driver", "sqlalchemy"])
def test_every_sqlite_write_path_waits_for_a_released_lock(db, path: str) -> None:  # type: ignore[no-untyped-def]
    """The lock is released only after a save has begun waiting (longer than one try)."""
    release = threading.Event()
    holder = _hold_lock(db.sqlite_path, release)
    done: list[str] = []

    def save() -> None:
        if path == "driver":
            with db.driver_write() as con:
                con.execute("UPDATE assessments SET name = name")
        else:
            from sqlalchemy import text

            with db.write() as session:
                session.execute(text("UPDATE assessments SET name = name"))
        done.append(path)

    saver = threading.Thread(target=save)
    saver.start()
    saver.join(0.2)  # several tries: each gives up after _LOCK_TRY_MS
    assert saver.is_alive() and not done
    release.set()
    holder.join()
    saver.join(30)
    assert done == [path]


def test_a_lock_that_stays_held_refuses_the_save_with_one_message(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 150)
    release = threading.Event()
    holder = _hold_lock(db.sqlite_path, release)
    try:
        with (
            pytest.raises(DatabaseUnavailable, match="in use by another program"),
            db.driver_write() as con,
        ):
            con.execute("INSERT INTO assessments (name) VALUES ('never')")
    finally:
        release.set()
        holder.join()
    con = sqlite3.connect(db.sqlite_path)
    try:
        assert con.execute("SELECT count(*) FROM assessments").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.slow
def test_parallel_airmf_answer_processes_all_record(tmp_path: Path) -> None:
    """A script runs ``airmf answer`` for several subcategories at once while another program
    holds the write lock for a moment: every process waits its turn and records its answer."""
    import os
    import subprocess
    import sys

    from app.cli.main import main

    db = tmp_path / "x.sqlite3"
    assert main(["--db", str(db), "--as", "T", "assessment", "create", "--name", "P"]) == 0
    subs = [f"GV-1.{n}" for n in range(1, 8)]
    release = threading.Event()
    holder = _hold_lock(db, release)
    env = {**os.environ, "AIRMF_ACTOR": "Script"}
    code = "import sys; from app.cli.main import main; sys.exit(main())"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, "--db", str(db), "answer", "1", sub, "--notes", sub],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for sub in subs
    ]
    try:
        # Held until every process is waiting for it (or has failed, which the test reports).
        threading.Event().wait(1.0)
    finally:
        release.set()
        holder.join()
    results = [(p.wait(120), *p.communicate()) for p in procs]
    assert [r[0] for r in results] == [0] * len(subs), [r[2] for r in results if r[0]]
    con = sqlite3.connect(db)
    try:
        notes = dict(con.execute("SELECT subcategory_id, notes FROM answers").fetchall())
    finally:
        con.close()
    assert {notes.get(f"GOVERN 1.{n}") for n in range(1, 8)} == set(subs)
