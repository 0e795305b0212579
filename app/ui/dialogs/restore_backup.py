""" "Restore from backup...": list the database's backups with their dates and restore one."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.persistence.backups import BEFORE_RESTORE, Backup

# The newest before-restore copy: restoring it undoes the last restore.
UNDO_KIND = "before-restore (undoes the last restore)"


class RestoreBackupDialog(QDialog):
    """Lists backups (newest first); ``chosen()`` is the selected one after ``accept``.

    The caller restores it (``BackupService.restore`` or ``restore_backup``) and reopens the
    database. The dialog asks for confirmation, naming what will be replaced.
    """

    def __init__(self, backups: list[Backup], database: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle("Restore from backup")
        self.resize(900, 420)
        self._backups = backups
        self._database = database
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Choose a backup of <b>{escape(database)}</b> to restore. The current content is "
            "backed up first, so a restore can itself be undone: its copy is listed as "
            "<i>before-restore</i>. Only a backup this version of the app can open is restored."
            if backups
            else f"There are no backups of <b>{escape(database)}</b> yet. A daily backup is taken "
            "while the app is used; you can also make one with <i>airmf backup create</i>."
        )
        intro.setWordWrap(True)
        intro.setObjectName("restoreIntro")
        layout.addWidget(intro)
        self.list = QTreeWidget(self)
        self.list.setObjectName("backupList")
        self.list.setAccessibleName("Backups")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(["Taken", "Kind", "Size", "File"])
        undo = next((b for b in backups if b.kind == BEFORE_RESTORE), None)
        for b in backups:
            kind = UNDO_KIND if b is undo else b.kind
            item = QTreeWidgetItem(
                [b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), kind, _size(b.size), b.path.name]
            )
            item.setToolTip(3, str(b.path))
            if b is undo:
                item.setToolTip(1, "The state the last restore replaced: restoring it undoes it")
            item.setData(0, Qt.ItemDataRole.UserRole, str(b.path))
            self.list.addTopLevelItem(item)
        for col in range(3):
            self.list.resizeColumnToContents(col)
        if backups:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, parent=self)
        self.restore_button = buttons.addButton("Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(bool(backups))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.confirm = True  # tests may switch the confirmation box off

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def accept(self) -> None:
        path = self.chosen()
        if path is None:
            return
        if self.confirm:
            answer = QMessageBox.question(
                self,
                "Restore this backup?",
                f"Replace everything in {self._database} with the backup {path.name}?\n\n"
                "Changes made since that backup will be replaced; the current state is saved "
                "as a backup first.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().accept()


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"
