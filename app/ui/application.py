"""Start the Qt application: open the services, show the main window or a clear start-up error."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import isValid

from app.ui.dialogs.messages import show_error
from app.ui.style import readable_palette

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
UNEXPECTED_TITLE = "Unexpected error"
LOG_BYTES = 1_000_000  # per log file; three older files are kept

APP_NAME = "AI RMF Assessor"
ORGANIZATION = "airmf-assessor"
# Reverse-DNS application id: the .desktop/metainfo/icon names in packaging/linux and resources/.
APP_ID = "io.github.airmf_assessor.AIRMFAssessor"


def run(db: str | None = None, qt_args: Sequence[str] = ()) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # Wayland app id and the menu entry the desktop matches
    app.setWindowIcon(_icon())
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName(APP_NAME)
    use_readable_palette(app)
    from app.ui.startup import open_or_recover

    # An unusable database (or broken framework files) gets one box naming the file and the
    # problem, offering to open another database, restore a backup, or quit.
    ctx = open_or_recover(db)
    if ctx is None:
        return 1
    from app.services.evidence import clean_viewing_copies

    clean_viewing_copies(at_exit=False)  # copies opened by an earlier run that crashed
    window = open_window(ctx, start_log_file())
    if os.environ.get("AIRMF_QUIT_WHEN_READY"):
        _quit_when_ready(app, window)
    try:
        return app.exec()
    finally:
        clean_viewing_copies(at_exit=True)
        ctx.db.dispose()


def use_readable_palette(app: QApplication) -> None:
    """Keep checked states visible on disabled controls (``style.readable_palette``), now and
    whenever the system switches between light and dark."""

    def apply(*_args: object) -> None:
        app.setPalette(readable_palette(app.palette()))

    apply()
    app.styleHints().colorSchemeChanged.connect(apply)


def open_window(ctx: object, log_path: Path | None) -> QWidget:
    """Show the main window, with ``install_exception_dialog`` reporting any bug in a slot."""
    from app.ui.main_window import MainWindow  # after the services: start-up errors show first

    window = MainWindow(ctx)  # type: ignore[arg-type]
    install_exception_dialog(window, log_path)
    window.show()
    return window


def start_log_file(path: Path | None = None) -> Path | None:
    """Also write the log to ``path`` (default ``app.config.paths.log_file()``), rotated at
    LOG_BYTES. Returns the file, or None when it cannot be written (the app runs anyway)."""
    from app.config.paths import log_file

    target = path or log_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=LOG_BYTES, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        log.warning("no log file at %s: %s", target, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    return target


def install_exception_dialog(parent: QWidget, log_path: Path | None) -> ExceptHook:
    """Make an exception that nothing caught (a bug in a slot) visible: it is logged with its
    traceback and a dialog says what happened and where the log is. Qt would otherwise print
    it to a console the user never sees and carry on.

    Returns the hook that was installed before, to put back with ``sys.excepthook = ...``.
    """
    previous = sys.excepthook
    showing: list[QMessageBox] = []

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        if showing and isValid(showing[0]) and showing[0].isVisible():
            return  # one box at a time: a bug repeated on every repaint must not flood
        where = (
            f"The details are in the log file {log_path}; please include it when you report "
            "the problem."
            if log_path is not None
            else "The details were written to the console (no log file could be opened)."
        )
        try:
            box = show_error(
                parent,
                UNEXPECTED_TITLE,
                f"something went wrong inside the application ({exc_type.__name__}: {exc}). "
                "Every answer shown as saved is stored; the action you took may not have "
                f"completed.\n\n{where}",
            )
        except Exception:  # the hook must never raise: the log has the details
            log.exception("the error dialog could not be shown")
            return
        box.setObjectName("unexpectedErrorBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path
        showing[:] = [box]

    sys.excepthook = hook
    return previous


def _quit_when_ready(app: QApplication, window: object) -> None:
    """For the start-up benchmark: quit once the reopened assessment's question is rendered
    (or, with nothing to reopen, once the window is shown)."""
    questionnaire = getattr(window, "questionnaire", None)
    loaded = getattr(questionnaire, "loaded", None)

    def ready() -> None:
        # Wall-clock time at "interactive", for the benchmark to subtract its spawn time from.
        print(f"ready-at {time.time():.6f}", flush=True)
        app.quit()

    opened = getattr(window, "assessment_opened", None)
    if getattr(window, "_last_assessment", lambda: None)() is not None and loaded is not None:
        # Both the question rendered and the window showing that assessment (the questionnaire
        # starts reading before the window has the assessment's record).
        waiting = {"loaded", "opened"} if opened is not None else {"loaded"}

        def arrived(what: str) -> None:
            if waiting:
                waiting.discard(what)
                if not waiting:
                    QTimer.singleShot(0, ready)

        loaded.connect(lambda *_: arrived("loaded"))
        if opened is not None:
            opened.connect(lambda *_: arrived("opened"))
    else:
        QTimer.singleShot(0, ready)


from PySide6.QtGui import QIcon  # noqa: E402  (kept beside its one user)


def _icon() -> QIcon:
    """The application icon in every shipped size (resources/icons); empty if none is found."""
    from app.catalog import CatalogError, resources_root

    icon = QIcon()
    try:
        root = resources_root() / "icons" / "hicolor"
    except CatalogError:
        return icon  # the start-up check reports missing data; a missing icon is no reason to fail
    for png in sorted(root.glob(f"*/apps/{APP_ID}.png")):
        icon.addFile(str(png))
    return icon
