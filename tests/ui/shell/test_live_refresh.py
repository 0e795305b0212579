"""Team mode in the window: another member's saves show up without pressing F5."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services

pytestmark = pytest.mark.gui


def test_window_follows_another_members_writes(qtbot, pg_url, catalog, settings_path, ui) -> None:  # type: ignore[no-untyped-def]
    from app.ui.main_window import MainWindow

    mine, theirs = open_services(pg_url, catalog=catalog), open_services(pg_url, catalog=catalog)
    window = MainWindow(
        mine, QSettings(str(settings_path), QSettings.Format.IniFormat), reopen_last=False
    )
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.live_refresh.active
        assert window.live_refresh.listener.wait_connected(10)
        ui.home_loaded(window)
        assert ui.home_rows(window) == []

        aid = AssessmentService(theirs).create({"name": "Made by Sam", "ai_system": "Bot"}).id
        qtbot.waitUntil(
            lambda: [r[0] for r in ui.home_rows(window)] == ["Made by Sam"], timeout=10_000
        )

        window.open_assessment(aid)
        qtbot.waitUntil(
            lambda: window.current is not None and window.current.id == aid, timeout=10_000
        )
        AnswerService(theirs).record(aid, "GOVERN 1.1", notes="Sam's note")
        answers = window.questionnaire
        qtbot.waitUntil(
            lambda: (
                AnswerService(mine).get(aid, "GOVERN 1.1").notes == "Sam's note"
                and "Sam's note" in _notes_shown(answers)
            ),
            timeout=10_000,
        )
    finally:
        window.close()
        window.background.wait()
        mine.db.dispose()
        theirs.db.dispose()
    assert window.live_refresh.listener is None  # stopped with the window


def _notes_shown(page) -> str:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

    texts = [w.toPlainText() for w in page.findChildren(QPlainTextEdit)]
    texts += [w.toPlainText() for w in page.findChildren(QTextEdit)]
    return "\n".join(texts)
