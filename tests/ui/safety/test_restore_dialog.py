"""File > Restore from backup names the copy that undoes the last restore."""

from __future__ import annotations

import pytest

from app.persistence.backups import list_backups
from app.services.assessments import AssessmentService
from app.services.backups import BackupService
from app.ui.dialogs.restore_backup import UNDO_KIND, RestoreBackupDialog

pytestmark = pytest.mark.gui


def test_newest_before_restore_copy_is_offered_as_the_undo(qtbot, ctx, db_path) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "First"})
    manual = BackupService(ctx).create()
    BackupService(ctx).restore(manual.path)
    BackupService(ctx).restore(manual.path)
    found = list_backups(db_path, ctx.location.backup_dir)
    dialog = RestoreBackupDialog(found, str(db_path))
    qtbot.addWidget(dialog)
    kinds = [dialog.list.topLevelItem(i).text(1) for i in range(dialog.list.topLevelItemCount())]
    assert kinds == [UNDO_KIND, "before-restore", "manual"]
    assert dialog.chosen() == found[0].path  # preselected: Restore undoes the last restore
