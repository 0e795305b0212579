"""Memory: peak RSS after opening the app, walking all 72 subcategories and exporting a report.

Budget: at most 250 MB. Runs in a fresh process so that the figure is the app's alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.harness import Result

CHILD = r"""
import json, os, sys, tempfile, time
from pathlib import Path
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
tmp = Path(tempfile.mkdtemp(prefix="airmf-mem-"))
for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp))
app = QApplication([])
from app.services.bootstrap import open_services
from app.services.sample import create_sample
from app.ui.main_window import MainWindow
ctx = open_services(str(tmp / "m.sqlite3"))
sample = create_sample(ctx)
aid = sample if isinstance(sample, int) else sample.id
window = MainWindow(ctx, QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
window.resize(1280, 800)
window.show()
loop = QEventLoop()
window.questionnaire.loaded.connect(lambda *_: loop.quit())
window.open_assessment(aid)
QTimer.singleShot(20000, loop.quit)
loop.exec()
for sub in ctx.catalog.framework("nist-ai-rmf-1.0").subcategory_ids():
    window.questionnaire.show_subcategory(sub)
    app.processEvents()
window.show_dashboard()
app.processEvents()
from app.services.report import ReportService
ReportService(ctx).export_pdf(aid, tmp / "r.pdf")
window.background.wait()
from bench.harness import peak_rss_mb
print(json.dumps({"peak_rss_mb": peak_rss_mb()}))
"""


def run() -> list[Result]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=300,
    )
    peak = json.loads(out.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    return [
        Result(
            "memory (open, walk 72, export report)",
            0.0,
            None,
            "peak <= 250 MB",
            peak <= 250,
            {"peak_rss_mb": round(peak, 1)},
        )
    ]


if __name__ == "__main__":
    for r in run():
        print(r.line())
