"""What the main window remembers between runs, in QSettings (UI state only, never assessment
data): its geometry (fitted to the screen available now), toolbar and dock state, the Home
table's columns, every named splitter, and the assessment open last in each database."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QByteArray, QMargins, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

DEFAULT_SIZE = QSize(1280, 800)
# Room for the window frame and title bar, which a window's geometry() does not include and
# which is not known before the window is first shown.
FRAME_ALLOWANCE = QMargins(8, 40, 8, 8)


def fits_screen(geometry: QRect, available: QRect) -> bool:
    """Whether a window of ``geometry`` (client area, device-independent pixels) lies within
    ``available`` (a screen's available geometry) and is small enough to fit it with its frame.

    The frame itself is placed by the window manager, which keeps it on screen.
    """
    framed = geometry.size().grownBy(FRAME_ALLOWANCE)
    return available.contains(geometry) and framed.boundedTo(available.size()) == framed


def first_geometry(available: QRect) -> QRect:
    """The window's client geometry when nothing that fits was saved: the default size, made
    smaller where the screen is, centred in the available area."""
    room = available.marginsRemoved(FRAME_ALLOWANCE)
    size = DEFAULT_SIZE.boundedTo(room.size())
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(room.center())
    return rect


class UiState:
    """Reads and writes ``window``'s remembered state in ``settings``; ``database`` (its
    display name) keys the assessment open last, so that each database reopens its own."""

    def __init__(self, window: QMainWindow, settings: QSettings, database: str) -> None:
        self.window = window
        self.settings = settings
        self._key = f"lastAssessment/{hashlib.sha1(database.encode()).hexdigest()[:16]}"

    def last_assessment(self) -> int | None:
        """The id of the assessment open when the window last closed (None: none, or unusable)."""
        value = self.settings.value(self._key)
        try:
            return int(value) if value not in (None, "") else None  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None

    def remember(self, assessment_id: int | None) -> None:
        if assessment_id is None:
            self.settings.remove(self._key)
        else:
            self.settings.setValue(self._key, assessment_id)

    def splitters(self) -> list[QSplitter]:
        return [s for s in self.window.findChildren(QSplitter) if s.objectName()]

    def restore_geometry(self, available: QRect) -> None:
        """The saved geometry if it fits ``available`` (the screen now), else a size that does.

        A window saved on a larger monitor (or at another scaling) would otherwise open with
        its status bar below the bottom of the screen.
        """
        w = self.window
        geometry = self.settings.value("window/geometry")
        saved = self.settings.value("window/normalGeometry")
        if (
            isinstance(geometry, QByteArray)
            and not geometry.isEmpty()
            and (not isinstance(saved, QRect) or fits_screen(saved, available))
            and w.restoreGeometry(geometry)
            and fits_screen(w.normalGeometry(), available)
        ):
            return
        w.setWindowState(Qt.WindowState.WindowNoState)
        w.setGeometry(first_geometry(available))

    def restore(self, available: QRect, home_header: QHeaderView) -> None:
        """Geometry, window state, the Home table's columns and the splitters built so far."""
        self.restore_geometry(available)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.window.restoreState(state)
        header = self.settings.value("home/header")
        if isinstance(header, QByteArray):
            home_header.restoreState(header)
        self.restore_splitters(self.splitters())

    def restore_splitters(self, splitters: list[QSplitter]) -> None:
        """Splitters of a page built later (e.g. the dashboard) get their saved sizes too."""
        for splitter in splitters:
            saved = self.settings.value(f"splitters/{splitter.objectName()}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)

    def save(self, home_header: QHeaderView, last_assessment: int | None) -> None:
        w = self.window
        self.settings.setValue("window/geometry", w.saveGeometry())
        self.settings.setValue("window/normalGeometry", w.normalGeometry())
        self.settings.setValue("window/state", w.saveState())
        self.settings.setValue("home/header", home_header.saveState())
        for splitter in self.splitters():
            self.settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        self.remember(last_assessment)
        self.settings.sync()
