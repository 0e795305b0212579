"""Atomic file writes (temp file in the same folder, fsync, rename; failure keeps the old file),
and the one guard every output of the app passes before it writes (``check_output``)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

# What an output is, recognised by its first bytes (never by its name).
KIND_NAMES = {
    "pdf": "a PDF",
    "json": "a JSON file",
    "bundle": "an assessment bundle (zip)",
    "zip": "a zip archive",
    "sqlite": "an SQLite database",
    "empty": "an empty file",
    "other": "a file of another kind",
}


class OutputRefused(Exception):
    """The path must never be written by the app (the database, a backup, the evidence store),
    or cannot be replaced atomically (a folder, device, FIFO or socket). ``str()`` is the
    user-facing message."""


class FolderMissing(OutputRefused):
    """The folder of the output does not exist (a storage problem, not a forbidden path)."""


class OverwriteNotConfirmed(Exception):
    """The path holds an existing file of another kind than the output; replacing it needs the
    user's confirmation (``force``). ``str()`` is the user-facing message."""

    def __init__(self, message: str, found: str) -> None:
        super().__init__(message)
        self.found = found


def file_kind(path: Path) -> str:
    """The kind of an existing regular file from its first bytes: a key of KIND_NAMES.

    A zip whose first entry is ``assessment.json`` is an assessment bundle; any other zip (a
    .docx or .xlsx is one) is "zip". Raises OSError when the file cannot be read.
    """
    with Path(path).open("rb") as fh:
        head = fh.read(64)
    if not head:
        return "empty"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PK\x03\x04"):
        name_len = int.from_bytes(head[26:28], "little")
        return "bundle" if head[30 : 30 + name_len] == b"assessment.json" else "zip"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return "json"
    return "other"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def check_output(
    target: Path,
    kind: str,
    *,
    protected_files: Iterable[Path] = (),
    protected_dirs: Iterable[Path] = (),
    force: bool = False,
) -> Path:
    """Check that writing ``kind`` (a key of KIND_NAMES) to ``target`` is safe; return the path.

    Refused with OutputRefused, whatever ``force`` says: one of ``protected_files`` (compared
    after resolving symbolic links, and by inode, so a hard link is caught too), anything inside
    ``protected_dirs``, a path that exists but is not a regular file (folder, device, FIFO,
    socket: an atomic rename would replace it), or a missing folder. Refused with
    OverwriteNotConfirmed unless ``force``: an existing file of another kind (an earlier PDF
    for a report, or an empty file, is replaced without asking).
    """
    target = Path(target).expanduser()
    try:
        resolved = target.resolve()
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        raise OutputRefused(
            f"{target}: cannot be written: {getattr(exc, 'strerror', exc)}"
        ) from exc
    for path in protected_files:
        path = Path(path)
        same = resolved == path.resolve()
        if not same and st is not None:
            with contextlib.suppress(OSError):
                other = os.stat(path)
                same = (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)
        if same:
            raise OutputRefused(
                f"{target} is the app's own data ({path.name}); choose another file name"
            )
    for folder in protected_dirs:
        if _inside(resolved, Path(folder).resolve()):
            raise OutputRefused(
                f"{target} is inside the app's {Path(folder).name} folder, which only the app "
                "manages; choose another folder"
            )
    if st is not None and not stat.S_ISREG(st.st_mode):
        what = (
            "a folder"
            if stat.S_ISDIR(st.st_mode)
            else "a FIFO"
            if stat.S_ISFIFO(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "not a regular file"
        )
        raise OutputRefused(
            f"{target} is {what}, not a regular file; give a file name (or - for standard output)"
        )
    if st is None and not resolved.parent.is_dir():
        raise FolderMissing(f"cannot write {target}: the folder {target.parent} does not exist")
    if st is not None and not force:
        try:
            found = file_kind(target)
        except OSError as exc:
            raise OutputRefused(f"{target}: cannot be read: {exc.strerror or exc}") from exc
        if found not in (kind, "empty"):
            raise OverwriteNotConfirmed(
                f"{target} exists and is {KIND_NAMES[found]}, not {KIND_NAMES[kind]}; "
                "replacing it needs confirmation",
                found,
            )
    return target


def write_atomic(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, or a callback writing to a binary file) to ``path`` atomically.

    Only a new path or a regular file is replaced (anything else raises IsADirectoryError, an
    OSError). On any error the temp file is removed, an existing file at ``path`` is left
    untouched, and the error propagates.
    """
    path = Path(path)
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISREG(os.stat(path).st_mode):
            # The rename would replace a device, FIFO or folder entry with a regular file.
            raise IsADirectoryError(f"{path} is not a regular file; not replaced")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
