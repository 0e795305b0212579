"""Fixtures for the shell: UI settings in a temporary file, a main window on the test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Pages that use the default QSettings() write under a temporary folder, never $HOME."""
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


class FakeScreen:
    """The available screen geometry the main window sizes itself to (the offscreen platform
    has one 800x800 screen); tests set ``available`` to the screen they mean."""

    def __init__(self) -> None:
        from PySide6.QtCore import QRect

        self.available = QRect(0, 0, 1920, 1040)  # a 1920x1080 monitor with a task bar


@pytest.fixture(autouse=True)
def screen(monkeypatch: pytest.MonkeyPatch) -> FakeScreen:
    from app.ui.main_window import MainWindow

    fake = FakeScreen()
    monkeypatch.setattr(MainWindow, "_available_geometry", lambda self: fake.available)
    return fake


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "ui-settings.ini"


@pytest.fixture
def make_window(qtbot, ctx, settings_path) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """Build main windows on the test database; each is closed (flushing saves) at the end."""
    from app.ui.main_window import MainWindow

    made: list[MainWindow] = []

    def make(**kwargs: object) -> MainWindow:
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        window = MainWindow(ctx, settings, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        if window.isVisible():
            window.close()
        window.background.wait()


class Helpers:
    """Small helpers shared by the shell tests (reached through the ``ui`` fixture)."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot

    def home_loaded(self, window) -> None:  # type: ignore[no-untyped-def]
        self.qtbot.waitUntil(lambda: window.home.stack.currentWidget() is not window.home.loading)

    @staticmethod
    def home_rows(window) -> list[list[str]]:  # type: ignore[no-untyped-def]
        """The home table as the user sees it (display text of every visible cell)."""
        proxy = window.home.proxy
        return [
            [proxy.index(r, c).data() for c in range(proxy.columnCount())]
            for r in range(proxy.rowCount())
        ]

    def sample_dashboard(self, ctx, make_window):  # type: ignore[no-untyped-def]
        """A new window on the sample assessment, its dashboard shown and loaded; returns
        (window, page)."""
        from app.services.sample import create_sample

        sample = create_sample(ctx)
        window = make_window(reopen_last=False)
        window.open_assessment(sample.id)
        page = window.dashboard
        self.qtbot.waitUntil(lambda: page.data is not None)
        window.dashboard_view_action.trigger()
        self.qtbot.waitUntil(lambda: page.chart is not None and page.heat_map.isVisible())
        return window, page

    def reload_home(self, window) -> None:  # type: ignore[no-untyped-def]
        with self.qtbot.waitSignal(window.home.loaded):
            window.home.refresh()


@pytest.fixture
def ui(qtbot) -> Helpers:  # type: ignore[no-untyped-def]
    return Helpers(qtbot)
