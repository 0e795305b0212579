"""The status bar's save status: "Saved at 14:03:09", or a failed save that was not retried
(in the error colour, until it is retried or dismissed), and the question asked before leaving
such changes behind."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QWidget

from app.ui.style import error_color


class SaveStatus:
    """Owns the permanent ``label`` of ``bar``. ``failed`` is True while a failed save is shown
    (a later successful save of something else does not hide it)."""

    def __init__(self, bar: QStatusBar, parent: QWidget) -> None:
        self._bar = bar
        self._parent = parent
        self.label = QLabel(parent)
        self.label.setObjectName("saveStatus")
        self.label.setAccessibleName("Save status")
        bar.addPermanentWidget(self.label)
        self.failed = False

    def saved(self, when: object) -> None:
        """A save succeeded (``when``: its time, a datetime; anything else shows "Saved")."""
        if self.failed:
            return  # a failed save is still not retried: that stays the news
        if isinstance(when, dt.datetime):
            local = when.astimezone() if when.tzinfo else when
            text = f"Saved at {local:%H:%M:%S}"
        else:
            text = "Saved"
        self.label.setPalette(self._bar.palette())
        self.label.setText(text)
        self.label.setToolTip("Every change is committed to the database as you make it")

    def save_failed(self, message: str) -> None:
        """``message``: the page's complete sentence (it names what was not saved, and why)."""
        pal = self.label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, error_color(pal))
        self.label.setPalette(pal)
        self.label.setText(message)
        self.label.setToolTip(message)
        self.failed = True

    def unsaved_changed(self, summary: str) -> None:
        """The failed saves not yet retried changed: show them, or clear the old failure."""
        if summary:
            self.save_failed(summary)
        elif self.failed:
            self.clear()

    def clear(self) -> None:
        """Nothing to report (another assessment, or none, is open)."""
        self.failed = False
        self.label.setPalette(self._bar.palette())
        self.label.clear()
        self.label.setToolTip("")

    def may_leave(self) -> bool:
        """Whether to leave the assessment although saves failed and were not retried (the
        changes would be lost): asks, with Stay as the default. True when nothing failed."""
        if not self.failed:
            return True
        box = QMessageBox(self._parent)
        box.setObjectName("failedSavesBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changes not saved")
        box.setText(
            f"{self.label.text()}.\n\nLeave anyway? Those changes are lost. Choose Stay, "
            "then Retry above the subcategory's form to save them again."
        )
        leave = box.addButton("Leave without saving", QMessageBox.ButtonRole.DestructiveRole)
        leave.setObjectName("leaveUnsavedButton")
        stay = box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("stayButton")
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.exec()
        return box.clickedButton() is leave
