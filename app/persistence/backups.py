"""Backups of the SQLite file with SQLite's online backup API (never a half-copied file)."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROLLING = "daily"
KEEP_ROLLING = 7
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<kind>daily|manual|before-restore)-(?P<stamp>\d{8}-\d{6})\.sqlite3$"
)
# Written by app.persistence.database before a schema upgrade, next to the database itself.
_MIGRATION = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{4}-\d{2}-\d{2}-\d{6})-schema-(?P<rev>[^.]+)\..*\.bak$"
)


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str
    taken_at: dt.datetime
    size: int


def online_copy(source: Path, target: Path) -> None:
    """Online backup from ``source`` into a new file ``target`` (temp name, then rename)."""
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
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
    try:
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def take(
    db_path: Path, folder: Path, kind: str = "manual", now: dt.datetime | None = None
) -> Backup:
    folder.mkdir(parents=True, exist_ok=True)
    now = now or dt.datetime.now()
    target = folder / f"{db_path.stem}-{kind}-{now:%Y%m%d-%H%M%S}.sqlite3"
    online_copy(db_path, target)
    return Backup(target, kind, now, target.stat().st_size)


def list_backups(db_path: Path, folder: Path) -> list[Backup]:
    """Backups of this database, newest first."""
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            m = _NAME.match(path.name)
            if m and m.group("stem") == db_path.stem:
                taken = dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S")
                found.append(Backup(path, m.group("kind"), taken, path.stat().st_size))
    for path in db_path.parent.glob(f"{db_path.stem}-*-schema-*.bak"):
        m = _MIGRATION.match(path.name)
        if m and m.group("stem") == db_path.stem:
            taken = dt.datetime.strptime(m.group("stamp"), "%Y-%m-%d-%H%M%S")
            kind = f"before-migration (schema {m.group('rev')})"
            found.append(Backup(path, kind, taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


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


def restore(backup: Path, db_path: Path) -> None:
    """Copy a backup's content into the live database, inside one SQLite transaction."""
    check = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError(f"{backup} is damaged (integrity check failed)")
    finally:
        check.close()
    src = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
