"""The store on SQLAlchemy Core: PostgreSQL (team mode), and the write side of the SQLite store.

Every unit of work is one transaction of ``Database`` on a Core ``Connection`` (``read``,
``write``; the save path's pipelined driver transaction for ``save``), and its records are the
repositories on it, which read and write with Core statements on the tables of ``rows``.
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
    """One transaction's records as repositories on its connection (one of each
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
        with self.db.read() as connection:
            yield RepositoryUnit(connection)

    @contextlib.contextmanager
    def write(
        self, *, assessment_id: int | None = None, wait: bool = True
    ) -> Iterator[RepositoryUnit]:
        with self.db.write(wait=wait, assessment_id=assessment_id) as connection:
            yield RepositoryUnit(connection)

    @contextlib.contextmanager
    def save(self, assessment_id: int | None, *, wait: bool = True) -> Iterator[RepositoryUnit]:
        if assessment_id is None:  # the score cache: a statement of SQLAlchemy's, not the
            # save path's pipeline (whose compiled statements are the answer save's)
            with self.db.write(wait=wait) as connection:
                yield RepositoryUnit(connection)
            return
        with self.db.write_connection(assessment_id) as connection:
            yield RepositoryUnit(connection)

    def listen(self, on_change: Callable[[int | None], None]) -> ChangeListener | None:
        return self.db.listen(on_change)

    def server_login(self) -> str | None:
        return self.db.server_login()
