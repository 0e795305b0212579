"""The store on an SQLite file (the embedded default).

Reads run on the sqlite3 driver alone, in one read transaction (``Database.snapshot``): opening
an assessment is how the first screen is read at start-up, and SQLAlchemy costs as much to
import as the rest of that screen. Values are converted exactly as the column types convert
them (the contract tests compare every read with the SQLAlchemy implementation's). Writes run
through the repositories (``server_store.RepositoryUnit``), the answer save path on statements
compiled once and run on the driver (``compiled``); SQLAlchemy is imported for the first write.

Columns are read by name (``SELECT *`` and the cursor's description), so no column list is kept
beside the table definitions in ``rows``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar

from app.domain.assessment import Answer, Assessment, EvidenceItem, HistoryEntry
from app.domain.summaries import ScoreRow
from app.persistence.convert import to_answer, to_assessment, to_entry, to_evidence

if TYPE_CHECKING:
    from app.persistence.database import Database
    from app.persistence.notifications import ChangeListener
    from app.persistence.server_store import RepositoryUnit

_Part = TypeVar("_Part")

_ASSESSMENTS = "SELECT * FROM assessments"
_BY_ID = f"{_ASSESSMENTS} WHERE id = ?"
_LIST = f"{_ASSESSMENTS} ORDER BY updated_at DESC, id DESC"
_BY_SYSTEM = f"{_ASSESSMENTS} WHERE ai_system = ? ORDER BY created_at, id"
_LATER = f"{_ASSESSMENTS} WHERE previous_id = ? ORDER BY id"
# {} : the placeholders of the assessment ids read.
_ANSWERS = "SELECT * FROM answers WHERE assessment_id IN ({}) ORDER BY id"
# The values scoring reads (domain.summaries.ScoreRow), in its order; booleans stay 0/1.
_SCORE_ROWS = (
    "SELECT assessment_id, subcategory_id, metrics, level, not_applicable, target, "
    "carried_over FROM answers WHERE assessment_id IN ({})"
)
_ONE_ANSWER = "SELECT * FROM answers WHERE assessment_id = ? AND subcategory_id = ?"
_VERSIONS = "SELECT subcategory_id, version FROM answers WHERE assessment_id = ?"
_EVIDENCE = (
    "SELECT e.answer_id, e.title, e.url, e.file_name, e.sha256, e.size, e.added_at "
    "FROM evidence_items AS e JOIN answers AS a ON a.id = e.answer_id "
    "WHERE a.assessment_id IN ({}) ORDER BY e.answer_id, e.position"
)
_EVIDENCE_OF = (
    "SELECT title, url, file_name, sha256, size, added_at FROM evidence_items "
    "WHERE answer_id = ? ORDER BY position"
)
_FILES_OF = (
    "SELECT e.sha256, e.file_name, e.size FROM evidence_items AS e "
    "JOIN answers AS a ON a.id = e.answer_id "
    "WHERE a.assessment_id = ? AND e.sha256 != '' ORDER BY e.file_name"
)
_HASHES = "SELECT e.sha256 FROM evidence_items AS e WHERE e.sha256 != ''"
_HASHES_EXCEPT = (
    "SELECT e.sha256 FROM evidence_items AS e JOIN answers AS a ON a.id = e.answer_id "
    "WHERE e.sha256 != '' AND a.assessment_id != ?"
)
_HISTORY = (
    "SELECT seq, subcategory_id, field, old, new, actor, at, prev_hash, entry_hash "
    "FROM answer_history WHERE assessment_id = ?"
)
_HEADS = (
    "SELECT h.assessment_id, e.n, h.entry_hash FROM answer_history AS h JOIN ("
    "SELECT assessment_id, count(*) AS n, max(seq) AS last FROM answer_history "
    "GROUP BY assessment_id) AS e ON h.assessment_id = e.assessment_id AND h.seq = e.last"
)


def _records(cursor: sqlite3.Cursor) -> Iterator[SimpleNamespace]:
    """The cursor's rows as objects with the columns' names as attributes."""
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield SimpleNamespace(**dict(zip(names, row, strict=True)))


class DriverAssessments:
    """``store.AssessmentReads`` on a sqlite3 connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def _many(self, sql: str, params: Sequence[Any] = ()) -> list[Assessment]:
        return [to_assessment(r, raw=True) for r in _records(self.con.execute(sql, params))]

    def get(self, assessment_id: int) -> Assessment | None:
        found = self._many(_BY_ID, (assessment_id,))
        return found[0] if found else None

    def get_with_history_head(
        self, assessment_id: int
    ) -> tuple[Assessment, tuple[int, str] | None] | None:
        found = self.get(assessment_id)
        if found is None:
            return None
        return found, (found.history_count, found.history_head) if found.history_count else None

    def uid_exists(self, uid: str) -> bool:
        found = self.con.execute("SELECT 1 FROM assessments WHERE uid = ?", (uid,))
        return found.fetchone() is not None

    def list(self) -> list[Assessment]:
        return self._many(_LIST)

    def list_with_summaries(self) -> list[tuple[Assessment, str | None]]:
        return [(to_assessment(r, raw=True), r.summary) for r in _records(self.con.execute(_LIST))]

    def by_system(self, ai_system: str) -> list[Assessment]:
        return self._many(_BY_SYSTEM, (ai_system,))

    def later_cycles(self, assessment_id: int) -> list[Assessment]:
        return self._many(_LATER, (assessment_id,))


