"""The window fits the screen it opens on: first start, and geometry saved on another screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings

from app.ui.main_window import FRAME_ALLOWANCE, first_geometry, fits_screen

pytestmark = pytest.mark.gui

LAPTOP = QRect(0, 0, 1366, 728)  # 1366x768 with a 40-pixel task bar
BIG = QRect(0, 0, 1920, 1040)


def assert_on_screen(window, available: QRect) -> None:  # type: ignore[no-untyped-def]
    assert fits_screen(window.geometry(), available), window.geometry()
    bar = window.statusBar()
    assert bar.isVisible()
    bottom = bar.mapTo(window, QPoint(0, bar.height())).y() + window.geometry().top()
    assert bottom + FRAME_ALLOWANCE.bottom() <= available.bottom() + 1


def test_first_geometry_is_the_default_size_where_it_fits() -> None:
    assert first_geometry(BIG).size().toTuple() == (1280, 800)
    small = first_geometry(LAPTOP)
    assert small.height() < 800 and fits_screen(small, LAPTOP)
    offset = QRect(1920, 0, 1366, 728)  # a second monitor to the right
    assert fits_screen(first_geometry(offset), offset)


def test_the_first_window_fits_a_1366x768_screen(qtbot, make_window, screen) -> None:  # type: ignore[no-untyped-def]
    screen.available = LAPTOP
    window = make_window(reopen_last=False)
    assert_on_screen(window, LAPTOP)
    assert window.width() == 1280  # as wide as the default, less tall


def test_geometry_saved_on_a_larger_screen_is_not_restored(  # type: ignore[no-untyped-def]
    qtbot, make_window, screen, settings_path
):
    first = make_window(reopen_last=False)
    first.setGeometry(QRect(40, 60, 1000, 600))
    first.close()
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert isinstance(settings.value("window/geometry"), QByteArray)
    assert settings.value("window/normalGeometry") == QRect(40, 60, 1000, 600)

    again = make_window(reopen_last=False)  # the same screen: restored as it was
    # (the offscreen platform's own 800-pixel screen clamps the width)
    assert (again.geometry().top(), again.height()) == (60, 600)
    again.close()

    settings.setValue("window/normalGeometry", QRect(100, 80, 1700, 900))  # from a big monitor
    settings.sync()
    screen.available = LAPTOP
    later = make_window(reopen_last=False)
    assert later.geometry() == first_geometry(LAPTOP)
    assert_on_screen(later, LAPTOP)
