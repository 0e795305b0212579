"""Fixtures shared by every GUI test."""

from __future__ import annotations

import pytest


@pytest.fixture
def modal(qtbot):  # type: ignore[no-untyped-def]
    """Run ``opener()`` (which exec()s a dialog) while ``driver(dialog)`` works its widgets.

    If the driver fails, the dialog is closed so that the test reports the failure instead of
    hanging in the dialog's event loop.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def run(opener, driver):  # type: ignore[no-untyped-def]
        errors: list[BaseException] = []

        def step() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(10, step)
                return
            try:
                driver(dialog)
            except BaseException as exc:  # reported after the dialog closed
                errors.append(exc)
                dialog.done(0)

        QTimer.singleShot(0, step)
        result = opener()
        if errors:
            raise errors[0]
        return result

    return run


@pytest.fixture
def fusion_palette():  # type: ignore[no-untyped-def]
    """``make(dark)``: the palette Qt's Fusion style uses for the light or the dark colour
    scheme (qtbase src/gui/kernel/qplatformtheme.cpp, qt_fusionPalette), disabled colours
    included. The offscreen platform has no colour scheme of its own to switch."""
    from PySide6.QtGui import QColor, QPalette

    role, group = QPalette.ColorRole, QPalette.ColorGroup

    def make(dark: bool) -> QPalette:
        window_text = QColor(240, 240, 240) if dark else QColor(0, 0, 0)
        background = QColor(50, 50, 50) if dark else QColor(239, 239, 239)
        base = background.darker(140) if dark else QColor(255, 255, 255)
        pal = QPalette(
            window_text,
            background,
            background.lighter(150),
            background.darker(150),
            background.darker(130),
            window_text,
            base,
        )
        pal.setColor(role.Button, background)
        pal.setColor(role.Highlight, QColor(48, 140, 198))
        pal.setColor(role.HighlightedText, window_text if dark else QColor(255, 255, 255))
        disabled_text = QColor(130, 130, 130) if dark else QColor(190, 190, 190)
        for text_role in (role.WindowText, role.Text, role.ButtonText):
            pal.setColor(group.Disabled, text_role, disabled_text)
        pal.setColor(group.Disabled, role.Base, background)
        return pal

    return make
