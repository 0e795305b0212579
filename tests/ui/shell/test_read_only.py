"""A finalized assessment says why edits do nothing, and the banner leads to Reopen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.assessment import Status
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService

pytestmark = pytest.mark.gui


@pytest.fixture
def finalized(ctx) -> int:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Signed off", "ai_system": "Scorer"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="Signed policy")
    LifecycleService(ctx).finalize(aid, "Ada Lovelace", "CISO")
    return aid


def _open(qtbot, window, aid: int) -> None:  # type: ignore[no-untyped-def]
    window.open_assessment(aid)
    qtbot.waitUntil(lambda: window.questionnaire.data is not None)
    qtbot.waitUntil(lambda: window.questionnaire.controller.current is not None)


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier),  # a rating
        (Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier),
    ],
)
def test_rating_keys_say_why_nothing_changes(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_window, finalized, key, modifier
):
    window = make_window(reopen_last=False)
    _open(qtbot, window, finalized)
    history = AnswerService(ctx).history(finalized)
    qtbot.keyClick(window.questionnaire.editor, key, modifier)
    message = window.statusBar().currentMessage()
    assert "finalized and read-only" in message and "Reopen for edits" in message
    assert AnswerService(ctx).history(finalized) == history


def test_every_editing_shortcut_says_why(qtbot, ctx, make_window, finalized) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    _open(qtbot, window, finalized)
    page = window.questionnaire
    for action in [
        *page.actions.ratings,
        page.actions.not_applicable,
        page.actions.flag,
        page.actions.clear_rating,
    ]:
        window.statusBar().clearMessage()
        assert action.isEnabled(), action.text()
        action.trigger()
        assert "read-only" in window.statusBar().currentMessage(), action.text()
    assert LifecycleService(ctx).verify(finalized).matches


def test_the_banner_button_reopens(qtbot, ctx, make_window, modal, finalized) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    _open(qtbot, window, finalized)
    page = window.questionnaire
    assert "Assessment &gt; Reopen for edits" in page.read_only_banner.text()
    assert page.reopen_button.isVisible()

    def give_reason(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.objectName() == "reopenDialog"
        qtbot.keyClicks(dialog.reason, "Auditor asked for MAP evidence")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    modal(lambda: qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton), give_reason)
    qtbot.waitUntil(lambda: window.current.status is Status.DRAFT)
    qtbot.waitUntil(lambda: not page.read_only_banner.isVisible())
