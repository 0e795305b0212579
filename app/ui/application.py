"""Start the Qt application: open the services, show the main window or a clear start-up error."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from app.services.bootstrap import open_services
from app.services.errors import ServiceError


def run(db: str | None = None, qt_args: Sequence[str] = ()) -> int:
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("AI RMF Assessor")
    app.setOrganizationName("airmf-assessor")
    try:
        ctx = open_services(db)
    except ServiceError as exc:
        QMessageBox.critical(None, "AI RMF Assessor cannot start", str(exc))
        return 1
    window = QMainWindow()
    window.setWindowTitle("AI RMF Assessor")
    label = QLabel(f"Database: {ctx.location.display}")
    label.setObjectName("databaseLabel")
    window.setCentralWidget(label)
    window.resize(1280, 800)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.db.dispose()
