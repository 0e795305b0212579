"""Fixtures for the questionnaire page: a page on the test database, helpers to wait for saves."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The page's QSettings() (splitter, tab) goes to a temporary folder, never $HOME."""
    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)


@pytest.fixture
def background(qtbot):  # type: ignore[no-untyped-def]
    from app.ui.workers import Background

    bg = Background()
    yield bg
    bg.wait()


@pytest.fixture
def make_page(qtbot, ctx, background) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """Build a shown 1280x800 page and open an assessment in it (waits until it is shown)."""
    from shiboken6 import isValid

    from app.ui.questionnaire.page import QuestionnairePage

    made: list[QuestionnairePage] = []

    def make(assessment_id: int | None = None) -> QuestionnairePage:
        page = QuestionnairePage(ctx, background)
        made.append(page)
        page.resize(1280, 800)
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()
        if assessment_id is not None:
            with qtbot.waitSignal(page.loaded, timeout=10_000):
                page.load(assessment_id)
        return page

    yield make
    for page in made:  # a test may have destroyed a page on purpose (reopening)
        if isValid(page):
            page.flush()
            page.close()
            page.deleteLater()
    background.wait()


@pytest.fixture
def settle(qtbot, background) -> Callable[[object], None]:  # type: ignore[no-untyped-def]
    """Save pending typing now and wait until every queued save has landed and been shown."""

    def wait(page) -> None:  # type: ignore[no-untyped-def]
        page.flush()
        background.wait()
        qtbot.waitUntil(lambda: not page.controller.book.has_pending(), timeout=10_000)

    return wait


@pytest.fixture
def create(ctx) -> Callable[..., int]:  # type: ignore[no-untyped-def]
    """Create an assessment through the service; returns its id."""
    from app.services.assessments import AssessmentService

    def make(**meta: object) -> int:
        data = {"name": "Q3 2026", "ai_system": "Loan scorer", **meta}
        return AssessmentService(ctx).create(data).id

    return make
