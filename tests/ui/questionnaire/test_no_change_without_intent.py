"""No answer changes without the user's intent (issue 11 section 1): keyboard rating, dates,
undo of a carried-over answer, and saves that send only the fields the user changed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.services.answers import AnswerService
from app.services.bootstrap import open_services
from app.services.lifecycle import LifecycleService

pytestmark = pytest.mark.gui

HML = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def tab_to(qtbot, start: QWidget, steps: int, backwards: bool = False) -> QWidget:  # type: ignore[no-untyped-def]
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    for _ in range(steps):
        qtbot.keyClick(focused(), key)
    return focused()


# -- keyboard rating ---------------------------------------------------------------------------
def test_tab_lands_on_the_checked_option_and_space_keeps_the_rating(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=HML)
    page = make_page(aid)
    editor = page.editor
    before = AnswerService(ctx).history(aid)

    # Tab through the rating rows: each row's checked option, in order, then on.
    # (The row after the rating: "What does this mean?", then Clear rating.)
    widget = tab_to(qtbot, editor.scoring_help, 3, backwards=True)
    row_names = []
    for _ in range(3):
        row_names.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = focused()
    assert row_names == ["rating_coverage_H", "rating_robustness_M", "rating_input_diversity_L"]
    assert widget is editor.scoring_help

    # Shift+Tab back into the rows also lands on the checked options.
    back = tab_to(qtbot, editor.scoring_help, 1, backwards=True)
    assert back.objectName() == "rating_input_diversity_L"

    # Space on the focused (checked) option changes nothing, stored or shown.
    for name in ("rating_coverage_H", "rating_robustness_M"):
        button = editor.rating.buttons[tuple(name.split("_", 2)[1:])]  # type: ignore[index]
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").metrics == HML
    assert AnswerService(ctx).history(aid) == before
    assert editor.rating.chosen() == HML

    # An arrow key is aimed: it moves within the row and rates the neighbour.
    editor.rating.buttons[("coverage", "H")].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(focused(), Qt.Key.Key_Left)
    settle(page)
    assert focused().objectName() == "rating_coverage_M"
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").metrics["coverage"] == "M"


def test_tab_into_a_direct_level_lands_on_the_checked_level(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    aid = create(scheme_id="direct")
    AnswerService(ctx).record(aid, "GOVERN 1.1", level=4)
    page = make_page(aid)
    editor = page.editor
    widget = tab_to(qtbot, editor.scoring_help, 1, backwards=True)
    assert widget.objectName() == "rating_level_4"
    qtbot.keyClick(widget, Qt.Key.Key_Space)
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").level == 4


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["2027-02-31", "1999-13-45", "2027-3-1", "31/03/2027"])
def test_an_invalid_due_date_is_shown_as_invalid_and_not_saved(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle, typed
) -> None:
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", due_date=dt.date(2027, 1, 15))
    before = AnswerService(ctx).history(aid)
    page = make_page(aid)
    due = page.editor.due
    due.edit.setFocus()
    due.edit.selectAll()
    qtbot.keyClicks(due.edit, typed)
    qtbot.keyClick(due.edit, Qt.Key.Key_Tab)  # finished: focus moves on
    settle(page)
    assert due.message.isVisible()
    assert "not a date" in due.message.text() and "Not saved" in due.message.text()
    assert due.edit.text() == typed  # the text stays as typed, to be corrected
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").due_date == dt.date(2027, 1, 15)
    assert AnswerService(ctx).history(aid) == before
    # Leaving the subcategory does not save it either.
    page.actions.next.trigger()
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").due_date == dt.date(2027, 1, 15)


def test_a_due_date_is_saved_once_when_complete_not_per_keystroke(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle, background
) -> None:
    aid = create()
    page = make_page(aid)
    due = page.editor.due
    due.edit.setFocus()
    # Typed slowly: the typing pause passes after every character (notes typed just before
    # keep the pause timer running).
    qtbot.keyClicks(page.editor.notes, "Due soon")
    due.edit.setFocus()
    for ch in "2027-02-28":
        qtbot.keyClicks(due.edit, ch)
        page.controller.typing_timer.timeout.emit()
    background.wait()  # (not ``settle``: that flushes as leaving the page does)
    qtbot.waitUntil(lambda: not page.controller.book.has_pending())
    assert [h.field for h in AnswerService(ctx).history(aid, "GOVERN 1.1")] == ["notes"]
    qtbot.keyClick(due.edit, Qt.Key.Key_Return)
    settle(page)
    history = AnswerService(ctx).history(aid, "GOVERN 1.1")
    assert [(h.field, h.new) for h in history][1:] == [("due_date", "2027-02-28")]
    assert not due.message.isVisible()
    # Correcting a refused date clears its message and saves the corrected one.
    due.edit.selectAll()
    qtbot.keyClicks(due.edit, "2027-02-30")
    qtbot.keyClick(due.edit, Qt.Key.Key_Return)
    assert due.message.isVisible()
    qtbot.keyClick(due.edit, Qt.Key.Key_Backspace)
    assert not due.message.isVisible()
    qtbot.keyClick(due.edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(due.edit, "21")
    qtbot.keyClick(due.edit, Qt.Key.Key_Return)
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").due_date == dt.date(2027, 2, 21)


def test_a_valid_due_date_left_by_a_shortcut_is_saved(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    aid = create()
    page = make_page(aid)
    due = page.editor.due
    due.edit.setFocus()
    qtbot.keyClicks(due.edit, "2027-06-30")
    page.actions.next.trigger()  # Ctrl+PgDown: no focus change, editing not "finished"
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").due_date == dt.date(2027, 6, 30)


def test_picking_a_due_date_on_the_calendar_saves_it(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    from PySide6.QtCore import QDate

    aid = create()
    page = make_page(aid)
    page.editor.due.calendar.clicked.emit(QDate(2027, 9, 1))
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").due_date == dt.date(2027, 9, 1)
    assert page.editor.due.edit.text() == "2027-09-01"


# -- undo --------------------------------------------------------------------------------------
def test_undo_of_a_change_to_a_carried_over_answer_restores_its_mark(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    first = create()
    answers = AnswerService(ctx)
    answers.record(first, "GOVERN 1.1", metrics=HML, target=4)
    second = LifecycleService(ctx).start_next_cycle(first, from_draft=True).id
    carried = answers.get(second, "GOVERN 1.1")
    assert carried.carried_over
    page = make_page(second)
    editor = page.editor
    assert editor.carried.isVisible()

    # An accidental change (a rating option clicked by mistake), then undo.
    editor.rating.buttons[("coverage", "L")].click()
    settle(page)
    assert not answers.get(second, "GOVERN 1.1").carried_over
    page.undo_stack().undo()
    settle(page)
    restored = answers.get(second, "GOVERN 1.1")
    assert restored.model_dump(exclude={"updated_at"}) == carried.model_dump(exclude={"updated_at"})
    assert editor.carried.isVisible()
    assert page.navigator.model.index_of("GOVERN 1.1").isValid()
    # Redo confirms it again, as the change did.
    page.undo_stack().redo()
    settle(page)
    assert not answers.get(second, "GOVERN 1.1").carried_over
    assert answers.get(second, "GOVERN 1.1").metrics["coverage"] == "L"


def test_undo_of_not_applicable_restores_the_rating_and_the_mark(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    first = create()
    answers = AnswerService(ctx)
    answers.record(first, "GOVERN 1.1", metrics=HML, na_rationale="kept from last year")
    second = LifecycleService(ctx).start_next_cycle(first, from_draft=True).id
    carried = answers.get(second, "GOVERN 1.1")
    page = make_page(second)
    page.actions.not_applicable.trigger()
    settle(page)
    assert answers.get(second, "GOVERN 1.1").not_applicable
    page.undo_stack().undo()
    settle(page)
    restored = answers.get(second, "GOVERN 1.1")
    assert restored.model_dump(exclude={"updated_at"}) == carried.model_dump(exclude={"updated_at"})


# -- field-level saves -------------------------------------------------------------------------
def test_a_save_sends_only_the_fields_the_user_changed(  # type: ignore[no-untyped-def]
    qtbot, ctx, db_path, catalog, make_page, create, settle
) -> None:
    """Another program (the CLI) writes while the form is open; the window's later edits of
    other fields keep what it wrote."""
    aid = create()
    page = make_page(aid)
    editor = page.editor
    cli = open_services(str(db_path), catalog=catalog)
    cli.actor = "cli"
    try:
        # The form shows GOVERN 1.1 unanswered; the CLI now writes owner, notes and due date.
        AnswerService(cli).record(
            aid,
            "GOVERN 1.1",
            owner="CLI owner",
            notes="CLI notes",
            due_date=dt.date(2027, 5, 1),
        )
        # The window edits the target (its save brings the CLI's values into the window's
        # copy of the answer, not into the form), then the rationale and the flag.
        editor.target.setFocus()
        qtbot.keyClick(editor.target, Qt.Key.Key_Down)
        settle(page)
        editor.rationale.setFocus()
        qtbot.keyClicks(editor.rationale, "draft")
        settle(page)
        editor.flagged.click()
        settle(page)
        page.controller.retry()  # "Retry" with nothing failed sends nothing either
        settle(page)
        # Leaving the subcategory flushes the typed fields: only the edited one is sent.
        page.actions.next.trigger()
        settle(page)
    finally:
        cli.db.dispose()
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1")
    assert stored.owner == "CLI owner"
    assert stored.notes == "CLI notes"
    assert stored.due_date == dt.date(2027, 5, 1)
    assert stored.na_rationale == "draft" and stored.flagged and stored.target is not None
    window_fields = {h.field for h in AnswerService(ctx).history(aid) if h.actor == "tester"}
    assert window_fields == {"target", "na_rationale", "flagged"}


def test_removing_evidence_keeps_items_another_program_added(  # type: ignore[no-untyped-def]
    qtbot, ctx, db_path, catalog, make_page, create, settle
) -> None:
    aid = create()
    AnswerService(ctx).add_link(aid, "GOVERN 1.1", "Policy", "https://example.org/policy")
    page = make_page(aid)
    evidence = page.editor.evidence
    assert evidence.model.rowCount() == 1
    other = open_services(str(db_path), catalog=catalog)
    try:
        AnswerService(other).add_link(aid, "GOVERN 1.1", "Ticket", "https://example.org/t/1")
    finally:
        other.db.dispose()
    evidence.list.setFocus()
    evidence.list.setCurrentIndex(evidence.model.index(0))
    qtbot.keyClick(evidence.list, Qt.Key.Key_Delete)
    settle(page)
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1").evidence
    assert [e.title for e in stored] == ["Ticket"]
    assert evidence.model.rowCount() == 1  # the form shows what is stored


def test_undo_of_evidence_added_to_a_carried_over_answer_restores_its_mark(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    first = create()
    AnswerService(ctx).record(first, "GOVERN 1.1", metrics=HML)
    second = LifecycleService(ctx).start_next_cycle(first, from_draft=True).id
    page = make_page(second)
    evidence = page.editor.evidence
    qtbot.keyClicks(evidence.url, "https://example.org/policy")
    qtbot.keyClick(evidence.url, Qt.Key.Key_Return)
    settle(page)
    assert not AnswerService(ctx).get(second, "GOVERN 1.1").carried_over
    page.undo_stack().undo()
    settle(page)
    restored = AnswerService(ctx).get(second, "GOVERN 1.1")
    assert restored.carried_over and restored.evidence == []
    assert page.editor.carried.isVisible()


def test_ticking_an_action_keeps_ticks_another_program_made(  # type: ignore[no-untyped-def]
    qtbot, ctx, db_path, catalog, make_page, create, settle
) -> None:
    aid = create()
    page = make_page(aid)
    other = open_services(str(db_path), catalog=catalog)
    try:
        AnswerService(other).record(aid, "GOVERN 1.1", actions_in_place=[2])
    finally:
        other.db.dispose()
    actions = page.guidance.actions
    page.guidance.setCurrentIndex(1)
    actions.setFocus()
    actions.setCurrentRow(0)
    qtbot.keyClick(actions, Qt.Key.Key_Space)
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").actions_in_place == [0, 2]
    assert page.guidance.in_place() == [0, 2]  # the form shows what is stored
    page.undo_stack().undo()
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").actions_in_place == [2]
