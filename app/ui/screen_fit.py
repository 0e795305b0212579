"""How tall a dialog opens: what it would like, but within the screen it opens on.

A 1366x768 laptop screen with a task bar leaves about 728 pixels; a dialog taller than that
opens with its Save and Cancel buttons below the screen's edge.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ROOM = 60  # room left on the screen for the window frame and title bar around a dialog


def opening_height(dialog: QWidget, wanted: int) -> int:
    """``wanted`` (pixels), lowered to the height the dialog's screen leaves (FRAME_ROOM kept
    for its frame), and never below the dialog's minimum size hint."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().height() - FRAME_ROOM if screen is not None else wanted
    return max(dialog.minimumSizeHint().height(), min(wanted, room))
