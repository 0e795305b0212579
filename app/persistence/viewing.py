"""Private copies of evidence files for a viewer to open (the store's own files are named by
their hash and must never be edited in place).

Copies go to ``<system temp>/airmf-evidence-<user>/<process id>/``: the user folder is created
with mode 0700 and used only if it is a real folder owned by this user (never one another user
planted in a shared temp directory), each copy is 0600, a process removes its own folder at
exit, and at start the folders of processes that are no longer running.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

# Where a Windows process's liveness cannot be asked safely (os.kill(pid, 0) sends CTRL_C
# there), a folder untouched this long is taken as left behind.
STALE_AFTER = dt.timedelta(days=1)
# The shared folder earlier versions copied into, readable by every user: cleared of our files.
LEGACY = "airmf-evidence"


def _user_tag() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    try:
        name = getpass.getuser()
    except Exception:  # no user name in some containers and services
        name = "user"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) or "user"


class ViewingCopies:
    """The private folder of one process. ``base``: the per-user folder (default under the
    system temp directory); ``pid``: this process."""

    def __init__(self, base: Path | None = None, pid: int | None = None) -> None:
        self.base = base or Path(tempfile.gettempdir()) / f"airmf-evidence-{_user_tag()}"
        self.pid = pid or os.getpid()
        self.folder = self.base / str(self.pid)

    def _private_base(self) -> None:
        """Create the per-user folder (0700) or check the existing one. Raises OSError when it
        is not a folder of this user (a symlink, a file, another owner)."""
        with contextlib.suppress(FileExistsError):
            self.base.mkdir(mode=0o700)
        info = os.lstat(self.base)
        if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            raise PermissionError(f"{self.base} is not a private folder of this user; not used")
        if info.st_mode & 0o077:
            os.chmod(self.base, 0o700)

    def copy(self, source: Path, sha256: str, file_name: str) -> Path:
        """Copy a stored file under its original name (no folders from the name) and return
        the copy's path. Raises OSError."""
        with source.open("rb") as src:
            return self.write(iter(lambda: src.read(1 << 20), b""), sha256, file_name)

    def write(self, chunks: Iterable[bytes], sha256: str, file_name: str) -> Path:
        """Write a stored file's content (``chunks``, from any evidence store) under its
        original name, as ``copy``. Nothing is created when the first chunk cannot be read.
        Raises OSError (FileNotFoundError when the store does not have the file)."""
        pieces = iter(chunks)
        first = next(pieces, b"")  # a missing stored file fails here, before any copy exists
        self._private_base()
        self.folder.mkdir(mode=0o700, exist_ok=True)
        sub = self.folder / sha256[:16]
        sub.mkdir(mode=0o700, exist_ok=True)
        name = Path(file_name.replace("\\", "/")).name
        target = sub / (name if name not in ("", ".", "..") else sha256)
        fd = os.open(
            target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
        with os.fdopen(fd, "wb") as dst:
            dst.write(first)
            for piece in pieces:
                dst.write(piece)
        return target

    def clean_own(self) -> None:
        """At exit: remove this process's copies."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def clean_stale(self) -> list[Path]:
        """At start: remove the folders of processes no longer running (and this user's files
        in the shared folder older versions used). Returns the folders removed."""
        removed = []
        with contextlib.suppress(OSError):
            if self.base.is_dir() and not self.base.is_symlink():
                for child in self.base.iterdir():
                    own = not child.name.isdigit() or int(child.name) == self.pid
                    if not own and not _running(int(child.name), child):
                        shutil.rmtree(child, ignore_errors=True)
                        removed.append(child)
        legacy = self.base.parent / LEGACY
        with contextlib.suppress(OSError):
            if legacy.is_dir() and not legacy.is_symlink():
                shutil.rmtree(legacy, ignore_errors=True)  # only what this user may remove
        return removed


def _running(pid: int, folder: Path) -> bool:
    if os.name == "nt":
        try:
            age = dt.datetime.now().timestamp() - folder.stat().st_mtime
        except OSError:
            return False
        return age < STALE_AFTER.total_seconds()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process with the same id: leave it
    return True
