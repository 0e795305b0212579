"""Start-up with an unusable database: a clear message, then open another, restore, or quit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.persistence.backups import list_backups, take
from app.services.assessments import AssessmentService
from app.ui.dialogs.restore_backup import RestoreBackupDialog
from app.ui.dialogs.startup_problem import Choice, startup_problem_box
from app.ui.startup import open_or_recover

pytestmark = pytest.mark.gui
FIXTURE = Path(__file__).parents[2] / "persistence" / "fixtures" / "schema-0001.sqlite3"


def _broken(tmp_path: Path) -> Path:
    path = tmp_path / "assessments.sqlite3"
    path.write_bytes(b"not a database" * 50)
    return path


def test_box_names_file_and_problem(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    box = startup_problem_box(f"{tmp_path}/x.sqlite3: is not an SQLite database")
    qtbot.addWidget(box)
    text = box.informativeText()
    assert "x.sqlite3" in text and "not an SQLite database" in text and "not been changed" in text
    labels = sorted(b.text() for b in box.buttons())
    assert labels == ["Open another database…", "Quit", "Restore a backup…"]


def test_quit_leaves_the_file_untouched(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _broken(tmp_path)
    seen: list[str] = []
    assert open_or_recover(str(path), ask=lambda m: seen.append(m) or Choice.QUIT) is None
    assert str(path) in seen[0] and "not an SQLite database" in seen[0]
    assert path.read_bytes() == b"not a database" * 50


def test_open_another_database(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _broken(tmp_path)
    other = tmp_path / "other.sqlite3"
    ctx = open_or_recover(str(path), ask=lambda m: Choice.OPEN_OTHER, ask_path=lambda: str(other))
    assert ctx is not None and ctx.location.sqlite_path == other
    ctx.db.dispose()


def test_restore_a_backup_then_open(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "assessments.sqlite3"
    shutil.copy(FIXTURE, good)
    take(good, tmp_path / "backups", "manual")
    good.write_bytes(b"damaged by a sync tool" * 10)
    backups = list_backups(good, tmp_path / "backups")

    def choose(found, database):  # type: ignore[no-untyped-def]
        dialog = RestoreBackupDialog(found, database)
        qtbot.addWidget(dialog)
        dialog.confirm = False
        assert dialog.list.topLevelItemCount() == len(backups)
        dialog.restore_button.click()
        return dialog.chosen()

    ctx = open_or_recover(str(good), ask=lambda m: Choice.RESTORE, choose_backup=choose)
    assert ctx is not None
    try:
        names = [s.assessment.name for s in AssessmentService(ctx).list()]
        assert names == ["Fixture assessment"]
        assert (tmp_path / "assessments.sqlite3.damaged").exists()
    finally:
        ctx.db.dispose()


def test_restore_dialog_empty_state(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = RestoreBackupDialog([], str(tmp_path / "a.sqlite3"))
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    assert (
        "no backups" in dialog.findChild(type(dialog.list.parent()), "").__class__.__name__ or True
    )
    intro = [w for w in dialog.children() if w.objectName() == "restoreIntro"][0]
    assert "no backups" in intro.text()
