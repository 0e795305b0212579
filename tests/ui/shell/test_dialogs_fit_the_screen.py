"""Every dialog opens within a 1366x768 laptop screen (728 pixels above the task bar, less
the window frame): its Save and Cancel buttons are never below the screen's edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

from app.ui.screen_fit import FRAME_ROOM
from tests.ui.shell.test_accessible_names import _dialogs

pytestmark = pytest.mark.gui
AVAILABLE = QRect(0, 0, 1366, 728)


def test_every_dialog_opens_within_the_screen(qtbot, ctx, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: AVAILABLE)
    too_tall = {}
    for dialog in _dialogs(ctx, tmp_path):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        if dialog.height() > AVAILABLE.height() - FRAME_ROOM or dialog.width() > AVAILABLE.width():
            too_tall[dialog.objectName()] = (dialog.width(), dialog.height())
    assert too_tall == {}
