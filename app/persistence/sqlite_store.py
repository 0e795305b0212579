"""The store on an SQLite file (the embedded default), on the sqlite3 driver where it counts.

Reads run on the driver alone, in one read transaction (``Database.snapshot``): opening an
assessment is how the first screen is read at start-up, and SQLAlchemy costs as much to import
as the rest of that screen. The answer save runs on the driver alone too
(``Database.driver_write``: BEGIN IMMEDIATE ... COMMIT), so that a script's one-answer
``airmf answer`` does not import SQLAlchemy either. Values are converted exactly as the column
types convert them: the contract tests compare every read with the SQLAlchemy implementation's
(tests/store/test_store_units.py) and the bytes a save stores with the SQLAlchemy save path's
(tests/store/test_save_path.py). Other writes (create, import, finalize, ...) run through the
repositories (``server_store.RepositoryUnit``).

Columns are read by name (``SELECT *`` and the cursor's description) and written by the domain
models' field names, so no list of columns is kept beside the tables in ``rows``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar

from app.domain.assessment import Answer, Assessment, EvidenceItem, HistoryEntry
from app.domain.summaries import ScoreRow
from app.persistence.convert import to_answer, to_assessment, to_entry, to_evidence
from app.persistence.store import NO_VERSION, AnswerVersion, PartCache

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
_FIELD_VERSIONS = (
    "SELECT subcategory_id, version, field_versions FROM answers WHERE assessment_id = ?"
)
# The save's read of an answer, with its review state as stored (NULL: none, a draft), which
# an edit may move back (services.review.moved_by_edit): one statement, not two.
_ONE_ANSWER_TO_SAVE = (
    "SELECT *, (SELECT r.state FROM answer_reviews AS r "
    "WHERE r.assessment_id = answers.assessment_id "
    "AND r.subcategory_id = answers.subcategory_id) AS review_state "
    "FROM answers WHERE assessment_id = ? AND subcategory_id = ?"
)
_REVIEW_STATE = "SELECT state FROM answer_reviews WHERE assessment_id = ? AND subcategory_id = ?"
# A review state read with its answer but not yet handed out (DriverAnswerSaves.review_state).
_UNREAD: Any = object()
_EVIDENCE = (
    "SELECT e.answer_id, e.title, e.url, e.file_name, e.sha256, e.size, e.added_at, "
    "e.as_of, e.valid_until "
    "FROM evidence_items AS e JOIN answers AS a ON a.id = e.answer_id "
    "WHERE a.assessment_id IN ({}) ORDER BY e.answer_id, e.position"
)
_EVIDENCE_OF = (
    "SELECT title, url, file_name, sha256, size, added_at, as_of, valid_until "
    "FROM evidence_items "
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
        return self._answer(vars(rows[0])) if rows else None

    def _answer(self, stored: dict[str, Any]) -> Answer:
        """The answer of a stored row (``SELECT *``), with its evidence."""
        values = _answer_values(dict(stored))
        evidence = [
            to_evidence(
                title, url, file_name, sha256, size, _datetime(added_at), _date(as_of), _date(until)
            )
            for title, url, file_name, sha256, size, added_at, as_of, until in self.con.execute(
                _EVIDENCE_OF, (values["id"],)
            )
        ]
        return to_answer(SimpleNamespace(**values), evidence)

    def versions(self, assessment_id: int) -> dict[str, int]:
        return dict(self.con.execute(_VERSIONS, (assessment_id,)).fetchall())

    def field_versions(self, assessment_id: int) -> dict[str, AnswerVersion]:
        return {
            sub: AnswerVersion(number, dict(_json(fields) or {}))
            for sub, number, fields in self.con.execute(_FIELD_VERSIONS, (assessment_id,))
        }

    def all(self, assessment_id: int) -> dict[str, Answer]:
        return self.all_of([assessment_id])[assessment_id]

    def all_of(self, assessment_ids: Sequence[int]) -> dict[int, dict[str, Answer]]:
        ids = list(assessment_ids)
        answers: dict[int, dict[str, Answer]] = {aid: {} for aid in ids}
        if not ids:
            return answers
        marks = ", ".join("?" * len(ids))
        evidence: dict[int, list[EvidenceItem]] = {}
        for (
            answer_id,
            title,
            url,
            file_name,
            sha256,
            size,
            added_at,
            as_of,
            until,
        ) in self.con.execute(_EVIDENCE.format(marks), ids):
            evidence.setdefault(answer_id, []).append(
                to_evidence(
                    title,
                    url,
                    file_name,
                    sha256,
                    size,
                    _datetime(added_at),
                    _date(as_of),
                    _date(until),
                )
            )
        for row in _records(self.con.execute(_ANSWERS.format(marks), ids)):
            values = _answer_values(vars(row))
            answer = to_answer(SimpleNamespace(**values), evidence.get(values["id"], []))
            answers[values["assessment_id"]][answer.subcategory_id] = answer
        return answers

    def score_rows_of(
        self, assessment_ids: Sequence[int]
    ) -> dict[int, dict[str, ScoreRow | tuple[Any, ...]]]:
        ids = list(assessment_ids)
        out: dict[int, dict[str, ScoreRow | tuple[Any, ...]]] = {aid: {} for aid in ids}
        if ids:
            # Plain tuples in ScoreRow's order (Summarizer takes either): 100,000 answers.
            for row in self.con.execute(_SCORE_ROWS.format(", ".join("?" * len(ids))), ids):
                out[row[0]][row[1]] = row[2:]
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


# The save path's statements. The stored fields are the domain models' (an answer's but its
# key and evidence list, which has its own table): no list of columns beside them. Values are
# bound as the column types bind them (_bind); tests/store/test_save_path.py compares the
# stored bytes with the SQLAlchemy path's.
_ANSWER_FIELDS = tuple(f for f in Answer.model_fields if f not in ("subcategory_id", "evidence"))
_ANSWER_WRITES = (*_ANSWER_FIELDS, "version", "field_versions")
_EVIDENCE_FIELDS = tuple(EvidenceItem.model_fields)
_HISTORY_FIELDS = tuple(HistoryEntry.model_fields)
_INSERT_ANSWER = (
    f"INSERT INTO answers (assessment_id, subcategory_id, {', '.join(_ANSWER_WRITES)}) "
    f"VALUES ({', '.join('?' * (len(_ANSWER_WRITES) + 2))})"
)
_UPDATE_ANSWER = f"UPDATE answers SET {', '.join(f'{c} = ?' for c in _ANSWER_WRITES)} WHERE id = ?"
_DELETE_EVIDENCE = "DELETE FROM evidence_items WHERE answer_id = ?"
_INSERT_EVIDENCE = (
    f"INSERT INTO evidence_items (answer_id, position, {', '.join(_EVIDENCE_FIELDS)}) "
    f"VALUES ({', '.join('?' * (len(_EVIDENCE_FIELDS) + 2))})"
)
_INSERT_HISTORY = (
    f"INSERT INTO answer_history (assessment_id, {', '.join(_HISTORY_FIELDS)}) "
    f"VALUES ({', '.join('?' * (len(_HISTORY_FIELDS) + 1))})"
)
_SET_HEAD = "UPDATE assessments SET history_count = ?, history_head = ? WHERE id = ?"
_TOUCH = "UPDATE assessments SET updated_at = ?, summary = NULL WHERE id = ?"
_SET_SUMMARY = "UPDATE assessments SET summary = ? WHERE id = ? AND updated_at = ?"


def _bind(value: Any) -> Any:
    """A value as the column types store it: UTCDateTime (ISO 8601 in UTC, microseconds),
    Date (ISO), JSONText (sorted keys, compact, not ASCII-escaped), enums by value."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, enum.Enum):
        return value.value
    return value


