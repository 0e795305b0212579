"""Start-up to interactive: process start until the main window shows the most recently used
assessment with its current subcategory rendered (offscreen, quitting at that moment).

Floor: a bare PySide6 window plus importing SQLAlchemy's ORM and Pydantic.
Budget: at most 1.3x the floor; ReportLab and QtCharts (and SQLAlchemy: the reopened
assessment is read on the sqlite3 driver) are not imported by then.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Result, alternate

ROUNDS = 7
FLOOR = (
    "import sqlalchemy.orm, pydantic\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow, QLabel\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.setCentralWidget(QLabel('floor')); w.resize(1280, 800); w.show()\n"
    "import time\n"
    "def ready():\n"
    "    print(f'ready-at {time.time():.6f}', flush=True); app.quit()\n"
    "QTimer.singleShot(0, ready)\n"
    "app.exec()\n"
)
PREPARE = """
import sys
from app.services.bootstrap import open_services
from app.services.sample import create_sample
from PySide6.QtCore import QSettings
from app.ui.main_window import MainWindow
from PySide6.QtWidgets import QApplication
app = QApplication([])
ctx = open_services(sys.argv[1])
aid = create_sample(ctx)
aid = aid if isinstance(aid, int) else aid.id
w = MainWindow(ctx)
w._remember(aid)
w.settings.sync()
print(aid)
"""
PROBE = """
import os, sys
os.environ["AIRMF_QUIT_WHEN_READY"] = "1"
from app.ui import application
code = application.run(sys.argv[1])
heavy = [m for m in ("sqlalchemy", "reportlab", "PySide6.QtCharts") if m in sys.modules]
print("heavy:" + ",".join(heavy))
"""


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(home / "config"),
        "AIRMF_DATA_DIR": str(home / "data"),
        "HOME": str(home),
    }


def _until_ready(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``cmd`` to the moment it reports "ready-at" (exit not counted)."""
    spawned = time.time()
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, timeout=60)
    stamp = next(line for line in out.stdout.splitlines() if line.startswith("ready-at "))
    return float(stamp.split()[1]) - spawned


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="airmf-bench-") as tmp:
        home = Path(tmp)
        db = home / "bench.sqlite3"
        env = _env(home)
        subprocess.run(
            [sys.executable, "-c", PREPARE, str(db)], env=env, check=True, capture_output=True
        )
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, str(db)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        heavy = probe.strip().rsplit("heavy:", 1)[-1]
        ready_env = {**env, "AIRMF_QUIT_WHEN_READY": "1"}

        def ours() -> float:
            return _until_ready([sys.executable, "-m", "app", "--db", str(db)], ready_env)

        def floor() -> float:
            return _until_ready([sys.executable, "-c", FLOOR], env)

        o, f, ratio = alternate(ours, floor, ROUNDS)
    return [
        Result(
            "start-up to interactive",
            o,
            f,
            "<= 1.3x floor",
            ratio <= 1.3,
            {"median_ratio": round(ratio, 2), "heavy_imports_at_ready": heavy or "none"},
        )
    ]


if __name__ == "__main__":
    for r in run():
        print(r.line())
