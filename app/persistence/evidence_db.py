"""The evidence store of a server database (team mode): file contents in ``evidence_files``.

Every member of a team reads the same rows, so the files one attaches are the ones the others
open, verify and export. A content is named by its SHA-256 (the primary key), so identical
files are stored once. Nothing is held whole in memory: a file is sent with COPY in chunks and
read back in slices (``substring``; the column is stored uncompressed, migration 0006, so a
slice reads only its own part).

A clean-up and a save that cites a file are kept apart by one advisory lock: a save holds it
shared while it checks that the file is there (``hold``), a clean-up exclusively before it
reads what is cited (``guard_removal``); both until their transaction ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.persistence.errors import DatabaseUnavailable
from app.persistence.evidence_store import CHUNK

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from app.persistence.compiled import DriverTransaction
    from app.persistence.database import Database

_SHA = re.compile(r"^[0-9a-f]{64}$")
# pg_advisory_xact_lock key of the evidence files ("AIRMF-EV" as an integer; any fixed value).
REMOVAL_LOCK = 0x41_49_52_4D_46_45_56
# A content being sent is stored under a temporary name (not a SHA-256) until it is hashed.
_INCOMING = "incoming-"


class DatabaseEvidenceFiles:
    """``EvidenceFiles`` on the ``evidence_files`` table of a PostgreSQL database.

    ``db``: the open database. Raises ``DatabaseUnavailable`` (a ``DatabaseError``) when the
    server cannot be used; ValueError when a file is over the limit (nothing stored).
    """

    def __init__(self, db: Database, chunk: int = CHUNK) -> None:
        self.db = db
        self.chunk = chunk

    @property
    def where(self) -> str:
        return f"the database {self.db.location}"

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg
        from sqlalchemy.exc import DBAPIError

        try:
            yield
        except (DBAPIError, psycopg.Error) as exc:
            raise DatabaseUnavailable(self.db.location, f"evidence files: {exc}") from exc

    def add_file(self, source: Path, max_bytes: int | None = None) -> tuple[str, int]:
        """Send ``source`` with COPY in chunks (hashing it on the way) inside one transaction,
        under a temporary name that becomes its SHA-256 when it is all there; a content already
        stored (by anyone) is kept and the copy dropped."""
        import psycopg

        digest = hashlib.sha256()
        size = 0
        temp = _INCOMING + uuid.uuid4().hex
        added = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        with self._errors(), self.db.engine.begin() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None
            with (
                source.open("rb") as src,
                driver.cursor() as cur,
                cur.copy("COPY evidence_files (sha256, size, content, added_at) FROM STDIN") as cp,
            ):
                # Text format: the size is not known before the end, so it is fixed below; the
                # content is bytea hex ("\\x" escaped as COPY text wants its backslash).
                cp.write(f"{temp}\t0\t\\\\x".encode())
                while data := src.read(self.chunk):
                    size += len(data)
                    if max_bytes is not None and size > max_bytes:
                        raise ValueError(f"larger than the limit of {max_bytes:,} bytes")
                    digest.update(data)
                    cp.write(data.hex().encode())
                cp.write(f"\t{added}\n".encode())
            sha = digest.hexdigest()
            try:
                with driver.transaction():  # a savepoint: a clash is undone alone
                    driver.execute(
                        "UPDATE evidence_files SET sha256 = %s, size = %s WHERE sha256 = %s",
                        (sha, size, temp),
                    )
            except psycopg.errors.UniqueViolation:
                # Stored already (now, or by another member meanwhile): keep that one.
                driver.execute("DELETE FROM evidence_files WHERE sha256 = %s", (temp,))
        return sha, size

    def exists(self, sha256: str) -> bool:
        from sqlalchemy import text

        with self._errors(), self.db.engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM evidence_files WHERE sha256 = :h"), {"h": sha256}
            ).first()
        return found is not None

    def chunks(self, sha256: str) -> Iterator[bytes]:
        """Read in slices of ``chunk`` bytes, all from one snapshot (REPEATABLE READ), so a
        clean-up committed meanwhile does not cut a file short."""
        from sqlalchemy import text

        with (
            self._errors(),
            self.db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
        ):
            length = conn.execute(
                text("SELECT octet_length(content) FROM evidence_files WHERE sha256 = :h"),
                {"h": sha256},
            ).scalar()
            if length is None:
                raise FileNotFoundError(f"evidence file {sha256} is not in {self.where}")
            for start in range(0, length, self.chunk):
                yield bytes(
                    conn.execute(
                        text(
                            "SELECT substring(content FROM :s FOR :n) FROM evidence_files "
                            "WHERE sha256 = :h"
                        ),
                        {"s": start + 1, "n": self.chunk, "h": sha256},  # 1-based
                    ).scalar_one()
                )

    def check(self, sha256: str) -> str:
        digest = hashlib.sha256()
        try:
            for data in self.chunks(sha256):
                digest.update(data)
        except FileNotFoundError:
            return "missing"
        return "ok" if digest.hexdigest() == sha256 else "changed"

    def copy_out(self, sha256: str, target: Path) -> None:
        with target.open("wb") as fh:
            for data in self.chunks(sha256):
                fh.write(data)

    def stored(self) -> Iterator[tuple[str, int]]:
        from sqlalchemy import text

        with self._errors(), self.db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT sha256, size FROM evidence_files WHERE sha256 NOT LIKE :temp "
                    "ORDER BY sha256"
                ),
                {"temp": _INCOMING + "%"},
            ).all()
        for sha, size in rows:
            yield str(sha), int(size)

    def hold(self, connection: Connection | DriverTransaction, sha256: str) -> bool:
        from app.persistence.compiled import DriverTransaction

        if isinstance(connection, DriverTransaction):  # the save path's psycopg connection
            cursor = connection.driver.execute(
                "SELECT pg_advisory_xact_lock_shared(%(k)s), "
                "EXISTS (SELECT 1 FROM evidence_files WHERE sha256 = %(h)s)",
                {"k": REMOVAL_LOCK, "h": sha256},
            )
            return bool(cursor.fetchone()[1])
        from sqlalchemy import text

        connection.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": REMOVAL_LOCK})
        found = connection.execute(
            text("SELECT 1 FROM evidence_files WHERE sha256 = :h"), {"h": sha256}
        ).first()
        return found is not None

    def guard_removal(self, connection: Connection) -> None:
        from sqlalchemy import text

        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": REMOVAL_LOCK})

    def remove(self, sha256: str, connection: Any = None) -> bool:
        """Delete the row in the clean-up's transaction ``connection`` (required)."""
        from sqlalchemy import text

        if not _SHA.match(sha256):
            raise ValueError(f"{sha256!r} is not a SHA-256")
        if connection is None:
            raise ValueError("a database store removes files only inside a clean-up's transaction")
        done = connection.execute(
            text("DELETE FROM evidence_files WHERE sha256 = :h"), {"h": sha256}
        )
        return bool(done.rowcount)

    def stale_incoming(self, now: dt.datetime | None = None) -> list[Path]:
        return []  # a COPY that did not commit left no row