class DriverAssessmentSaves(DriverAssessments):
    """``store.AssessmentSaves`` on the sqlite3 connection of a save."""

    def touch(self, assessment_id: int, now: dt.datetime) -> None:
        self.con.execute(_TOUCH, (_bind(now), assessment_id))

    def set_summaries(self, fresh: Sequence[tuple[int, dict[str, Any], dt.datetime]]) -> None:
        # Only where the assessment is as it was scored (its updated_at unchanged).
        self.con.executemany(
            _SET_SUMMARY, [(_bind(summary), aid, _bind(as_of)) for aid, summary, as_of in fresh]
        )


class DriverAnswerSaves(DriverAnswers):
    """``store.AnswerSaves`` on the sqlite3 connection of a save: ``get`` remembers the row,
    its evidence and its version for the ``version`` and ``put`` that follow."""

    def __init__(self, con: sqlite3.Connection) -> None:
        super().__init__(con)
        # None: read in this unit and not stored (``version`` and ``put`` need no query).
        self._loaded: dict[
            tuple[int, str], tuple[int, list[tuple[Any, ...]], AnswerVersion, str | None] | None
        ] = {}

    def get(self, assessment_id: int, subcategory_id: str) -> Answer | None:
        found = self.con.execute(_ONE_ANSWER_TO_SAVE, (assessment_id, subcategory_id))
        rows = list(_records(found))
        if not rows:
            self._loaded[(assessment_id, subcategory_id)] = None  # read: not stored
            return None
        values = vars(rows[0])
        review = values.pop("review_state")
        version = AnswerVersion(values["version"], dict(_json(values["field_versions"]) or {}))
        answer = self._answer(values)
        key = [tuple(_bind(getattr(e, f)) for f in _EVIDENCE_FIELDS) for e in answer.evidence]
        self._loaded[(assessment_id, subcategory_id)] = (values["id"], key, version, review)
        return answer

    def review_state(self, assessment_id: int, subcategory_id: str) -> str | None:
        key = (assessment_id, subcategory_id)
        found = self._loaded.get(key)
        if found is not None and found[3] is not _UNREAD:
            self._loaded[key] = (*found[:3], _UNREAD)
            return found[3]
        row = self.con.execute(_REVIEW_STATE, key).fetchone()
        return None if row is None else str(row[0])

    def version(self, assessment_id: int, subcategory_id: str) -> AnswerVersion:
        if (assessment_id, subcategory_id) not in self._loaded:
            self.get(assessment_id, subcategory_id)
        found = self._loaded.get((assessment_id, subcategory_id))
        return NO_VERSION if found is None else found[2]

    def put(self, assessment_id: int, answer: Answer, version: AnswerVersion | None = None) -> None:
        key = (assessment_id, answer.subcategory_id)
        if key not in self._loaded:
            self.get(assessment_id, answer.subcategory_id)
        found = self._loaded.get(key)
        if version is None:
            version = NO_VERSION if found is None else found[2]
        values = [_bind(getattr(answer, f)) for f in _ANSWER_FIELDS]
        values += [version.number, _bind(version.fields)]
        if found is None:
            cursor = self.con.execute(
                _INSERT_ANSWER, (assessment_id, answer.subcategory_id, *values)
            )
            answer_id, stored = cursor.lastrowid, []
            review = _UNREAD  # a review state may be stored before the answer: read it anew
        else:
            answer_id, stored, _, review = found
            self.con.execute(_UPDATE_ANSWER, (*values, answer_id))
        wanted = [tuple(_bind(getattr(e, f)) for f in _EVIDENCE_FIELDS) for e in answer.evidence]
        if wanted != stored:  # most saves do not touch evidence: keep its rows as they are
            if stored:
                self.con.execute(_DELETE_EVIDENCE, (answer_id,))
            self.con.executemany(
                _INSERT_EVIDENCE, [(answer_id, i, *item) for i, item in enumerate(wanted)]
            )
        assert answer_id is not None
        self._loaded[key] = (answer_id, wanted, version, review)