class DriverAnswers:
    """``store.AnswerReads`` on a sqlite3 connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def get(self, assessment_id: int, subcategory_id: str) -> Answer | None:
        rows = list(_records(self.con.execute(_ONE_ANSWER, (assessment_id, subcategory_id))))
        if not rows:
            return None
        values = _answer_values(vars(rows[0]))
        evidence = [
            to_evidence(title, url, file_name, sha256, size, _datetime(added_at))
            for title, url, file_name, sha256, size, added_at in self.con.execute(
                _EVIDENCE_OF, (values["id"],)
            )
        ]
        return to_answer(SimpleNamespace(**values), evidence)

    def versions(self, assessment_id: int) -> dict[str, int]:
        return dict(self.con.execute(_VERSIONS, (assessment_id,)).fetchall())

    def all(self, assessment_id: int) -> dict[str, Answer]:
        return self.all_of([assessment_id])[assessment_id]

    def all_of(self, assessment_ids: Sequence[int]) -> dict[int, dict[str, Answer]]:
        ids = list(assessment_ids)
        answers: dict[int, dict[str, Answer]] = {aid: {} for aid in ids}
        if not ids:
            return answers
        marks = ", ".join("?" * len(ids))
        evidence: dict[int, list[EvidenceItem]] = {}
        for answer_id, title, url, file_name, sha256, size, added_at in self.con.execute(
            _EVIDENCE.format(marks), ids
        ):
            evidence.setdefault(answer_id, []).append(
                to_evidence(title, url, file_name, sha256, size, _datetime(added_at))
            )
        for row in _records(self.con.execute(_ANSWERS.format(marks), ids)):
            values = _answer_values(vars(row))
            answer = to_answer(SimpleNamespace(**values), evidence.get(values["id"], []))
            answers[values["assessment_id"]][answer.subcategory_id] = answer
        return answers

    def score_rows_of(self, assessment_ids: Sequence[int]) -> dict[int, dict[str, ScoreRow]]:
        ids = list(assessment_ids)
        out: dict[int, dict[str, ScoreRow]] = {aid: {} for aid in ids}
        if ids:
            make = ScoreRow._make
            for aid, sub, *values in self.con.execute(
                _SCORE_ROWS.format(", ".join("?" * len(ids))), ids
            ):
                out[aid][sub] = make(values)
        return out

    def files_of(self, assessment_id: int) -> dict[str, tuple[str, int]]:
        rows = self.con.execute(_FILES_OF, (assessment_id,))
        return {sha: (name, size) for sha, name, size in rows}

    def file_hashes_in_use(self, excluding_assessment: int | None = None) -> set[str]:
        if excluding_assessment is None:
            return {sha for (sha,) in self.con.execute(_HASHES)}
        return {sha for (sha,) in self.con.execute(_HASHES_EXCEPT, (excluding_assessment,))}


class DriverHistory:
    """``store.HistoryReads`` on a sqlite3 connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def list(self, assessment_id: int, subcategory_id: str | None = None) -> list[HistoryEntry]:
        if subcategory_id is None:
            rows = self.con.execute(f"{_HISTORY} ORDER BY seq", (assessment_id,))
        else:
            rows = self.con.execute(
                f"{_HISTORY} AND subcategory_id = ? ORDER BY seq", (assessment_id, subcategory_id)
            )
        return [
            to_entry(
                SimpleNamespace(
                    seq=seq,
                    subcategory_id=sub,
                    field=field,
                    old=old,
                    new=new,
                    actor=actor,
                    at=dt.datetime.fromisoformat(at),
                    prev_hash=prev,
                    entry_hash=digest,
                )
            )
            for seq, sub, field, old, new, actor, at, prev, digest in rows
        ]

    def heads(self) -> dict[int, tuple[int, str]]:
        return {aid: (n, digest) for aid, n, digest in self.con.execute(_HEADS)}


