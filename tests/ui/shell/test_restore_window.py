"""File > Restore from backup: a restore is undone from the window, and a backup this version
cannot open is refused with the database unchanged."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.assessments import AssessmentService
from app.services.backups import BackupService
from app.ui.dialogs.restore_backup import UNDO_KIND

pytestmark = pytest.mark.gui


def _restore_first(window, qtbot, modal, expect_kind: str | None = None) -> None:  # type: ignore[no-untyped-def]
    def choose(dialog) -> None:  # type: ignore[no-untyped-def]
        if expect_kind is not None:
            assert dialog.list.topLevelItem(0).text(1) == expect_kind
        dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
        dialog.confirm = False
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    modal(window.assessment_actions.restore.trigger, choose)
    window.background.wait()


def _names(ctx) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(s.assessment.name for s in AssessmentService(ctx).list())


def test_restore_then_undo_from_the_window(make_window, qtbot, modal, ctx) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "Kept"})
    window = make_window(reopen_last=False)
    window.background.wait()
    for b in BackupService(ctx).list():
        b.path.unlink()  # only the backup made below
    BackupService(ctx).create()
    AssessmentService(ctx).create({"name": "Added later"})
    _restore_first(window, qtbot, modal, "manual")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "infoBox") is not None)
    info = window.findChild(QMessageBox, "infoBox")
    assert "to undo the restore" in info.text()
    info.accept()
    assert _names(ctx) == ["Kept"]
    _restore_first(window, qtbot, modal, UNDO_KIND)
    qtbot.waitUntil(lambda: _names(ctx) == ["Added later", "Kept"])


def test_a_foreign_file_among_the_backups_is_refused(
    make_window, qtbot, modal, ctx, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "Kept"})
    window = make_window(reopen_last=False)
    window.background.wait()
    foreign = tmp_path / "contacts.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    planted = ctx.location.backup_dir / "assessments-manual-29991231-235959.sqlite3"  # newest
    shutil.copy(foreign, planted)
    before = {b.path for b in BackupService(ctx).list()}
    _restore_first(window, qtbot, modal)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None)
    error = window.findChild(QMessageBox, "errorBox")
    assert "another program" in error.informativeText()
    assert "Nothing was changed" in error.informativeText()
    error.accept()
    assert _names(ctx) == ["Kept"]
    assert {b.path for b in BackupService(ctx).list()} == before
