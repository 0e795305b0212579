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
    scheme (``app.ui.appearance.qt_fusion_palette``), disabled colours included. The offscreen
    platform has no colour scheme of its own to switch."""
    from app.ui.appearance import qt_fusion_palette

    return qt_fusion_palette
