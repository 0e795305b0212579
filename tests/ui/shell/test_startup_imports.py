"""Reopening the last assessment at start-up loads neither SQLAlchemy nor the heavy modules.

The first screen reads through the sqlite3 driver (``app.persistence.snapshot``); SQLAlchemy,
ReportLab and QtCharts are loaded when first needed, after the question is on screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PREPARE = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from app.services.bootstrap import open_services
    from app.services.sample import create_sample
    from app.ui.main_window import MainWindow
    ctx = open_services(sys.argv[1])
    made = create_sample(ctx)
    aid = made if isinstance(made, int) else made.id
    window = MainWindow(ctx)
    window._remember(aid)
    window.settings.sync()
    """
)
PROBE = textwrap.dedent(
    """
    import os, sys
    os.environ["AIRMF_QUIT_WHEN_READY"] = "1"
    from app.ui import application
    application.run(sys.argv[1])
    loaded = [m for m in ("sqlalchemy", "reportlab", "PySide6.QtCharts") if m in sys.modules]
    print("loaded:" + ",".join(loaded))
    """
)


@pytest.mark.gui
def test_reopening_the_last_assessment_needs_no_sqlalchemy(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "AIRMF_DATA_DIR": str(tmp_path / "data"),
        "HOME": str(tmp_path),
    }
    db = str(tmp_path / "start.sqlite3")
    run = {"env": env, "cwd": ROOT, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run([sys.executable, "-c", PREPARE, db], check=True, **run)  # type: ignore[call-overload]
    out = subprocess.run([sys.executable, "-c", PROBE, db], check=True, **run)  # type: ignore[call-overload]
    lines = out.stdout.splitlines()
    assert any(line.startswith("ready-at ") for line in lines)  # the question was shown
    assert lines[-1] == "loaded:"
