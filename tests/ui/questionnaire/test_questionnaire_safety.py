"""No lost work: failed saves keep the input, undo/redo re-record, finalized means read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from app.services.answers import AnswerService
from app.services.errors import StorageError
from app.services.lifecycle import LifecycleService

pytestmark = pytest.mark.gui

HIGH = {"coverage": "H", "robustness": "H", "input_diversity": "H"}


def tick(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_a_failed_save_keeps_the_input_and_retry_saves_it(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, monkeypatch
):
    aid = create()
    page = make_page(aid)
    real_record = AnswerService.record

    def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise StorageError("the database is locked by another program")

    monkeypatch.setattr(AnswerService, "record", broken)
    failures: list[str] = []
    page.save_failed.connect(failures.append)
    qtbot.keyClicks(page.editor.notes, "Draft from the workshop")
    tick(qtbot, page.editor.flagged)
    qtbot.waitUntil(lambda: len(failures) >= 2, timeout=5000)
    settle(page)
    assert "database is locked" in failures[0]
    banner = page.editor.error_banner
    assert banner.isVisible() and "database is locked" in banner.text()
    # The form still shows what the user typed and chose.
    assert page.editor.notes.toPlainText() == "Draft from the workshop"
    assert page.editor.flagged.isChecked()
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1")
    assert stored.notes == "" and not stored.flagged

    # Saving works again: Retry saves what the form holds.
    monkeypatch.setattr(AnswerService, "record", real_record)
    saved: list[object] = []
    page.saved.connect(saved.append)
    qtbot.mouseClick(page.editor.retry_button, Qt.MouseButton.LeftButton)
    settle(page)
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1")
    assert stored.notes == "Draft from the workshop" and stored.flagged
    assert saved
    assert not banner.isVisible()


def test_typed_notes_are_saved_on_flush_and_when_moving_on(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, background, create
):
    aid = create()
    page = make_page(aid)
    answers = AnswerService(ctx)
    qtbot.keyClicks(page.editor.notes, "typed just before closing")
    page.flush()  # what the shell calls when the window closes
    background.wait()
    assert answers.get(aid, "GOVERN 1.1").notes == "typed just before closing"

    qtbot.keyClicks(page.editor.owner, "Legal team")
    page.show_subcategory("GOVERN 1.2")  # moving on saves without waiting for the pause
    background.wait()
    assert answers.get(aid, "GOVERN 1.1").owner == "Legal team"


def test_undo_and_redo_re_record_through_the_service(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create()
    page = make_page(aid)
    answers = AnswerService(ctx)
    stack = page.undo_stack()
    for position in (3, 6, 9):
        page.editor.rating.choose(position)
    settle(page)
    assert answers.get(aid, "GOVERN 1.1").metrics == HIGH
    page.editor.rationale.setPlainText("Out of scope for this system")
    settle(page)
    page.actions.not_applicable.trigger()
    settle(page)
    assert answers.get(aid, "GOVERN 1.1").not_applicable
    assert page.editor.na.isChecked()

    stack.undo()  # not applicable -> the rating comes back
    settle(page)
    stored = answers.get(aid, "GOVERN 1.1")
    assert not stored.not_applicable and stored.metrics == HIGH
    assert not page.editor.na.isChecked()
    assert page.findChild(type(page.editor.na).__base__, "rating_coverage_H").isChecked()

    # Undo from another subcategory goes back to where the change was made.
    page.show_subcategory("MAP 1.1")
    stack.undo()  # the rationale
    stack.undo()  # the rating
    settle(page)
    assert page.current_subcategory() == "GOVERN 1.1"
    stored = answers.get(aid, "GOVERN 1.1")
    assert stored.metrics == {} and stored.na_rationale == ""
    assert page.editor.rationale.toPlainText() == ""
    assert not page.findChild(type(page.editor.na).__base__, "rating_coverage_H").isChecked()

    stack.redo()
    stack.redo()
    settle(page)
    stored = answers.get(aid, "GOVERN 1.1")
    assert stored.metrics == HIGH and stored.na_rationale == "Out of scope for this system"
    assert "Score 5" in page.editor.rating.result.text()


def test_emptying_the_rationale_of_a_not_applicable_answer_is_refused(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", not_applicable=True, na_rationale="No users")
    page = make_page(aid)
    page.editor.rationale.selectAll()
    qtbot.keyClick(page.editor.rationale, Qt.Key.Key_Delete)
    settle(page)
    assert page.editor.na_error.isVisible()
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").na_rationale == "No users"


def test_a_finalized_assessment_is_read_only(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, background
):
    aid = create(name="<b>Q2</b> & co")
    answers = AnswerService(ctx)
    answers.record(aid, "GOVERN 1.1", metrics=HIGH, notes="Signed policy")
    LifecycleService(ctx).finalize(aid, "Ada Lovelace", "CISO")
    history_before = answers.history(aid)
    page = make_page(aid)
    editor = page.editor

    banner = page.read_only_banner
    assert banner.isVisible()
    assert "Read-only" in banner.text() and "Ada Lovelace" in banner.text()
    assert "&lt;b&gt;Q2&lt;/b&gt; &amp; co" in banner.text()  # user text is escaped
    assert not editor.rating_box.isEnabled()
    assert not editor.na.isEnabled()
    assert editor.notes.isReadOnly() and editor.owner.isReadOnly()
    assert not editor.evidence.add_link_button.isEnabled()
    assert not editor.evidence.attach_button.isEnabled()
    assert not editor.flagged.isEnabled()
    assert page.actions.ratings[0].isEnabled()  # to say why it changes nothing
    assert page.actions.next.isEnabled()  # reading and moving around still work

    # Attempts to edit: nothing is written.
    qtbot.mouseClick(
        page.findChild(type(editor.na).__base__, "rating_coverage_L"), Qt.MouseButton.LeftButton
    )
    qtbot.keyClicks(editor.notes, "more")
    page.actions.ratings[0].trigger()
    page.controller.change({"flagged": True})
    page.controller.set_not_applicable(True)
    page.show_subcategory("GOVERN 1.2")
    settle(page)
    background.wait()
    assert editor.notes.toPlainText() == ""  # GOVERN 1.2 now; GOVERN 1.1 unchanged:
    assert answers.get(aid, "GOVERN 1.1").notes == "Signed policy"
    assert answers.history(aid) == history_before
    assert LifecycleService(ctx).verify(aid).matches
    assert page.undo_stack().count() == 0


def test_an_assessment_that_cannot_be_opened_says_so(  # type: ignore[no-untyped-def]
    qtbot, make_page
):
    page = make_page()
    assert "No assessment is open" in page.placeholder.text()
    assert not page.actions.next.isEnabled()
    page.load(999)
    qtbot.waitUntil(lambda: "cannot be opened" in page.placeholder.text())
    assert "no assessment with id 999" in page.placeholder.text()
    assert page.current_subcategory() is None
    assert page.centre_stack.currentIndex() == 0


def test_leaving_a_partial_rating_says_it_was_not_saved(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create()
    page = make_page(aid)
    page.editor.rating.choose(2)  # coverage only
    page.actions.next.trigger()
    settle(page)
    assert "GOVERN 1.1: rating not saved" in page.status_label.text()
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").metrics == {}


def test_every_control_is_reachable_with_tab_and_named(  # type: ignore[no-untyped-def]
    qtbot, make_page, create
):
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    aid = create()
    page = make_page(aid)
    page.navigator.filter_combo.setFocus()
    seen = []
    widget = page.navigator.filter_combo
    for _ in range(200):
        seen.append(widget)
        widget = widget.nextInFocusChain()
        while not (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and page.isAncestorOf(widget)
        ):
            widget = widget.nextInFocusChain()
        if widget is page.navigator.filter_combo:
            break
    names = {w.objectName() for w in seen}
    for expected in (
        "navigatorFilter",
        "navigatorSearch",
        "navigatorTree",
        "nextButton",
        "rating_coverage_L",
        "notApplicable",
        "naRationale",
        "notes",
        "evidenceStatus",
        "evidenceUrl",
        "evidenceAddLink",
        "evidenceAttach",
        "target",
        "owner",
        "dueDate",
        "flagged",
    ):
        assert expected in names, expected
    # Reading order: the rating comes before "Not applicable", notes before evidence.
    order = [w.objectName() for w in seen]
    assert order.index("rating_coverage_L") < order.index("notApplicable") < order.index("notes")
    assert order.index("notes") < order.index("evidenceStatus") < order.index("target")
    for w in seen:
        label = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if isinstance(w, QLineEdit) and not label:
            label = w.placeholderText()
        assert label, f"{w.objectName() or w} has no accessible name"
