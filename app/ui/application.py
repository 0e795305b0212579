"""Start the Qt application: open the services, show the main window or a clear start-up error."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.bootstrap import open_services
from app.config.paths import resolve
from app.services.errors import ServiceError, StorageError


def startup_message(db: str | None, exc: ServiceError) -> str:
    """Name the database and the problem (the message of a StorageError may not say which)."""
    if isinstance(exc, StorageError):
        try:
            where = resolve(db).display
        except Exception:  # an unusable path or URL: show what was given
            where = db or "the default database"
        text = str(exc)
        return text if where in text else f"Database {where}:\n{text}"
    return f"The framework files could not be loaded:\n{exc}"


def run(db: str | None = None, qt_args: Sequence[str] = ()) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("AI RMF Assessor")
    app.setOrganizationName("airmf-assessor")
    app.setApplicationDisplayName("AI RMF Assessor")
    try:
        ctx = open_services(db)
    except ServiceError as exc:
        QMessageBox.critical(None, "AI RMF Assessor cannot start", startup_message(db, exc))
        return 1
    from app.ui.main_window import MainWindow  # after the services: start-up errors show first

    window = MainWindow(ctx)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.db.dispose()
