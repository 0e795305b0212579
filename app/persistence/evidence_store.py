"""The managed evidence store: attached files copied in and named by their SHA-256.

``EvidenceFiles`` is what every service uses; two stores implement it: ``EvidenceStore``, the
folder beside an SQLite database (one machine), and ``evidence_db.DatabaseEvidenceFiles``, the
``evidence_files`` table of a server database (team mode: every member sees the same files).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from app.persistence.files import write_atomic

CHUNK = 1 << 20
_SHA = re.compile(r"^[0-9a-f]{64}$")
# A copy into the store in progress (``add_file``); one older than this was left by a crash.
STALE_INCOMING = dt.timedelta(hours=1)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class EvidenceFiles(Protocol):
    """The contents of attached evidence files, each named by its SHA-256 (64 lower-case hex
    digits): identical contents are stored once. Sizes are in bytes.

    Errors: OSError for a folder store's file system, ``DatabaseError`` for a database store;
    ValueError when a file is over the limit given (nothing stored).
    """

    @property
    def where(self) -> str:
        """Where the files are, for messages: a folder, or "the database"."""
        ...

    def add_file(self, source: Path, max_bytes: int | None = None) -> tuple[str, int]:
        """Store a copy of ``source``, read once in chunks and limited to ``max_bytes`` while
        read; return (sha256, size). Storing a content already there changes nothing."""
        ...

    def exists(self, sha256: str) -> bool:
        """Whether a content is stored under ``sha256`` (not re-hashed: see ``check``)."""
        ...

    def check(self, sha256: str) -> str:
        """Re-hash the stored content: "ok", "missing" or "changed" (not the recorded hash)."""
        ...

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """The stored content in chunks of at most ``CHUNK`` bytes, never whole in memory.
        Raises FileNotFoundError when it is not stored."""
        ...

    def copy_out(self, sha256: str, target: Path) -> None:
        """Write the stored content to the file ``target``. Raises FileNotFoundError."""
        ...

    def stored(self) -> Iterator[tuple[str, int]]:
        """Every stored content as (sha256, size), in hash order."""
        ...

    def hold(self, connection: Any, sha256: str) -> bool:
        """In a save's write transaction (``connection``): whether ``sha256`` is stored, and
        keep it from being removed until that transaction ends."""
        ...

    def guard_removal(self, connection: Any) -> None:
        """In a clean-up's write transaction, before it reads what answers cite: wait for the
        saves that hold a file (``hold``) and keep new ones out until it ends."""
        ...

    def remove(self, sha256: str, connection: Any = None) -> bool:
        """Delete one stored content (in the clean-up's transaction ``connection`` when the
        store is the database); False if it was not there. Raises ValueError for a name that
        is not a SHA-256. The caller makes sure that nothing cites it any more."""
        ...

    def stale_incoming(self, now: dt.datetime | None = None) -> list[Path]:
        """Leftovers of copies a crash interrupted (a database store has none: a copy that
        did not commit left nothing)."""
        ...


class EvidenceStore:
    """The folder store: files live at ``root/ab/abcdef...`` (the hash); identical files are
    stored once. Implements ``EvidenceFiles``; the database's write lock (SQLite's one writer)
    is what keeps a clean-up and a save apart."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def where(self) -> str:
        return str(self.root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def add_file(self, source: Path, max_bytes: int | None = None) -> tuple[str, int]:
        """Copy ``source`` into the store; return (sha256, size). Safe against partial copies.

        Raises ValueError (nothing stored) when ``source`` holds more than ``max_bytes``: the
        limit is applied while reading, so a file that grows (or a device) cannot exceed it.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming.", dir=self.root)
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        size = 0
        try:
            with source.open("rb") as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ValueError(f"larger than the limit of {max_bytes:,} bytes")
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists() and sha256_of(final) == sha:
                tmp.unlink()
            else:
                os.replace(tmp, final)
            return sha, size
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def add_bytes(self, data: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(data).hexdigest()
        final = self.path_for(sha)
        if not (final.exists() and sha256_of(final) == sha):
            final.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(final, data)
        return sha, len(data)

    def check(self, sha256: str) -> str:
        """ "ok", "missing" or "changed" (the file no longer has the recorded hash)."""
        path = self.path_for(sha256)
        if not path.is_file():
            return "missing"
        return "ok" if sha256_of(path) == sha256 else "changed"

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def chunks(self, sha256: str) -> Iterator[bytes]:
        with self.path_for(sha256).open("rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def copy_out(self, sha256: str, target: Path) -> None:
        shutil.copyfile(self.path_for(sha256), target)

    def hold(self, connection: Any, sha256: str) -> bool:
        # The save holds SQLite's write lock, which the clean-up also takes.
        return self.exists(sha256)

    def guard_removal(self, connection: Any) -> None:
        return None  # the clean-up's write transaction holds SQLite's one write lock

    def stored(self) -> Iterator[tuple[str, int]]:
        """Every file in the store as (sha256, size in bytes); other names are ignored."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if _SHA.match(path.name) and path.name[:2] == folder.name and path.is_file():
                    yield path.name, path.stat().st_size

    def remove(self, sha256: str, connection: Any = None) -> bool:
        """Delete one stored file (and its folder when empty); False if it was not there.

        The caller makes sure that nothing references it any more. Raises OSError."""
        if not _SHA.match(sha256):
            raise ValueError(f"{sha256!r} is not a SHA-256")
        path = self.path_for(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only when empty
        return True

    def stale_incoming(self, now: dt.datetime | None = None) -> list[Path]:
        """Temp files of copies that a crash interrupted (older than ``STALE_INCOMING``: a
        younger one may be a copy in progress in another instance)."""
        if not self.root.is_dir():
            return []
        limit = (now or dt.datetime.now(dt.UTC)).timestamp() - STALE_INCOMING.total_seconds()
        found = []
        for path in self.root.glob(".incoming.*"):
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < limit:
                    found.append(path)
        return sorted(found)


def hashes_cited_by(databases: Iterable[Path]) -> tuple[set[str], list[str]]:
    """The evidence hashes cited in these SQLite files of this app (backups, other databases
    beside the store), read-only. Returns (hashes, problems): a file that cannot be read is
    named in ``problems`` (its citations are unknown)."""
    cited: set[str] = set()
    problems: list[str] = []
    for path in databases:
        try:
            con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
            try:
                tables = {
                    r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                if "evidence_items" not in tables:
                    continue  # not a database of this app: it cites nothing
                rows = con.execute("SELECT DISTINCT sha256 FROM evidence_items WHERE sha256 != ''")
                cited.update(r[0] for r in rows)
            finally:
                con.close()
        except sqlite3.Error as exc:
            problems.append(f"{path}: {exc}")
    return cited, problems
