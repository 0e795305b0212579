"""Leaving an assessment whose saves failed (and were not retried) asks first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import StorageError

pytestmark = pytest.mark.gui


@pytest.fixture
def failing(qtbot, ctx, make_window, monkeypatch):  # type: ignore[no-untyped-def]
    """A window whose flag change on GOVERN 1.1 failed to save."""
    aid = AssessmentService(ctx).create({"name": "Q3", "ai_system": "Scorer"}).id
    window = make_window(reopen_last=False)
    window.open_assessment(aid)
    qtbot.waitUntil(lambda: window.questionnaire.controller.current == "GOVERN 1.1")

    def locked(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise StorageError("the database is locked by another program")

    monkeypatch.setattr(AnswerService, "record", locked)
    window.questionnaire.controller.change({"flagged": True})
    qtbot.waitUntil(lambda: "not saved" in window.save_label.text())
    return window


def test_closing_the_window_asks_and_stay_keeps_it_open(qtbot, modal, failing) -> None:  # type: ignore[no-untyped-def]
    def stay(box) -> None:  # type: ignore[no-untyped-def]
        assert box.objectName() == "failedSavesBox"
        assert "GOVERN 1.1 not saved" in box.text()
        qtbot.mouseClick(
            box.findChild(type(box.defaultButton()), "stayButton"), Qt.MouseButton.LeftButton
        )

    modal(failing.close, stay)
    assert failing.isVisible()

    def leave(box) -> None:  # type: ignore[no-untyped-def]
        qtbot.mouseClick(
            box.findChild(type(box.defaultButton()), "leaveUnsavedButton"),
            Qt.MouseButton.LeftButton,
        )

    modal(failing.close, leave)
    assert not failing.isVisible()


def test_closing_the_assessment_asks(qtbot, modal, failing) -> None:  # type: ignore[no-untyped-def]
    def stay(box) -> None:  # type: ignore[no-untyped-def]
        box.reject()  # Escape: the default is to stay

    modal(failing.close_assessment, stay)
    assert failing.current is not None

    def leave(box) -> None:  # type: ignore[no-untyped-def]
        qtbot.mouseClick(
            box.findChild(type(box.defaultButton()), "leaveUnsavedButton"),
            Qt.MouseButton.LeftButton,
        )

    modal(failing.close_assessment, leave)
    assert failing.current is None
    assert failing.save_label.text() == ""
