"""Base of the sign-off and cycle dialogs: one service call off the UI thread, errors inline."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from app.services.errors import ServiceError
from app.ui.style import error_label
from app.ui.workers import Background

log = logging.getLogger(__name__)

# Characters the domain models refuse (everything below U+0020 but tab and line breaks).
_CONTROL = {c: None for c in range(32) if chr(c) not in "\t\n\r"}


def clean(text: str) -> str:
    """Drop control characters a paste may bring, and the surrounding blanks."""
    return text.translate(_CONTROL).strip()


class ServiceDialog(QDialog):
    """Subclasses build their form, then call ``submit(fn, on_success)`` from ``accept``."""

    def __init__(self, parent: QWidget | None, object_name: str, ok_text: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setModal(True)
        self.background = Background(self)
        self.busy = False
        self.error = error_label(self, f"{object_name}Error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setObjectName(f"{object_name}Ok")
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName(f"{object_name}Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def fit(self, width: int = 580) -> None:
        """Size the dialog to its wrapped text (labels wrap, so the height follows the width)."""
        self.setMinimumWidth(width)
        layout = self.layout()
        w = max(self.width(), width)
        h = self.sizeHint().height()
        if layout is not None and layout.hasHeightForWidth():
            h = max(h, layout.totalHeightForWidth(w))
        self.resize(w, h)

    def refuse(self, message: str, focus: QWidget | None = None) -> None:
        """Show why the input was refused (nothing was written) and keep the dialog open."""
        self.error.setText(message[:1].upper() + message[1:])
        self.error.setVisible(True)
        self.fit()
        if focus is not None:
            focus.setFocus()

    def clear_error(self) -> None:
        if self.error.isVisible():
            self.error.setVisible(False)
            self.fit()

    def disable(self, message: str) -> None:
        """The action cannot be done at all (e.g. already finalized): say so, disable OK."""
        self.refuse(message)
        self.ok_button.setEnabled(False)

    def submit(self, fn: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self.busy = True
        self.ok_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.clear_error()

        def done(result: Any) -> None:
            self.busy = False
            on_success(result)
            QDialog.accept(self)

        def failed(exc: Exception) -> None:
            self.busy = False
            self.ok_button.setEnabled(True)
            self.cancel_button.setEnabled(True)
            if isinstance(exc, ServiceError):
                self.refuse(str(exc))
            else:  # a bug or an unexpected storage problem: say so, keep the dialog usable
                log.error("%s failed: %r", self.objectName(), exc)
                self.refuse(f"Nothing was changed: an unexpected error occurred ({exc})")

        self.background.write(fn, done, failed)

    def reject(self) -> None:
        if not self.busy:  # the write is under way: its outcome decides how the dialog ends
            super().reject()
