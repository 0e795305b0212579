"""Backups the user can see: the daily rolling backup, manual backups, restoring one, and undoing
the last restore."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from app.config.paths import DataLocation
from app.persistence import backups
from app.persistence.backups import BEFORE_RESTORE, Backup
from app.persistence.errors import DatabaseError
from app.persistence.files import write_atomic
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
        """Backups of the database, newest first (empty for a server database)."""
        return list_backups(self.ctx.location)

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


def list_backups(location: DataLocation) -> list[Backup]:
    """Backups of the database at ``location``, newest first, without opening it (so that they
    can be listed and restored when the database itself cannot be opened)."""
    if location.sqlite_path is None:
        return []
    try:
        return backups.list_backups(location.sqlite_path, location.backup_dir)
    except OSError as exc:
        raise StorageError(f"{location.backup_dir}: the backups cannot be listed: {exc}") from exc


def check_backup(backup: Path) -> None:
    """Raise InvalidInput unless ``backup`` is a whole database of this app that this version
    can open (an older schema is upgraded when it is next opened). Reads only."""
    try:
        backups.check_restorable(backup)
    except DatabaseError as exc:
        problem = exc.problem.removesuffix(" The file was not changed.").rstrip(".")
        raise InvalidInput(
            f"cannot restore {exc.location}: it {problem}. Nothing was changed."
        ) from exc


def restore_backup(location: DataLocation, backup: Path) -> Backup | None:
    """Restore without an open database (e.g. after a start-up failure).

    The backup is checked first (``check_backup``): anything but a whole database of this app
    with a schema this version can open is refused with nothing changed. The current file, if
    it is readable SQLite, is then backed up as a "before-restore" copy, which
    ``undo_last_restore`` puts back; a file that is not SQLite is kept beside it as
    ``NAME.damaged``. Returns the before-restore copy (None: there was no readable database).
    Raises InvalidInput (refused, nothing changed) or StorageError (the copy failed).
    """
    db_path = location.sqlite_path
    if db_path is None:
        raise InvalidInput("backups are restored into SQLite files only")
    backup = Path(backup).absolute()  # SQLite opens it by a file: URI, which must be absolute
    check_backup(backup)
    try:
        if db_path.exists() and backup.samefile(db_path):
            raise InvalidInput(f"{backup} is the database itself, not a backup of it")
    except OSError as exc:
        raise StorageError(f"{backup}: cannot be restored: {exc}") from exc
    safety = aside = None
    try:
        if db_path.exists():
            try:
                safety = backups.take(db_path, location.backup_dir, BEFORE_RESTORE)
            except sqlite3.DatabaseError:
                # Not SQLite (damaged): keep the bytes aside instead of an online backup.
                aside = _free_aside(db_path)
                db_path.replace(aside)
                for suffix in ("-wal", "-shm"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        backups.restore(backup, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"{backup}: cannot be restored: {exc}") from exc
    _remember_restore(location, safety, aside)
    return safety


def _marker(location: DataLocation) -> Path:
    assert location.sqlite_path is not None
    return location.backup_dir / f".last-restore-{location.sqlite_path.stem}.json"


def _remember_restore(location: DataLocation, kept: Backup | None, aside: Path | None) -> None:
    """Note what the last restore replaced, for ``undo_last_restore`` (best effort: without
    the note, the newest before-restore copy is taken)."""
    note = {"kept": kept.path.name if kept else "", "aside": str(aside or "")}
    with contextlib.suppress(OSError):
        location.backup_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(_marker(location), json.dumps(note).encode())


def _free_aside(db_path: Path) -> Path:
    """``NAME.damaged`` (or ``NAME.damaged-N``): never over an earlier damaged file."""
    aside = db_path.with_name(f"{db_path.name}.damaged")
    n = 1
    while aside.exists():
        aside = db_path.with_name(f"{db_path.name}.damaged-{n}")
        n += 1
    return aside


def last_before_restore(location: DataLocation) -> Backup | None:
    """The copy the last restore kept of the state it replaced (None: no restore yet)."""
    return next((b for b in list_backups(location) if b.kind == BEFORE_RESTORE), None)


def undo_last_restore(location: DataLocation) -> tuple[Backup, Backup | None]:
    """Put back the state the last restore replaced (its "before-restore" copy).

    This is itself a restore: the state it replaces is kept first, so running it again
    re-applies the undone restore. Returns (the copy restored, the new before-restore copy).
    Raises InvalidInput when there is no restore to undo, or as ``restore_backup``.
    """
    last = last_before_restore(location)
    note = _last_note(location)
    if note is not None:
        kept = note.get("kept", "")
        if not kept:
            aside = note.get("aside", "")
            what = (
                f"a file that was not a database of this app (kept as {aside})"
                if aside
                else "no database (it created the file)"
            )
            raise InvalidInput(f"the last restore replaced {what}; there is no state to put back")
        last = next((b for b in list_backups(location) if b.path.name == kept), None)
        if last is None:
            raise InvalidInput(
                f"the copy the last restore kept ({kept}) is no longer in {location.backup_dir}"
            )
    if last is None:
        raise InvalidInput(
            f"there is no restore to undo: {location.backup_dir} holds no before-restore copy"
        )
    return last, restore_backup(location, last.path)


def _last_note(location: DataLocation) -> dict[str, str] | None:
    try:
        note = json.loads(_marker(location).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None
