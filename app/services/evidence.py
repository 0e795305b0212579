"""Upkeep of the evidence store: remove the files that nothing cites any more.

A stored file is kept while an answer of the database cites it; with the folder store of an
SQLite file, also while a backup of it or another database of this app beside the store cites
it (restoring a backup must bring its evidence back; two databases in one folder share one
store). A server database's files are rows of its own (``evidence_files``), which its backups
(pg_dump) copy with the answers: there, a row no answer cites is removed in the clean-up's
transaction. Removal holds the store's removal guard (SQLite's write lock; on a server an
advisory lock), and a save that cites a file checks inside its own transaction, holding the
same guard, that the file is there (``EvidenceFiles.hold``), so a file is never removed under
an answer that cites it. Files are removed only after the transaction that stopped citing them
has committed: a crash in between leaves an orphan, which ``purge`` removes.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.assessment import EvidenceItem
from app.persistence.errors import DatabaseError
from app.persistence.evidence_store import hashes_cited_by
from app.persistence.viewing import ViewingCopies
from app.services.context import ServiceContext
from app.services.errors import StorageError


@dataclass(frozen=True)
class StoredFile:
    """A file of the evidence store: its SHA-256, size in bytes and the name it was attached
    under ("" when no answer says any more)."""

    sha256: str
    size: int
    name: str = ""

    @property
    def label(self) -> str:
        """How a message names it: the file name and the start of its hash."""
        return f"{self.name} ({self.sha256[:12]})" if self.name else self.sha256


@dataclass(frozen=True)
class Cleanup:
    """What a clean-up removed (or, for a preview, would remove) and what it kept on purpose.

    ``kept_for_backups``: cited only by a backup (or another database beside the store), so
    kept for it. ``stale_temp``: interrupted copies removed. ``problem``: why nothing was
    removed ("" when the clean-up ran).
    """

    removed: list[StoredFile] = field(default_factory=list)
    kept_for_backups: list[StoredFile] = field(default_factory=list)
    stale_temp: list[Path] = field(default_factory=list)
    problem: str = ""


class EvidenceService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _other_databases(self) -> list[Path]:
        """Backups and other databases of this app that may cite files of this store."""
        location = self.ctx.location
        live = location.sqlite_path
        found: set[Path] = set()
        for folder, patterns in (
            (location.backup_dir, ("*.sqlite3",)),
            (location.evidence_dir.parent, ("*.sqlite3", "*.bak")),
        ):
            with contextlib.suppress(OSError):
                if folder.is_dir():
                    for pattern in patterns:
                        found.update(p for p in folder.glob(pattern) if p.is_file())
        return sorted(p for p in found if live is None or p.absolute() != live.absolute())

    def clean(
        self,
        candidates: Mapping[str, tuple[str, int]] | None = None,
        *,
        excluding_assessment: int | None = None,
        dry_run: bool = False,
    ) -> Cleanup:
        """Remove stored files that nothing cites (``candidates``: only these, sha256 ->
        (file name, size); None: the whole store, and interrupted copies).

        ``excluding_assessment`` previews a deletion: that assessment's citations are left out.
        ``dry_run`` removes nothing and returns what would go. Raises StorageError when a file
        cannot be removed (those removed before it stay removed; nothing cites them).
        """
        cited_elsewhere: set[str] = set()
        if self.ctx.location.sqlite_path is not None:
            # A server database's backups (pg_dump) hold their own copy of evidence_files.
            cited_elsewhere, problems = hashes_cited_by(self._other_databases())
            if problems:
                return Cleanup(
                    problem=f"files are kept: {problems[0]} cannot be read to see what it cites"
                )
        store = self.ctx.evidence
        # A write unit: the lock (see the module); a dry run only reads.
        opened = self.ctx.reading() if dry_run else self.ctx.writing()
        removed: list[StoredFile] = []
        kept: list[StoredFile] = []
        with opened as unit:
            if not dry_run:
                store.guard_removal(unit.connection)  # before reading what is cited
            in_use = unit.answers.file_hashes_in_use(excluding_assessment)
            try:
                stored = dict(store.stored())
                if candidates is None:
                    pool = {sha: ("", size) for sha, size in stored.items()}
                else:
                    # A candidate no longer stored (removed meanwhile) has nothing to remove.
                    pool = {
                        sha: (name, stored[sha])
                        for sha, (name, _) in candidates.items()
                        if sha in stored
                    }
                for sha, (name, size) in sorted(pool.items(), key=lambda i: (i[1][0], i[0])):
                    if sha in in_use:
                        continue
                    item = StoredFile(sha, size, name)
                    if sha in cited_elsewhere:
                        kept.append(item)
                        continue
                    if not dry_run:
                        store.remove(sha, unit.connection)  # a database store: in this unit
                    removed.append(item)
            except OSError as exc:
                raise StorageError(f"{store.where}: a file could not be removed: {exc}") from exc
        stale = store.stale_incoming() if candidates is None else []
        if not dry_run:
            for path in stale:
                path.unlink(missing_ok=True)
        return Cleanup(removed, kept, stale)

    def purge(self, *, dry_run: bool = False) -> Cleanup:
        """Remove every stored file that nothing cites, and copies a crash interrupted."""
        return self.clean(None, dry_run=dry_run)

    def viewing_copy(self, item: EvidenceItem) -> tuple[Path | None, str]:
        """A copy of an attached file for a viewer to open, in this process's private folder
        (see ``app.persistence.viewing``), and the stored file's integrity ("ok", "changed";
        "missing" with no copy). Slow for a large file: not on a UI thread. Raises
        StorageError."""
        store = self.ctx.evidence
        digest = hashlib.sha256()

        def hashed() -> Iterator[bytes]:  # one read of the stored file: copied and re-hashed
            for chunk in store.chunks(item.sha256):
                digest.update(chunk)
                yield chunk

        try:
            copy = ViewingCopies().write(hashed(), item.sha256, item.file_name)
        except FileNotFoundError:
            return None, "missing"
        except (OSError, DatabaseError) as exc:
            raise StorageError(f"{item.file_name}: no copy could be made to open: {exc}") from exc
        return copy, "ok" if digest.hexdigest() == item.sha256 else "changed"


def clean_viewing_copies(*, at_exit: bool) -> None:
    """At exit, remove this process's copies for viewers; at start, those of processes that
    are no longer running. Never raises."""
    copies = ViewingCopies()
    if at_exit:
        copies.clean_own()
    else:
        copies.clean_stale()
