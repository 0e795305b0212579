"""Deleting from the home list: what others rely on needs its name typed, and every
confirmation says which evidence files go."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import NotFound
from app.services.lifecycle import LifecycleService

pytestmark = pytest.mark.gui


@pytest.fixture
def finalized(ctx, tmp_path) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Loan scorer 2025"})
    evidence = tmp_path / "model-card.pdf"
    evidence.write_bytes(b"confidential")
    AnswerService(ctx).attach_file(a.id, "GOVERN 1.1", evidence)
    LifecycleService(ctx).finalize(a.id, "Ana Diaz", "Risk lead")
    return a.id


def _daily_backup_taken(qtbot, window):  # type: ignore[no-untyped-def]
    folder = window.ctx.location.backup_dir
    qtbot.waitUntil(lambda: folder.is_dir() and any(folder.glob("*-daily-*.sqlite3")))
    window.background.wait()  # and the clean-up after it
    return folder


def _no_backups(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Wait for the start-up daily backup, then remove it (a backup keeps the files it cites;
    that case has its own test)."""
    folder = _daily_backup_taken(qtbot, window)
    for path in folder.iterdir():
        path.unlink()


def test_files_a_backup_cites_are_named_as_kept(qtbot, ctx, make_window, ui, finalized) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    _daily_backup_taken(qtbot, window)
    dialog = _open_delete(qtbot, window, ui, finalized)
    assert "Kept because a backup cites them (removed once none does): model-card.pdf" in (
        dialog.text()
    )
    dialog.reject()


def _open_delete(qtbot, window, ui, aid):  # type: ignore[no-untyped-def]
    ui.home_loaded(window)
    home = window.home
    home.select(aid)
    home.delete_action.trigger()
    qtbot.waitUntil(lambda: home.delete_box is not None and home.delete_box.isVisible())
    return home.delete_box


def test_finalized_needs_the_typed_name(qtbot, ctx, make_window, ui, finalized) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    _no_backups(qtbot, window)
    dialog = _open_delete(qtbot, window, ui, finalized)
    assert dialog.objectName() == "confirmDeleteNameDialog"
    text = dialog.text()
    assert "finalized (signed off by Ana Diaz)" in text
    assert "model-card.pdf" in text and "removed from the store" in text
    delete = dialog.findChild(object, "confirmDeleteButton")
    edit = dialog.findChild(object, "confirmNameEdit")
    assert not delete.isEnabled()
    qtbot.keyClicks(edit, "Loan scorer")
    assert not delete.isEnabled()  # a prefix is not the name
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter neither deletes nor cancels yet
    assert dialog.isVisible()
    assert AssessmentService(ctx).get(finalized).name == "Loan scorer 2025"
    qtbot.keyClicks(edit, " 2025")
    assert delete.isEnabled()
    store = ctx.evidence
    assert len(list(store.stored())) == 1
    with qtbot.waitSignal(window.home.loaded):
        qtbot.keyClick(edit, Qt.Key.Key_Return)  # the typed name confirms
    with pytest.raises(NotFound):
        AssessmentService(ctx).get(finalized)
    assert list(store.stored()) == []


def test_cancel_keeps_it(qtbot, ctx, make_window, ui, finalized) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    dialog = _open_delete(qtbot, window, ui, finalized)
    dialog.findChild(object, "cancelDeleteButton").click()
    qtbot.waitUntil(lambda: window.home.delete_box is None)
    assert AssessmentService(ctx).get(finalized).status.value == "finalized"


def test_a_draft_takes_one_confirmation_that_names_its_files(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_window, ui, tmp_path
) -> None:
    a = AssessmentService(ctx).create({"name": "Draft"})
    evidence = tmp_path / "notes.txt"
    evidence.write_text("n")
    AnswerService(ctx).attach_file(a.id, "GOVERN 1.1", evidence)
    window = make_window(reopen_last=False)
    _no_backups(qtbot, window)
    box = _open_delete(qtbot, window, ui, a.id)
    assert box.objectName() == "confirmDeleteBox"
    assert "notes.txt" in box.text() and "removed from the store" in box.text()
    with qtbot.waitSignal(window.home.loaded):
        box.findChild(object, "confirmDeleteButton").click()
    assert list(ctx.evidence.stored()) == []


def test_first_start_of_the_day_removes_files_nothing_cites(
    qtbot, ctx, make_window, finalized
) -> None:  # type: ignore[no-untyped-def]
    """E.g. an item removed in the questionnaire (undoable until then) or a crash's orphan."""
    orphan, _ = ctx.evidence.add_bytes(b"no answer cites this any more")
    cited = {sha for sha, _ in ctx.evidence.stored()} - {orphan}
    window = make_window(reopen_last=False)
    qtbot.waitUntil(lambda: {sha for sha, _ in ctx.evidence.stored()} == cited)
    window.background.wait()
