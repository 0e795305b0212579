"""The store on SQLAlchemy: PostgreSQL (team mode), and the write side of the SQLite store.

Every unit of work is a transaction of ``Database`` (an ORM session for reads and writes, the
save path's bare connection for ``save``), and its records are the repositories on it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from app.persistence.repositories import AnswerRepository, AssessmentRepository, HistoryRepository
from app.persistence.store import PartCache

if TYPE_CHECKING:
    from app.persistence.database import Database
    from app.persistence.notifications import ChangeListener

_Part = TypeVar("_Part")


class RepositoryUnit(PartCache):
    """One transaction's records as repositories on its session or connection (one of each
    kind per unit: the answers' repository remembers what it read for the save that follows).
    Satisfies ``store.StoreWriting``."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self._parts: dict[Any, Any] = {}
        self.assessments = AssessmentRepository(connection)
        self.answers = AnswerRepository(connection)
        self.history = HistoryRepository(connection)


class ServerStore:
    """``store.AssessmentStore`` through SQLAlchemy (any dialect; PostgreSQL in team mode)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextlib.contextmanager
    def read(self) -> Iterator[RepositoryUnit]:
        with self.db.read() as session:
            yield RepositoryUnit(session)

    @contextlib.contextmanager
    def write(
        self, *, assessment_id: int | None = None, wait: bool = True
    ) -> Iterator[RepositoryUnit]:
        with self.db.write(wait=wait, assessment_id=assessment_id) as session:
            yield RepositoryUnit(session)

    @contextlib.contextmanager
    def save(self, assessment_id: int | None, *, wait: bool = True) -> Iterator[RepositoryUnit]:
        if assessment_id is None:  # the score cache: a statement of SQLAlchemy's, not the
            # save path's pipeline (whose compiled statements are the answer save's)
            with self.db.write(wait=wait) as session:
                yield RepositoryUnit(session)
            return
        with self.db.write_connection(assessment_id) as connection:
            yield RepositoryUnit(connection)

    def listen(self, on_change: Callable[[int | None], None]) -> ChangeListener | None:
        return self.db.listen(on_change)

    def server_login(self) -> str | None:
        return self.db.server_login()
