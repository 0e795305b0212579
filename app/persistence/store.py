"""The store: the one interface through which services read and write assessments, their
answers (with evidence) and their change history, on either engine.

``AssessmentStore`` hands out units of work (one transaction each): ``read()`` for reads,
``write()`` for changes and ``save()`` for the answer save path. A unit gives the records of
each kind as a sub-store (``unit.assessments``, ``unit.answers``, ``unit.history``); a new kind
of record (actions, reviews, ...) is one more repository reached through ``unit.part(Kind)``,
on the unit's own transaction, without touching these. Two implementations:
``sqlite_store.SQLiteStore`` (the embedded default: reads on the sqlite3 driver alone, the save
path on compiled statements) and ``server_store.ServerStore`` (PostgreSQL through SQLAlchemy).
``tests/store/`` is the contract: every implementation must pass it.

No SQLAlchemy here: services import this module at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from app.domain.assessment import Answer, Assessment, AssessmentMeta, HistoryEntry, Origin, Status
from app.domain.summaries import ScoreRow

if TYPE_CHECKING:
    from app.persistence.database import Database
    from app.persistence.notifications import ChangeListener


class AnswerVersion(NamedTuple):
    """An answer's optimistic version as stored: ``number`` counts its saves (0: none yet, or
    not stored at all); ``fields`` maps a field name to the version that last changed it."""

    number: int
    fields: dict[str, int]


NO_VERSION = AnswerVersion(0, {})

# A chain head as stored with its assessment: (number of entries, hash of the last); None: empty.
ChainHead = tuple[int, str] | None


class AssessmentReads(Protocol):
    """Reading assessments. Lists are ordered as documented; absent ids give None/empty."""

    def get(self, assessment_id: int) -> Assessment | None: ...

    def get_with_history_head(self, assessment_id: int) -> tuple[Assessment, ChainHead] | None:
        """The assessment and its history's head as stored with it (None: no history)."""
        ...

    def uid_exists(self, uid: str) -> bool: ...

    def list(self) -> list[Assessment]:
        """Every assessment, most recently changed first (then the highest id first)."""
        ...

    def list_with_summaries(self) -> list[tuple[Assessment, str | None]]:
        """``list()`` with each cached score summary as stored (JSON text; None: stale)."""
        ...

    def by_system(self, ai_system: str) -> list[Assessment]:
        """The cycles of one AI system, oldest first (created_at, then id)."""
        ...

    def later_cycles(self, assessment_id: int) -> list[Assessment]:
        """The assessments started as the next cycle of this one, by id."""
        ...


class AssessmentSaves(AssessmentReads, Protocol):
    """What the lightest writes change of assessments (in a save unit): an answer save's
    mark of change, and the score cache."""

    def touch(self, assessment_id: int, now: dt.datetime) -> None:
        """Mark the assessment changed at ``now`` (its cached summary is stale)."""
        ...

    def set_summaries(self, fresh: Sequence[tuple[int, dict[str, Any], dt.datetime]]) -> None:
        """Cache (id, summary, computed_for) for assessments unchanged since computed_for."""
        ...


class AssessmentRecords(AssessmentSaves, Protocol):
    """Reading and changing assessments (in a write unit)."""

    def add(
        self,
        meta: AssessmentMeta,
        *,
        uid: str,
        framework_version: str,
        now: dt.datetime,
        status: Status = ...,
        created_at: dt.datetime | None = None,
        finalized_by: str = "",
        finalized_role: str = "",
        finalized_statement: str = "",
        finalized_at: dt.datetime | None = None,
        fingerprint: str = "",
        previous_id: int | None = None,
        origin: Origin = ...,
        copy_of: str = "",
    ) -> Assessment: ...

    def update(self, assessment_id: int, now: dt.datetime, **columns: object) -> Assessment:
        """Set stored columns; marks the assessment changed at ``now``. KeyError: no such id."""
        ...

    def update_meta(
        self, assessment_id: int, meta: AssessmentMeta, now: dt.datetime
    ) -> Assessment: ...

    def set_last_subcategory(self, assessment_id: int, subcategory_id: str) -> None: ...

    def delete(self, assessment_id: int) -> bool: ...


class AnswerReads(Protocol):
    """Reading answers with their evidence."""

    def get(self, assessment_id: int, subcategory_id: str) -> Answer | None: ...

    def versions(self, assessment_id: int) -> dict[str, int]:
        """Subcategory id -> version number of every stored answer of the assessment."""
        ...

    def field_versions(self, assessment_id: int) -> dict[str, AnswerVersion]:
        """Subcategory id -> version of every stored answer of the assessment, with the
        version that last changed each field (which fields changed since an export)."""
        ...

    def all(self, assessment_id: int) -> dict[str, Answer]:
        """Every stored answer of the assessment, by subcategory id."""
        ...

    def all_of(self, assessment_ids: Sequence[int]) -> dict[int, dict[str, Answer]]:
        """The answers of several assessments (id -> subcategory id -> answer), in a fixed
        number of queries however many they are."""
        ...

    def score_rows_of(
        self, assessment_ids: Sequence[int]
    ) -> dict[int, dict[str, ScoreRow | tuple[Any, ...]]]:
        """What scoring reads of the answers of several assessments (id -> subcategory id ->
        stored values in ScoreRow's order, metrics as stored text), without building answers:
        for rescoring many (``domain.summaries``)."""
        ...

    def files_of(self, assessment_id: int) -> dict[str, tuple[str, int]]:
        """The stored files this assessment's answers cite: sha256 -> (file name, size)."""
        ...

    def file_hashes_in_use(self, excluding_assessment: int | None = None) -> set[str]: ...


