"""Backups of the SQLite file with SQLite's online backup API (never a half-copied file)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROLLING = "daily"
BEFORE_RESTORE = "before-restore"
KEEP_ROLLING = 7
# A counter after the stamp keeps two backups of the same kind within one second apart (two
# restores in a row must not overwrite the first "before-restore" copy).
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<kind>daily|manual|before-restore)-(?P<stamp>\d{8}-\d{6})"
    r"(?:-(?P<n>\d{1,4}))?\.sqlite3$"
)
# Written by app.persistence.database before a schema upgrade, next to the database itself.
_MIGRATION = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{4}-\d{2}-\d{2}-\d{6})-schema-(?P<rev>[^.]+)\..*\.bak$"
)
# What SQLite may leave beside a database it was writing (the copy's rollback journal).
_SIDE_FILES = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class Backup:
    """One backup file: its path, kind (daily, manual, before-restore, before-migration (...)),
    the local time it was taken, its size in bytes, and its order among backups of the same
    second (0 for the first)."""

    path: Path
    kind: str
    taken_at: dt.datetime
    size: int
    n: int = 0


def _discard(tmp: Path) -> None:
    """Remove a temp copy and any side file SQLite left beside it; errors are ignored (the
    original error is the one to report)."""
    for path in (tmp, *(tmp.with_name(tmp.name + s) for s in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _copy_pages(source: Path, tmp: Path) -> None:
    """SQLite's online backup of ``source`` into the empty file ``tmp``, as a single file."""
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file
        finally:
            dst.close()
    finally:
        src.close()


def online_copy(source: Path, target: Path) -> None:
    """Online backup from ``source`` into ``target`` (a ``.part`` temp name, fsync, rename).

    Any failure (disk full, I/O error, interruption) removes the temp file and whatever SQLite
    left beside it, leaves an existing ``target`` untouched, and re-raises (OSError or
    sqlite3.Error).
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        os.close(fd)
        _copy_pages(source, tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        _discard(tmp)
        raise


def _free_name(folder: Path, stem: str, kind: str, now: dt.datetime) -> tuple[Path, int]:
    base = f"{stem}-{kind}-{now:%Y%m%d-%H%M%S}"
    n = 0
    while (path := folder / (f"{base}.sqlite3" if n == 0 else f"{base}-{n}.sqlite3")).exists():
        n += 1
    return path, n


def take(
    db_path: Path, folder: Path, kind: str = "manual", now: dt.datetime | None = None
) -> Backup:
    """Back ``db_path`` up into ``folder`` as ``STEM-KIND-YYYYmmdd-HHMMSS[-N].sqlite3``.

    Never overwrites an existing backup. Raises OSError or sqlite3.Error (nothing left behind).
    """
    folder.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now()
    target, n = _free_name(folder, db_path.stem, kind, now)
    online_copy(db_path, target)
    return Backup(target, kind, now, target.stat().st_size, n)


def list_backups(db_path: Path, folder: Path) -> list[Backup]:
    """Backups of this database, newest first (within one second of the names' stamps, by
    when the file was written)."""
    found: list[tuple[Backup, int]] = []
    if folder.is_dir():
        for path in folder.iterdir():
            m = _NAME.match(path.name)
            if m and m.group("stem") == db_path.stem:
                taken = dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
                n, info = int(m.group("n") or 0), path.stat()
                found.append(
                    (Backup(path, m.group("kind"), taken, info.st_size, n), info.st_mtime_ns)
                )
    if db_path.parent.is_dir():
        for path in db_path.parent.glob(f"{db_path.stem}-*-schema-*.bak"):
            m = _MIGRATION.match(path.name)
            if m and m.group("stem") == db_path.stem:
                taken = dt.datetime.strptime(m.group("stamp"), "%Y-%m-%d-%H%M%S")
                kind = f"before-migration (schema {m.group('rev')})"
                info = path.stat()
                found.append((Backup(path, kind, taken, info.st_size), info.st_mtime_ns))
    found.sort(key=lambda pair: (pair[0].taken_at, pair[1], pair[0].n), reverse=True)
    return [b for b, _ in found]


def rolling_if_due(
    db_path: Path, folder: Path, now: dt.datetime | None = None, keep: int = KEEP_ROLLING
) -> Backup | None:
    """Take the daily backup unless one exists for today; keep the newest ``keep``."""
    now = now or dt.datetime.now()
    daily = [b for b in list_backups(db_path, folder) if b.kind == ROLLING]
    if daily and daily[0].taken_at.date() >= now.date():
        return None
    taken = take(db_path, folder, ROLLING, now)
    for old in [taken, *daily][keep:]:
        old.path.unlink(missing_ok=True)
    return taken


def check_restorable(backup: Path) -> str:
    """Check that ``backup`` is a whole database of this app that this version can open.

    Returns its schema revision (an older one is upgraded when the restored database is next
    opened, after the usual pre-upgrade copy). Raises ``app.persistence.errors.DatabaseError``
    subclasses whose message names the file and the problem: not a file, not SQLite, truncated
    or damaged (``PRAGMA integrity_check``), another program's database, an empty database, or a
    newer schema. Reads only; the file is never modified.
    """
    from app.persistence.database import OUR_TABLES, probe_database_file
    from app.persistence.errors import NotOurDatabase

    backup = backup.absolute()  # opened by a file: URI, which must be absolute
    seen = probe_database_file(backup)  # header, tables, known schema revision
    where = str(backup)
    if seen is None:
        raise NotOurDatabase(where, "is empty, not a backup")
    tables, version = seen
    if version is None or not tables >= OUR_TABLES:
        raise NotOurDatabase(where, "is an empty SQLite database, not a backup of this app")
    try:
        con = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise NotOurDatabase(where, f"is damaged or truncated ({exc})") from exc
    if result != "ok":
        raise NotOurDatabase(where, f"is damaged or truncated (integrity check: {result})")
    return version


def restore(backup: Path, db_path: Path) -> None:
    """Copy a backup's content into the live database, inside one SQLite transaction.

    The caller checks the backup first (``check_restorable``). Raises OSError or sqlite3.Error.
    """
    src = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
