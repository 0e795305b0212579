"""Render the main window's pages (home, questionnaire, dashboard, portfolio) at 1366x768 on a
fresh sample database, in the light or dark scheme, to PNG files to look at.

    python tools/window_shots.py [light|dark] [OUT_DIR]     # default: light, ./shots

Offscreen (QT_QPA_PLATFORM=offscreen); nothing of the user's data or settings is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    scheme = sys.argv[1] if len(sys.argv) > 1 else "light"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "shots")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="airmf-shots-"))
    os.environ["AIRMF_DATA_DIR"] = str(tmp)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    app.setStyle("Fusion")
    from app.ui.appearance import fusion_palette

    app.setPalette(fusion_palette(scheme == "dark"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp / "qsettings"))
    from app.services.bootstrap import open_services
    from app.services.sample import create_sample
    from app.ui.main_window import MainWindow

    ctx = open_services(str(tmp / "shots.sqlite3"))
    sample = create_sample(ctx)
    settings = QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings, reopen_last=False)
    window.resize(1366, 768)
    window.show()

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def shot(name: str) -> None:
        path = out / f"{name}-{scheme}.png"
        window.grab().save(str(path))
        print(path)

    settle(1.5)
    shot("home")
    window.open_assessment(sample.id)
    settle(1.5)
    window.questionnaire.show_subcategory("GOVERN 1.2")
    settle(0.8)
    shot("questionnaire")
    window.show_dashboard()
    settle(2.0)
    shot("dashboard")
    window.show_progress()
    settle(2.0)
    shot("portfolio")
    window.close()
    ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