class DriverHistorySaves(DriverHistory):
    """``store.HistoryRecords`` on the sqlite3 connection of a save."""

    def append(self, assessment_id: int, entries: Sequence[HistoryEntry]) -> None:
        if not entries:
            return
        self.con.executemany(
            _INSERT_HISTORY,
            [(assessment_id, *(_bind(getattr(e, f)) for f in _HISTORY_FIELDS)) for e in entries],
        )
        last = entries[-1]
        self.con.execute(_SET_HEAD, (last.seq, last.entry_hash, assessment_id))


class DriverSaving(PartCache):
    """One answer save on the sqlite3 driver (``store.StoreSaving``); ``part`` builds a further
    kind's repository on the same sqlite3 connection (its transaction)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.connection = con
        self.assessments = DriverAssessmentSaves(con)
        self.answers = DriverAnswerSaves(con)
        self.history = DriverHistorySaves(con)
        self._parts: dict[Any, Any] = {}


class DriverReading:
    """One read transaction on the sqlite3 driver (``store.StoreReading``). ``part`` opens an
    SQLAlchemy read transaction (a Core connection) beside it on first use, for record kinds
    without driver reads."""

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
            if "connection" not in self._parts:
                self._parts["connection"] = self._stack.enter_context(self._db.read())
            found = self._parts[kind] = kind(self._parts["connection"])
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

        with self.db.write(wait=wait, assessment_id=assessment_id) as connection:
            yield RepositoryUnit(connection)

    @contextlib.contextmanager
    def save(self, assessment_id: int | None, *, wait: bool = True) -> Iterator[DriverSaving]:
        # On the driver alone (see Database.driver_write): BEGIN IMMEDIATE serialises it with
        # every other writer of the file before anything is read.
        with self.db.driver_write(wait=wait) as con:
            yield DriverSaving(con)

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
    values["genai_actions_in_place"] = _shared_json(values["genai_actions_in_place"])
    values["not_applicable"] = _bool(values["not_applicable"])
    values["flagged"] = _bool(values["flagged"])
    values["carried_over"] = _bool(values["carried_over"])
    values["due_date"] = _date(values["due_date"])
    values["updated_at"] = _datetime(values["updated_at"])
    return values


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@functools.lru_cache(maxsize=1024)
def _shared_json(text: str | None) -> Any:
    """``_json`` for small, often repeated texts; the caller must not change the result."""
    return _json(text)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _datetime(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)