class DriverReading:
    """One read transaction on the sqlite3 driver (``store.StoreReading``). ``part`` opens an
    SQLAlchemy read session beside it on first use, for record kinds without driver reads."""

    def __init__(self, con: sqlite3.Connection, db: Database) -> None:
        self.connection = con
        self.assessments = DriverAssessments(con)
        self.answers = DriverAnswers(con)
        self.history = DriverHistory(con)
        self._db = db
        self._stack = contextlib.ExitStack()
        self._parts: dict[Any, Any] = {}

    def part(self, kind: Callable[[Any], _Part]) -> _Part:
        found = self._parts.get(kind)
        if found is None:
            if "session" not in self._parts:
                self._parts["session"] = self._stack.enter_context(self._db.read())
            found = self._parts[kind] = kind(self._parts["session"])
        return found  # type: ignore[no-any-return]

    def close(self) -> None:
        self._stack.close()


class SQLiteStore:
    """``store.AssessmentStore`` on an SQLite file."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextlib.contextmanager
    def read(self) -> Iterator[DriverReading]:
        with self.db.snapshot() as con:
            assert con is not None  # an SQLite file always has one
            unit = DriverReading(con, self.db)
            try:
                yield unit
            finally:
                unit.close()

    @contextlib.contextmanager
    def write(
        self, *, assessment_id: int | None = None, wait: bool = True
    ) -> Iterator[RepositoryUnit]:
        # BEGIN IMMEDIATE takes the file's one write lock: every writer is serialised.
        from app.persistence.server_store import RepositoryUnit

        with self.db.write(wait=wait, assessment_id=assessment_id) as session:
            yield RepositoryUnit(session)

    @contextlib.contextmanager
    def save(self, assessment_id: int) -> Iterator[RepositoryUnit]:
        from app.persistence.server_store import RepositoryUnit

        with self.db.write_connection(assessment_id) as connection:
            yield RepositoryUnit(connection)

    def listen(self, on_change: Callable[[int | None], None]) -> ChangeListener | None:
        return None  # a file has no change channel

    def server_login(self) -> str | None:
        return None


def _answer_values(values: dict[str, Any]) -> dict[str, Any]:
    """Stored text to values, as the column types (JSONText, Boolean, Date, UTCDateTime) do."""
    # Decoded once per distinct text: a database holds a few dozen metric combinations and
    # action lists across ~115,000 answers. Shared values: to_answer copies them.
    values["metrics"] = _shared_json(values["metrics"])
    values["actions_in_place"] = _shared_json(values["actions_in_place"])
    values["not_applicable"] = _bool(values["not_applicable"])
    values["flagged"] = _bool(values["flagged"])
    values["carried_over"] = _bool(values["carried_over"])
    due = values["due_date"]
    values["due_date"] = None if due is None else dt.date.fromisoformat(due)
    values["updated_at"] = _datetime(values["updated_at"])
    return values


@functools.lru_cache(maxsize=1024)
def _shared_json(text: str | None) -> Any:
    """Decoded JSON for small, often repeated texts; the caller must not change the result."""
    return None if text is None else json.loads(text)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _datetime(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)
