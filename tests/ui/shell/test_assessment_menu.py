"""The Assessment menu and File > backups, driven from the main window (issues 5 and 6)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.assessment import Status
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.backups import BackupService
from app.services.errors import AssessmentLocked
from app.services.lifecycle import LifecycleService

pytestmark = pytest.mark.gui
M = {"coverage": "M", "robustness": "M", "input_diversity": "H"}


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Claims 2026", "ai_system": "Claims triage"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M, notes="baseline")
    return a.id


def _open(window, qtbot, aid: int) -> None:  # type: ignore[no-untyped-def]
    window.open_assessment(aid)
    qtbot.waitUntil(lambda: window.current is not None and window.current.id == aid)


def test_finalize_locks_then_next_cycle_and_compare(make_window, qtbot, modal, ctx, aid) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    _open(window, qtbot, aid)
    actions = window.assessment_actions
    assert actions.finalize.isEnabled() and not actions.reopen.isEnabled()

    def sign(dialog) -> None:  # type: ignore[no-untyped-def]
        # Four eyes: "tester" (the default approver) made the last change, so Ann approves.
        dialog.signer.setText("Ann Lee")
        qtbot.keyClicks(dialog.role, "Chief Risk Officer")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    modal(actions.finalize.trigger, sign)
    qtbot.waitUntil(lambda: window.current.status is Status.FINALIZED)
    assert "(read-only: finalized)" in window.windowTitle()
    assert actions.reopen.isEnabled() and not actions.finalize.isEnabled()
    assert LifecycleService(ctx).verify(aid).matches
    with pytest.raises(AssessmentLocked):
        AnswerService(ctx).record(aid, "GOVERN 1.1", notes="after sign-off")

    def name_it(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.name.setText("Claims 2027")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    modal(actions.next_cycle.trigger, name_it)
    qtbot.waitUntil(lambda: window.current is not None and window.current.name == "Claims 2027")
    new_id = window.current.id
    assert AssessmentService(ctx).answers(new_id)["GOVERN 1.1"].carried_over

    actions.compare_previous.trigger()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.progress)
    compare = window.progress.compare
    qtbot.waitUntil(
        lambda: compare.isVisible() and window.progress.views.currentWidget() is compare
    )
    assert window.assessment_actions.portfolio.isChecked()


def test_portfolio_from_the_view_menu(make_window, qtbot, ctx, aid) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    with qtbot.waitSignal(window.progress.portfolio.loaded, timeout=10_000):
        window.assessment_actions.portfolio.trigger()
    assert window.stack.currentWidget() is window.progress
    systems = [r.ai_system for r in window.progress.portfolio.model.rows()]
    assert systems == ["Claims triage"]
    window.progress.show_trend("Claims triage")
    assert window.progress.back_button.isEnabled()
    window.progress.back()
    assert window.progress.views.currentWidget() is window.progress.portfolio


def test_restore_from_backup_menu(make_window, qtbot, modal, ctx, aid) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    BackupService(ctx).create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="a mistake to undo")

    def choose(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.list.topLevelItemCount() >= 1
        dialog.confirm = False
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    modal(window.assessment_actions.restore.trigger, choose)
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):  # restored, then reloaded
        window.background.wait()
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").notes == "baseline"
    kinds = {b.kind for b in BackupService(ctx).list()}
    assert "before-restore" in kinds


def test_trend_of_an_open_copy_lists_the_copies(make_window, qtbot, ctx, aid) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: copies are not cycles, but the trend opened from a copy must show it."""
    copy = AssessmentService(ctx).duplicate(aid)
    window = make_window(reopen_last=False)
    _open(window, qtbot, copy.id)
    window.assessment_actions.trend.trigger()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.progress)
    trend = window.progress.trend
    qtbot.waitUntil(lambda: trend.model.rowCount() == 2)
    assert trend.include_copies.isChecked()
    assert [p.assessment.id for p in trend.model.points()] == [aid, copy.id]
