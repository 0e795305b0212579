"""The service container: one database, the catalog, the evidence store and the current actor."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.catalog.loader import Catalog
from app.config.paths import DataLocation
from app.domain.limits import NAME_MAX, LimitError, check_line
from app.persistence.database import Database
from app.persistence.errors import DatabaseError
from app.persistence.store import (
    AssessmentStore,
    StoreReading,
    StoreSaving,
    StoreWriting,
    store_for,
)
from app.services.errors import StorageError

if TYPE_CHECKING:
    from app.persistence.evidence_store import EvidenceFiles
    from app.persistence.notifications import ChangeListener

ENV_ACTOR = "AIRMF_ACTOR"


def default_actor() -> str:
    """Who is recorded in the change history: $AIRMF_ACTOR, else the OS user name."""
    named = os.environ.get(ENV_ACTOR, "").strip()
    if named:
        try:
            return check_line(named, NAME_MAX, required=True)
        except LimitError as exc:
            # Recording it would make every save fail; the command line refuses it outright.
            # (logging and getpass imported here: a command-line process needs neither.)
            import logging

            logging.getLogger(__name__).warning(
                "$%s %s; the user name is recorded instead", ENV_ACTOR, exc
            )
    try:
        import getpass

        return check_line(getpass.getuser(), NAME_MAX, required=True)
    except Exception:  # no (usable) user name in some containers and services
        return "unknown"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class ServiceContext:
    """What every service needs. Built once by the entry point (CLI or GUI)."""

    db: Database
    catalog: Catalog
    location: DataLocation
    actor: str = field(default_factory=default_actor)
    clock: Callable[[], dt.datetime] = utcnow
    # Team mode: the history records the server's login for this session, never a typed name.
    actor_from_server: bool = False
    _store: tuple[Database, AssessmentStore] | None = field(default=None, init=False, repr=False)

    def choose_actor(self, name: str) -> None:
        """Record changes as ``name`` (``--as``, Preferences). In team mode the name is the
        server login and cannot be chosen: raises InvalidInput unless ``name`` is that login.
        """
        name = name.strip()
        if not name:
            return
        if self.actor_from_server and name != self.actor:
            from app.services.errors import InvalidInput

            raise InvalidInput(
                f"in team mode, changes are recorded under your database login ({self.actor}); "
                "another name cannot be chosen"
            )
        self.actor = name

    @property
    def evidence(self) -> EvidenceFiles:
        """The evidence store of this database: the folder beside an SQLite file, or the
        ``evidence_files`` table of a server database (shared by every member)."""
        if self.location.sqlite_path is None:
            from app.persistence.evidence_db import DatabaseEvidenceFiles

            return DatabaseEvidenceFiles(self.db)
        # Imported on use: a command that reads or scores touches no evidence file.
        from app.persistence.evidence_store import EvidenceStore

        return EvidenceStore(self.location.evidence_dir)

    @property
    def store(self) -> AssessmentStore:
        """The store of the open database (the SQLite or the server implementation); its
        units raise persistence errors: services use ``reading``/``writing``/``saving``."""
        db = self.db
        if self._store is None or self._store[0] is not db:  # the window may reopen ``db``
            self._store = (db, store_for(db))
        return self._store[1]

    @contextlib.contextmanager
    def reading(self) -> Iterator[StoreReading]:
        """A read unit of the store (one consistent view); StorageError if unavailable."""
        with self._storage_errors(), self.store.read() as unit:
            yield unit

    @contextlib.contextmanager
    def writing(
        self, *, assessment_id: int | None = None, wait: bool = True
    ) -> Iterator[StoreWriting]:
        """A write unit of the store, committed durably when the block ends, rolled back on
        any error. ``assessment_id``: serialised with every other writer of that assessment
        (a write that appends to its history). ``wait=False``: StorageError at once instead
        of waiting for another program's write lock (optional writes, e.g. the score cache)."""
        with self._storage_errors(), self.store.write(assessment_id=assessment_id, wait=wait) as u:
            yield u

    @contextlib.contextmanager
    def saving(self, assessment_id: int | None, *, wait: bool = True) -> Iterator[StoreSaving]:
        """The store's lightest write unit (answer saves, the score cache), serialised with
        the other writers of ``assessment_id``; ``wait`` as for ``writing``."""
        with self._storage_errors(), self.store.save(assessment_id, wait=wait) as unit:
            yield unit

    def listen_for_changes(self, on_change: Callable[[int | None], None]) -> ChangeListener | None:
        """Team mode: call ``on_change(assessment id | None)`` on a thread of its own when
        another member commits a write (None: re-read everything). None for an SQLite file."""
        with self._storage_errors():
            return self.store.listen(on_change)

    @contextlib.contextmanager
    def _storage_errors(self) -> Iterator[None]:
        try:
            yield
        except DatabaseError as exc:
            raise StorageError(str(exc)) from exc
