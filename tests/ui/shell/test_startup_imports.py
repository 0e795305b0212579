"""Reopening the last assessment at start-up loads neither SQLAlchemy nor the heavy modules.

The first screen reads through the sqlite3 driver (``app.persistence.sqlite_store``); SQLAlchemy,
ReportLab and QtCharts are loaded when first needed, after the question is on screen. The
start-up benchmark's own scripts prepare the database and probe the modules.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.bench_startup import PREPARE, PROBE, _env

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.gui
def test_reopening_the_last_assessment_needs_no_sqlalchemy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "start.sqlite3")
    run = {"env": _env(tmp_path), "cwd": ROOT, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "-c", PREPARE, db], check=True, timeout=120, **run)  # type: ignore[call-overload]
    out = subprocess.run([sys.executable, "-c", PROBE, db], check=True, timeout=120, **run)  # type: ignore[call-overload]
    lines = out.stdout.splitlines()
    assert any(line.startswith("ready-at ") for line in lines)  # the question was shown
    assert lines[-1] == "heavy:"  # none of sqlalchemy, reportlab, PySide6.QtCharts