class AnswerSaves(AnswerReads, Protocol):
    """Reading and saving answers (in a save unit)."""

    def version(self, assessment_id: int, subcategory_id: str) -> AnswerVersion:
        """The stored version of an answer (NO_VERSION: not stored)."""
        ...

    def review_state(self, assessment_id: int, subcategory_id: str) -> str | None:
        """The answer's review state as stored (None: none, a draft), read with the answer by
        ``get`` in this unit when it is stored (no further round trip)."""
        ...

    def put(self, assessment_id: int, answer: Answer, version: AnswerVersion | None = None) -> None:
        """Insert or update one answer and its evidence; ``version``: its new version (None:
        the stored one is kept)."""
        ...


class AnswerRecords(AnswerSaves, Protocol):
    """Reading and changing answers (in a write unit)."""

    def add_all(self, assessment_id: int, answers: Sequence[Answer]) -> None:
        """Insert the answers of a new assessment (import, copy, next cycle)."""
        ...


class HistoryReads(Protocol):
    def list(self, assessment_id: int, subcategory_id: str | None = None) -> list[HistoryEntry]:
        """The assessment's entries as stored (optionally of one subcategory), by seq."""
        ...

    def heads(self) -> dict[int, tuple[int, str]]:
        """The actual end of every assessment's history: id -> (count, hash of last seq)."""
        ...


class HistoryRecords(HistoryReads, Protocol):
    def append(self, assessment_id: int, entries: Sequence[HistoryEntry]) -> None:
        """Insert chained entries and move the stored chain head, in this unit."""
        ...


_Part = TypeVar("_Part")


class StoreReading(Protocol):
    """One read transaction: a consistent view of the database."""

    @property
    def assessments(self) -> AssessmentReads: ...

    @property
    def answers(self) -> AnswerReads: ...

    @property
    def history(self) -> HistoryReads: ...

    @property
    def connection(self) -> Any:
        """The unit's transaction as the persistence layer's other parts take it (the
        evidence store's ``hold``/``guard_removal``/``remove``; ``part``'s repositories)."""
        ...

    def part(self, kind: Callable[[Any], _Part]) -> _Part:
        """A further record kind's repository (``kind(connection)``) in this unit."""
        ...


class StoreSaving(StoreReading, Protocol):
    """One answer save: a write transaction limited to what saving answers changes (the
    engine's lightest), committed durably when its block ends, rolled back on any error."""

    @property
    def assessments(self) -> AssessmentSaves: ...

    @property
    def answers(self) -> AnswerSaves: ...

    @property
    def history(self) -> HistoryRecords: ...


class StoreWriting(StoreSaving, Protocol):
    """One write transaction: committed durably when its block ends, rolled back on any error."""

    @property
    def assessments(self) -> AssessmentRecords: ...

    @property
    def answers(self) -> AnswerRecords: ...


class AssessmentStore(Protocol):
    """Everything services read or write of assessments, answers, evidence and history.

    Contract (tests/store/): a unit is one transaction, committed durably on success and rolled
    back on any error; the store's errors are ``persistence.errors.DatabaseError`` (locked,
    read-only, unavailable: a message naming the database). Writers that name an assessment
    (``write(assessment_id=...)``, ``save(...)``) are serialised with every other writer of it
    for the whole unit (SQLite: BEGIN IMMEDIATE; a server: the assessment's row locked before
    anything is read), so its history chain never forks and no save fails for a race.
    """

    def read(self) -> AbstractContextManager[StoreReading]: ...

    def write(
        self, *, assessment_id: int | None = None, wait: bool = True
    ) -> AbstractContextManager[StoreWriting]:
        """A write unit; ``wait=False`` raises at once rather than wait for another
        program's lock (optional writes such as the score cache)."""
        ...

    def save(
        self, assessment_id: int | None, *, wait: bool = True
    ) -> AbstractContextManager[StoreSaving]:
        """The lightest write unit the engine has: answer saves (serialised with every writer
        of ``assessment_id``) and the score cache (``None``, ``wait=False``)."""
        ...

    def listen(self, on_change: Callable[[int | None], None]) -> ChangeListener | None:
        """Call ``on_change`` when another client commits a write (None: no such channel)."""
        ...

    def server_login(self) -> str | None:
        """The server's name for this session (None: an SQLite file has no logins)."""
        ...


def store_for(db: Database) -> AssessmentStore:
    """The store implementation for an open database: SQLite file or server."""
    if db.sqlite_path is not None:
        from app.persistence.sqlite_store import SQLiteStore

        return SQLiteStore(db)
    from app.persistence.server_store import ServerStore

    return ServerStore(db)


class PartCache:
    """``part`` for a unit whose further record kinds are built on ``self.connection``: each
    kind's repository made once per unit (``store.StoreReading.part``)."""

    connection: Any
    _parts: dict[Any, Any]

    def part(self, kind: Callable[[Any], _Part]) -> _Part:
        found = self._parts.get(kind)
        if found is None:
            found = self._parts[kind] = kind(self.connection)
        return found  # type: ignore[no-any-return]
