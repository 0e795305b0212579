"""Promise 1: an answer reported saved survives kill -9 at any moment (50 kills)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 50


def _run_and_kill(
    db: Path, aid: int, start: int, delay: float, after_first_save: bool
) -> list[tuple[str, int]]:
    """Run the writer and kill it ``delay`` seconds after it starts or, with
    ``after_first_save``, after it confirmed its first save (how long start-up takes depends on
    the machine's load, and a kill that always lands in start-up proves nothing)."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(aid), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    confirmed: list[tuple[str, int]] = []
    first = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            sub, _, idx = line.rstrip("\n").partition("\t")
            if idx:
                confirmed.append((sub, int(idx)))
                first.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    if after_first_save:
        first.wait(timeout=120)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    t.join(timeout=10)
    return confirmed


@pytest.mark.slow
def test_confirmed_answers_survive_kill_9(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "crash.sqlite3"
    ctx = open_services(str(db), catalog=catalog)
    aid = AssessmentService(ctx).create({"name": "Crash test"}).id
    ctx.db.dispose()
    rng = random.Random(20261127)
    last_confirmed: dict[str, int] = {}
    start, total = 0, 0
    for _ in range(KILLS):
        # Some kills land during start-up, most while answers are being written.
        during_writes = rng.random() < 0.8
        delay = rng.uniform(0.0, 0.8) if during_writes else rng.uniform(0.05, 1.0)
        confirmed = _run_and_kill(db, aid, start, delay, after_first_save=during_writes)
        for sub, idx in confirmed:
            last_confirmed[sub] = idx
        total += len(confirmed)
        start += len(confirmed) + 1000  # never reuse a value, so every write is recognisable
    assert total > 100, "the writer hardly ever confirmed a save; the test proves nothing"

    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    ctx = open_services(str(db), catalog=catalog)
    try:
        stored = AssessmentService(ctx).answers(aid)
        for sub, idx in last_confirmed.items():
            notes = stored[sub].notes
            # The stored write is the confirmed one or a later one that committed unreported.
            assert int(notes.removeprefix("write ")) >= idx, (sub, notes, idx)
        assert AnswerService(ctx).verify_history(aid) is None
    finally:
        ctx.db.dispose()
