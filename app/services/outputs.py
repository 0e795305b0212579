"""Where the app may write its outputs (report, export, bundle): the one guard, and the writer.

Every output goes through ``write_output``: the app's own data (the database and its -wal, -shm
and -journal files, backups, pre-upgrade copies, the evidence store) is never replaced; a
folder, device, FIFO or socket is refused; an existing file of another kind needs ``force``;
``-`` (a binary stream) writes to standard output; anything else is written atomically.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.config.paths import DataLocation
from app.persistence.files import (
    FolderMissing,
    OutputRefused,
    OverwriteNotConfirmed,
    check_output,
    write_atomic,
)
from app.services.errors import InvalidInput, NeedsConfirmation, StorageError

Data = bytes | Callable[[BinaryIO], None]


def protected(location: DataLocation) -> tuple[list[Path], list[Path]]:
    """(files, folders) that no output may replace: the database, its companion files and its
    pre-upgrade copies; the backup and evidence folders."""
    files: list[Path] = []
    db = location.sqlite_path
    if db is not None:
        files = [db, *(Path(f"{db}{s}") for s in ("-wal", "-shm", "-journal"))]
        with contextlib.suppress(OSError):
            files += sorted(db.parent.glob(f"{db.stem}-*-schema-*.bak"))
    return files, [location.backup_dir, location.evidence_dir]


def guard_output(location: DataLocation, target: Path, kind: str, *, force: bool = False) -> Path:
    """Check ``target`` for an output of ``kind`` ("pdf", "json", "bundle"); return it.

    Raises InvalidInput (never writable: the app's data, a folder, device, FIFO or socket),
    StorageError (a missing folder) or NeedsConfirmation (an existing file of another kind,
    without ``force``).
    """
    files, folders = protected(location)
    try:
        return check_output(
            target, kind, protected_files=files, protected_dirs=folders, force=force
        )
    except OverwriteNotConfirmed as exc:
        raise NeedsConfirmation(str(exc)) from exc
    except FolderMissing as exc:
        raise StorageError(str(exc)) from exc
    except OutputRefused as exc:
        raise InvalidInput(str(exc)) from exc


def write_output(
    location: DataLocation,
    target: Path | BinaryIO,
    kind: str,
    data: Data,
    *,
    force: bool = False,
    what: str = "the file",
) -> Path | None:
    """Write ``data`` (bytes or a callback writing to a binary file) to ``target``.

    A binary stream (standard output) is written as is; a path is guarded (``guard_output``)
    and written atomically. Returns the path written (None for a stream). Raises InvalidInput,
    NeedsConfirmation or StorageError (``what`` names the output); a path is unchanged then.
    Exceptions raised by a callback other than OSError propagate unchanged.
    """
    if not isinstance(target, (str, Path)):
        try:
            data(target) if callable(data) else target.write(data)
            target.flush()
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise StorageError(f"cannot write {what}: {exc.strerror or exc}") from exc
        return None
    path = guard_output(location, Path(target), kind, force=force)
    try:
        write_atomic(path, data)
    except OSError as exc:
        kept = (
            f"the earlier file {path.name} is unchanged" if path.exists() else "no file was written"
        )
        raise StorageError(f"cannot write {what} to {path}: {exc.strerror or exc}; {kept}") from exc
    return path
