"""Sign-off, reopening and next-cycle dialogs, driven through their widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.domain.assessment import Status
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import ASSESSMENT_EVENT, LifecycleService
from app.ui.dialogs.finalize import FinalizeDialog, finalize_dialog
from app.ui.dialogs.next_cycle import next_cycle_dialog
from app.ui.dialogs.reopen import ReopenDialog, reopen_dialog
from app.ui.history.history_model import Column
from app.ui.history.history_view import HistoryView

pytestmark = pytest.mark.gui
M = {"coverage": "M", "robustness": "H", "input_diversity": "M"}
CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "2026 review", "ai_system": "Claims triage"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M, notes="baseline")
    AnswerService(ctx).record(a.id, "MAP 1.1", not_applicable=True, na_rationale="Not deployed")
    return a.id


def test_finalize_then_reopen_through_the_dialogs(ctx, aid, qtbot, modal, background) -> None:  # type: ignore[no-untyped-def]
    life = LifecycleService(ctx)

    def sign(dialog: FinalizeDialog) -> None:
        assert "locks this assessment read-only" in dialog.explain.text()
        assert "fingerprint" in dialog.explain.text()
        assert "70 are still unanswered" in dialog.state.text()
        assert dialog.signer.text() == "tester"
        qtbot.mouseClick(dialog.ok_button, CLICK)  # no role yet
        assert dialog.isVisible() and dialog.error.isVisible()
        assert "role" in dialog.error.text()
        assert life.verify(aid).finalized is False  # nothing written
        dialog.signer.clear()
        qtbot.keyClicks(dialog.signer, "Ann Lee")
        qtbot.keyClicks(dialog.role, "Chief Risk Officer")
        qtbot.keyClicks(dialog.statement, "Reviewed with the board")
        assert not dialog.error.isVisible()
        qtbot.mouseClick(dialog.ok_button, CLICK)

    assert modal(lambda: finalize_dialog(None, ctx, aid), sign) is True
    signed = AssessmentService(ctx).get(aid)
    assert signed.status is Status.FINALIZED
    assert (signed.finalized_by, signed.finalized_role) == ("Ann Lee", "Chief Risk Officer")
    assert signed.finalized_statement == "Reviewed with the board"
    assert life.verify(aid).matches

    def refuse_then_reopen(dialog: ReopenDialog) -> None:
        text = dialog.warning.text()
        assert "Ann Lee (Chief Risk Officer)" in text
        assert "clears this sign-off" in text and "recorded" in text and "history" in text
        assert dialog.cancel_button.isDefault()
        qtbot.mouseClick(dialog.ok_button, CLICK)  # no reason
        assert dialog.isVisible() and dialog.error.isVisible()
        assert "reason" in dialog.error.text()
        assert AssessmentService(ctx).get(aid).status is Status.FINALIZED
        qtbot.keyClicks(dialog.reason, "   ")
        qtbot.mouseClick(dialog.ok_button, CLICK)  # blanks only
        assert dialog.isVisible() and dialog.error.isVisible()
        qtbot.keyClicks(dialog.reason, "Auditor asked for MAP evidence")
        qtbot.mouseClick(dialog.ok_button, CLICK)

    assert modal(lambda: reopen_dialog(None, ctx, aid), refuse_then_reopen) is True
    reopened = AssessmentService(ctx).get(aid)
    assert reopened.status is Status.DRAFT and not reopened.fingerprint

    view = HistoryView(ctx, background)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.load(aid, None)
    model = view.model
    events = [
        (model.index(r, Column.SUBCATEGORY).data(), model.index(r, Column.NEW).data())
        for r in range(model.rowCount())
        if model.entries()[r].subcategory_id == ASSESSMENT_EVENT
    ]
    assert events == [
        ("Whole assessment", "finalized by Ann Lee (Chief Risk Officer)"),
        ("Whole assessment", "reopened: Auditor asked for MAP evidence"),
    ]


def test_finalize_cancel_changes_nothing(ctx, aid, qtbot, modal) -> None:  # type: ignore[no-untyped-def]
    def cancel(dialog: FinalizeDialog) -> None:
        qtbot.keyClicks(dialog.role, "CRO")
        qtbot.mouseClick(dialog.cancel_button, CLICK)

    assert modal(lambda: finalize_dialog(None, ctx, aid), cancel) is False
    assert AssessmentService(ctx).get(aid).status is Status.DRAFT


def test_dialogs_refuse_what_cannot_be_done(ctx, aid, qtbot) -> None:  # type: ignore[no-untyped-def]
    draft = ReopenDialog(ctx, aid)
    qtbot.addWidget(draft)
    assert not draft.ok_button.isEnabled() and "not finalized" in draft.error.text()
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    again = FinalizeDialog(ctx, aid)
    qtbot.addWidget(again)
    assert not again.ok_button.isEnabled() and "already finalized" in again.error.text()
    missing = FinalizeDialog(ctx, 9999)
    qtbot.addWidget(missing)
    assert not missing.ok_button.isEnabled() and "9999" in missing.error.text()


def test_next_cycle_dialog_carries_answers_over(ctx, aid, qtbot, modal) -> None:  # type: ignore[no-untyped-def]
    def name_it(dialog) -> None:  # type: ignore[no-untyped-def]
        assert dialog.name.text() == f"Claims triage {dt.date.today().isoformat()}"
        assert "not yet reviewed" in dialog.explain.text()
        # Issue 11: the source is a draft: the dialog warns before anything is created.
        assert dialog.draft_warning.isVisible() and "never finalized" in dialog.draft_warning.text()
        assert dialog.ok_button.text().replace("&", "") == "Start from the draft"
        dialog.name.selectAll()
        qtbot.keyClick(dialog.name, Qt.Key.Key_Delete)
        qtbot.mouseClick(dialog.ok_button, CLICK)
        assert dialog.isVisible() and "name" in dialog.error.text()
        qtbot.keyClicks(dialog.name, "2027 review")
        qtbot.mouseClick(dialog.ok_button, CLICK)

    new_id = modal(lambda: next_cycle_dialog(None, ctx, aid), name_it)
    assert isinstance(new_id, int) and new_id != aid
    created = AssessmentService(ctx).get(new_id)
    assert created.name == "2027 review" and created.previous_id == aid
    assert created.ai_system == "Claims triage" and created.status is Status.DRAFT
    answers = AssessmentService(ctx).answers(new_id)
    assert answers["GOVERN 1.1"].carried_over and answers["GOVERN 1.1"].notes == "baseline"
    assert answers["MAP 1.1"].carried_over and answers["MAP 1.1"].not_applicable
    assert [a.id for a in LifecycleService(ctx).series("Claims triage")] == [aid, new_id]


def test_next_cycle_from_a_finalized_cycle_has_no_warning(ctx, aid, qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dialogs.next_cycle import NextCycleDialog

    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    dialog = NextCycleDialog(ctx, aid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.draft_warning.isVisible()
    assert dialog.ok_button.text().replace("&", "") == "Start next cycle"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, CLICK)
    assert dialog.created is not None and dialog.created.previous_id == aid


def test_next_cycle_cancel_creates_nothing(ctx, aid, qtbot, modal) -> None:  # type: ignore[no-untyped-def]
    def cancel(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert modal(lambda: next_cycle_dialog(None, ctx, aid), cancel) is None
    assert len(AssessmentService(ctx).list()) == 1


def test_finalize_dialog_names_answers_not_yet_reviewed(ctx, aid, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: signing off a new cycle whose carried answers nobody reviewed is said aloud."""
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    new_id = LifecycleService(ctx).start_next_cycle(aid, "2027 review").id
    dialog = FinalizeDialog(ctx, new_id)
    qtbot.addWidget(dialog)
    assert "2 carried-over answers are not yet reviewed" in dialog.state.text()
    LifecycleService(ctx).mark_reviewed(new_id, ["GOVERN 1.1", "MAP 1.1"])
    again = FinalizeDialog(ctx, new_id)
    qtbot.addWidget(again)
    assert "not yet reviewed" not in again.state.text()
