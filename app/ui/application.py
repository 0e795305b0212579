"""Start the Qt application: open the services, show the main window or a clear start-up error."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

APP_NAME = "AI RMF Assessor"
ORGANIZATION = "airmf-assessor"


def run(db: str | None = None, qt_args: Sequence[str] = ()) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName(APP_NAME)
    from app.ui.startup import open_or_recover

    # An unusable database (or broken framework files) gets one box naming the file and the
    # problem, offering to open another database, restore a backup, or quit.
    ctx = open_or_recover(db)
    if ctx is None:
        return 1
    from app.ui.main_window import MainWindow  # after the services: start-up errors show first

    window = MainWindow(ctx)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.db.dispose()
