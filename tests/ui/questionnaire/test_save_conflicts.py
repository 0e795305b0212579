"""The window's saves state the version of the answer they were made on (issue 13): another
writer's change to the same field is a conflict the user decides in a dialog (keep mine, or
use the stored answer); a change to another field merges and is shown. On every engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt

from app.services.answers import AnswerService
from app.services.bootstrap import open_services
from app.ui.dialogs.save_conflict import SaveConflictDialog

pytestmark = pytest.mark.gui

SUB = "GOVERN 1.1"


@pytest.fixture
def ctx(store_url: str, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The page's services on each engine (overrides the SQLite-only fixture)."""
    context = open_services(store_url, catalog=catalog)
    context.actor = "tester"
    yield context
    context.db.dispose()


def _other_writer(ctx, aid: int, **changes: object) -> None:  # type: ignore[no-untyped-def]
    """Another member saves, based on the answer as it is stored now."""
    other = AnswerService(ctx)
    other.record(aid, SUB, base_version=other.versions(aid).get(SUB, 0), **changes)


def _type_notes(qtbot, page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.editor.notes.selectAll()
    qtbot.keyClicks(page.editor.notes, text)


def _dialog(qtbot, page) -> SaveConflictDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: bool(_open_dialogs(page)), timeout=10_000)
    (dialog,) = _open_dialogs(page)
    return dialog


def _open_dialogs(page) -> list[SaveConflictDialog]:  # type: ignore[no-untyped-def]
    return [d for d in page.findChildren(SaveConflictDialog) if d.isVisible()]


def _shown(dialog: SaveConflictDialog, name: str) -> str:
    widget = dialog.findChild(object, name)
    assert widget is not None, name
    return widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()


def test_keep_mine_saves_my_value_over_theirs(qtbot, ctx, make_page, settle, create) -> None:  # type: ignore[no-untyped-def]
    aid = create()
    page = make_page(aid)
    _other_writer(ctx, aid, notes="Their notes", owner="Sam")
    _type_notes(qtbot, page, "My notes")
    settle(page)
    stored = AnswerService(ctx).get(aid, SUB)
    assert stored.notes == "Their notes"  # nothing written over theirs
    dialog = _dialog(qtbot, page)
    assert _shown(dialog, "conflict_notes_stored") == "Their notes"
    assert _shown(dialog, "conflict_notes_yours") == "My notes"
    assert dialog.findChild(object, "conflict_owner_stored") is None  # only the clash
    assert page.editor.notes.toPlainText() == "My notes"  # the input is not lost
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    settle(page)
    stored = AnswerService(ctx).get(aid, SUB)
    assert (stored.notes, stored.owner) == ("My notes", "Sam")
    assert page.editor.owner.text() == "Sam"  # their change of another field is shown
    assert not page.editor.error_banner.isVisible()
    assert not _open_dialogs(page)
    assert AnswerService(ctx).check_history(aid).ok


def test_take_theirs_shows_the_stored_answer(qtbot, ctx, make_page, settle, create) -> None:  # type: ignore[no-untyped-def]
    aid = create()
    page = make_page(aid)
    _other_writer(ctx, aid, notes="Their notes")
    _type_notes(qtbot, page, "My notes")
    settle(page)
    dialog = _dialog(qtbot, page)
    history = len(AnswerService(ctx).history(aid))
    qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
    settle(page)
    assert page.editor.notes.toPlainText() == "Their notes"
    assert AnswerService(ctx).get(aid, SUB).notes == "Their notes"
    assert len(AnswerService(ctx).history(aid)) == history  # nothing of mine written
    assert not page.editor.error_banner.isVisible()
    # The window is based on the stored version now: my next edit saves without a conflict.
    _type_notes(qtbot, page, "Agreed notes")
    settle(page)
    assert AnswerService(ctx).get(aid, SUB).notes == "Agreed notes"
    assert not _open_dialogs(page)


def test_closing_the_dialog_keeps_my_input_and_retry_asks_again(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create()
    page = make_page(aid)
    _other_writer(ctx, aid, notes="Their notes")
    _type_notes(qtbot, page, "My notes")
    settle(page)
    _dialog(qtbot, page).reject()  # Esc / the title bar's close button
    qtbot.waitUntil(lambda: not _open_dialogs(page))
    assert page.editor.notes.toPlainText() == "My notes"
    assert page.editor.error_banner.isVisible()
    assert "someone else changed notes" in page.editor.error_banner.text()
    qtbot.mouseClick(page.editor.retry_button, Qt.MouseButton.LeftButton)
    settle(page)
    assert AnswerService(ctx).get(aid, SUB).notes == "Their notes"  # still not overwritten
    qtbot.mouseClick(_dialog(qtbot, page).keep_button, Qt.MouseButton.LeftButton)
    settle(page)
    assert AnswerService(ctx).get(aid, SUB).notes == "My notes"


def test_their_change_of_another_field_merges_and_is_shown(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create()
    page = make_page(aid)
    _type_notes(qtbot, page, "First")
    settle(page)
    _other_writer(ctx, aid, owner="Sam")
    _type_notes(qtbot, page, "Second")
    settle(page)
    assert not _open_dialogs(page)
    stored = AnswerService(ctx).get(aid, SUB)
    assert (stored.notes, stored.owner) == ("Second", "Sam")
    assert page.editor.owner.text() == "Sam"
    # Their owner is shown, so my next owner edit is based on it: no conflict, no overwrite
    # of a value I never saw.
    page.editor.owner.selectAll()
    qtbot.keyClicks(page.editor.owner, "Kim")
    settle(page)
    assert not _open_dialogs(page)
    assert AnswerService(ctx).get(aid, SUB).owner == "Kim"
    # Many saves of my own in a row are never a conflict with myself.
    for text in ("a", "b", "c"):
        _type_notes(qtbot, page, text)
        page.flush()
    settle(page)
    assert not _open_dialogs(page)
    assert AnswerService(ctx).get(aid, SUB).notes == "c"


def test_text_being_typed_is_never_replaced_by_a_merged_change(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    """Their notes arrive with the save of another field while I am typing notes: my text
    stays in the form and its save is a conflict (both shown), never silently theirs or mine."""
    aid = create()
    page = make_page(aid)
    _other_writer(ctx, aid, notes="Their notes")
    _type_notes(qtbot, page, "My unsaved notes")  # not yet saved (the typing pause runs)
    box = page.editor.flagged
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    settle(page)
    assert page.editor.notes.toPlainText() == "My unsaved notes"
    stored = AnswerService(ctx).get(aid, SUB)
    assert stored.notes == "Their notes" and stored.flagged  # the flag merged
    dialog = _dialog(qtbot, page)
    assert _shown(dialog, "conflict_notes_yours") == "My unsaved notes"
    assert _shown(dialog, "conflict_notes_stored") == "Their notes"
