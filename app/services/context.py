"""The service container: one database, the catalog, the evidence store and the current actor."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.catalog.loader import Catalog
from app.config.paths import DataLocation
from app.domain.limits import NAME_MAX, LimitError, check_line
from app.persistence.database import Database
from app.persistence.errors import DatabaseError
from app.persistence.evidence_store import EvidenceFiles, EvidenceStore
from app.services.errors import StorageError

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from app.persistence.compiled import DriverTransaction
    from app.persistence.notifications import ChangeListener

ENV_ACTOR = "AIRMF_ACTOR"
log = logging.getLogger(__name__)


def default_actor() -> str:
    """Who is recorded in the change history: $AIRMF_ACTOR, else the OS user name."""
    named = os.environ.get(ENV_ACTOR, "").strip()
    if named:
        try:
            return check_line(named, NAME_MAX, required=True)
        except LimitError as exc:
            # Recording it would make every save fail; the command line refuses it outright.
            log.warning("$%s %s; the user name is recorded instead", ENV_ACTOR, exc)
    try:
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
        return EvidenceStore(self.location.evidence_dir)

    @contextlib.contextmanager
    def write(self, *, wait: bool = True, assessment_id: int | None = None) -> Iterator[Session]:
        """A write transaction; ``wait=False`` fails at once (StorageError) instead of waiting
        for another program's write lock (for optional writes, e.g. the score cache);
        ``assessment_id``: serialised with every other writer of that assessment (a write that
        appends to its history)."""
        with (
            self._storage_errors(),
            self.db.write(wait=wait, assessment_id=assessment_id) as session,
        ):
            yield session

    @contextlib.contextmanager
    def write_connection(
        self, assessment_id: int | None = None
    ) -> Iterator[Connection | DriverTransaction]:
        """A write on a bare connection: for the save path (see Database.write_connection),
        serialised with every other writer of ``assessment_id``."""
        with self._storage_errors(), self.db.write_connection(assessment_id) as connection:
            yield connection

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only view on the sqlite3 driver, without SQLAlchemy (None: not SQLite)."""
        with self._storage_errors(), self.db.snapshot() as connection:
            yield connection

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._storage_errors(), self.db.read() as session:
            yield session

    def listen_for_changes(self, on_change: Callable[[int | None], None]) -> ChangeListener | None:
        """Team mode: call ``on_change(assessment id | None)`` on a thread of its own when
        another member commits a write (None: re-read everything). None for an SQLite file."""
        with self._storage_errors():
            return self.db.listen(on_change)

    @contextlib.contextmanager
    def _storage_errors(self) -> Iterator[None]:
        try:
            yield
        except DatabaseError as exc:
            raise StorageError(str(exc)) from exc
