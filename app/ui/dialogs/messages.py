"""Message boxes: one clear message naming what is wrong. Window-modal and non-blocking when
there is a window to attach to; blocking before any window exists (e.g. at start-up)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def _show(box: QMessageBox, parent: QWidget | None) -> QMessageBox:
    if parent is None:
        box.exec()  # no event loop to come back to yet
    else:
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
    return box


def _sentence(message: str) -> str:
    """``message`` with a capital first letter, unless it starts with a file name or other
    token that must stay as written ("q.xlsx: ..." names the file the user chose)."""
    first = message.split(" ", 1)[0].rstrip(":,")
    if not first.isalpha():
        return message
    return message[:1].upper() + message[1:]


def show_error(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """Show ``message`` (a complete sentence naming what is wrong) and return the box."""
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(title)
    box.setInformativeText(_sentence(message))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return _show(box, parent)


def show_info(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("infoBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return _show(box, parent)
