"""Backups the user can see: the daily rolling backup, manual backups, and restoring one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.config.paths import DataLocation
from app.persistence import backups
from app.persistence.backups import Backup
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, StorageError


class BackupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _db_path(self) -> Path:
        path = self.ctx.location.sqlite_path
        if path is None:
            raise InvalidInput(
                "backups are made for SQLite files; back up a server database with its own tools"
            )
        return path

    def list(self) -> list[Backup]:
        if self.ctx.location.sqlite_path is None:
            return []
        return backups.list_backups(self._db_path(), self.ctx.location.backup_dir)

    def daily(self) -> Backup | None:
        """The rolling backup, at most once a day, keeping the last 7. Cheap when not due."""
        if self.ctx.location.sqlite_path is None:
            return None
        try:
            return backups.rolling_if_due(self._db_path(), self.ctx.location.backup_dir)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"the daily backup could not be written: {exc}") from exc

    def create(self) -> Backup:
        try:
            return backups.take(self._db_path(), self.ctx.location.backup_dir, "manual")
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"the backup could not be written: {exc}") from exc

    def restore(self, backup: Path) -> Backup | None:
        """Replace the database's content with a backup (see ``restore_backup``).

        The service context must be reopened afterwards (``open_services``), which upgrades a
        backup of an older schema.
        """
        self.ctx.db.dispose()
        return restore_backup(self.ctx.location, Path(backup))


def restore_backup(location: DataLocation, backup: Path) -> Backup | None:
    """Restore without an open database (e.g. after a start-up failure). The current file, if it
    is readable SQLite, is backed up first; returns that backup."""
    db_path = location.sqlite_path
    if db_path is None:
        raise InvalidInput("backups are restored into SQLite files only")
    if not backup.is_file():
        raise InvalidInput(f"{backup}: no such backup")
    safety = None
    try:
        if db_path.exists():
            try:
                safety = backups.take(db_path, location.backup_dir, "before-restore")
            except sqlite3.DatabaseError:
                # Not SQLite (damaged): keep the bytes aside instead of an online backup.
                aside = db_path.with_name(f"{db_path.name}.damaged")
                db_path.replace(aside)
                for suffix in ("-wal", "-shm"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        backups.restore(backup, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"{backup}: cannot be restored: {exc}") from exc
    return safety
