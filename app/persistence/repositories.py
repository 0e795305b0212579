"""Repositories: the only code that turns rows into domain models and back.

Every repository runs SQLAlchemy Core statements on the tables of ``rows`` (no ORM: the
declarative classes there define the schema for Alembic and the schema check), in the unit's
transaction: a Core ``Connection`` (``Database.read``/``write``) or the save path's
``compiled.DriverTransaction`` (``Database.write_connection``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Text, bindparam, delete, func, insert, select, type_coerce, update
from sqlalchemy.engine import Connection

from app.domain.assessment import (
    Answer,
    Assessment,
    AssessmentMeta,
    EvidenceItem,
    HistoryEntry,
    Origin,
    Status,
)
from app.domain.summaries import ScoreRow
from app.persistence.compiled import Runner, Statement
from app.persistence.convert import to_answer, to_assessment, to_entry, to_evidence
from app.persistence.review_rows import AnswerReviewRow
from app.persistence.rows import AnswerRow, AssessmentRow, EvidenceRow, HistoryRow
from app.persistence.store import NO_VERSION, AnswerVersion

__all__ = [
    "NO_VERSION",  # defined in store (no SQLAlchemy there); kept importable from here
    "AnswerRepository",
    "AnswerVersion",
    "AssessmentRepository",
    "HistoryRepository",
]

# Saving an answer is the hot path of the app (every click). On a server it runs Core
# statements compiled once and executed on the DBAPI connection (compiled.Statement), in the
# driver-level transaction of the store's save unit (Database.write_connection): a fraction of
# the cost of SQLAlchemy's Core execution. (An SQLite file's save runs in sqlite_store on the
# driver alone.) Other paths execute Core statements on the unit's Connection.
_ASSESSMENTS = AssessmentRow.__table__
_ANSWERS = AnswerRow.__table__
_EVIDENCE = EvidenceRow.__table__
_HISTORY = HistoryRow.__table__
_REVIEWS = AnswerReviewRow.__table__
# An answer's review state as stored (NULL: none stored, a draft), read with the answer.
REVIEW_STATE_OF_ANSWER = (
    select(_REVIEWS.c.state)
    .where(
        _REVIEWS.c.assessment_id == _ANSWERS.c.assessment_id,
        _REVIEWS.c.subcategory_id == _ANSWERS.c.subcategory_id,
    )
    .scalar_subquery()
    .label("review_state")
)
# What a save writes of an answer / an evidence item: the table's columns but the keys (and,
# for answers, the version columns, which are not fields of the domain Answer: the save path
# writes them beside these). Taken from the tables, so a new column needs no second list.
ANSWER_VERSION_COLUMNS = ("version", "field_versions")
ANSWER_VALUES = tuple(
    c.name
    for c in _ANSWERS.columns
    if c.name not in ("id", "assessment_id", "subcategory_id", *ANSWER_VERSION_COLUMNS)
)
EVIDENCE_VALUES = tuple(
    c.name for c in _EVIDENCE.columns if c.name not in ("id", "answer_id", "position")
)
_HISTORY_VALUES = (
    "assessment_id",
    "seq",
    "subcategory_id",
    "field",
    "old",
    "new",
    "actor",
    "at",
    "prev_hash",
    "entry_hash",
)


def _insert(table: Any, names: Sequence[str]) -> Statement:
    """An insert of exactly these columns (every value given by the caller)."""
    return Statement(insert(table).values({name: bindparam(name) for name in names}))


_GET_ASSESSMENT = Statement(select(_ASSESSMENTS).where(_ASSESSMENTS.c.id == bindparam("aid")))
_TOUCH_ASSESSMENT = Statement(
    update(_ASSESSMENTS)
    .where(_ASSESSMENTS.c.id == bindparam("aid"))
    .values(updated_at=bindparam("now"), summary=None)
)
# One round trip for an answer, its evidence (a LEFT JOIN: one row per evidence item) and its
# review state (which an edit may move back: services.review.moved_by_edit).
_GET_ANSWER = Statement(
    select(
        _ANSWERS,
        REVIEW_STATE_OF_ANSWER,
        _EVIDENCE.c.id.label("ev_id"),
        *(_EVIDENCE.c[f].label(f"ev_{f}") for f in EVIDENCE_VALUES),
    )
    .select_from(_ANSWERS.outerjoin(_EVIDENCE, _EVIDENCE.c.answer_id == _ANSWERS.c.id))
    .where(
        _ANSWERS.c.assessment_id == bindparam("aid"),
        _ANSWERS.c.subcategory_id == bindparam("sub"),
    )
    .order_by(_EVIDENCE.c.position)
)
_ANSWER_WRITES = (*ANSWER_VALUES, *ANSWER_VERSION_COLUMNS)
_INSERT_ANSWER = _insert(_ANSWERS, ("assessment_id", "subcategory_id", *_ANSWER_WRITES))
# The version columns are set in the same statement as the fields: no extra round trip.
_UPDATE_ANSWER = Statement(
    update(_ANSWERS)
    .where(_ANSWERS.c.id == bindparam("answer_id"))
    .values({name: bindparam(name) for name in _ANSWER_WRITES})
)
_ANSWER_VERSIONS = Statement(
    select(_ANSWERS.c.subcategory_id, _ANSWERS.c.version).where(
        _ANSWERS.c.assessment_id == bindparam("aid")
    )
)
_DELETE_EVIDENCE = Statement(
    delete(_EVIDENCE).where(_EVIDENCE.c.answer_id == bindparam("answer_id"))
)
_INSERT_EVIDENCE = _insert(_EVIDENCE, ("answer_id", "position", *EVIDENCE_VALUES))
_INSERT_HISTORY = _insert(_HISTORY, _HISTORY_VALUES)
# The chain head stored with the assessment, moved in the transaction of every append.
_SET_HISTORY_HEAD = Statement(
    update(_ASSESSMENTS)
    .where(_ASSESSMENTS.c.id == bindparam("aid"))
    .values(history_count=bindparam("count"), history_head=bindparam("head"))
)


def _connection(connection: Runner) -> Runner:
    """The unit's connection as is (kept for the repositories built on it elsewhere)."""
    return connection


# The list reads plain text (no per-value type processing); to_assessment(raw=True) converts.
_LIST_ASSESSMENTS = "SELECT * FROM assessments ORDER BY updated_at DESC, id DESC"


def _evidence_values(key: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(EVIDENCE_VALUES, key, strict=True))


def _evidence_key(items: Sequence[EvidenceItem]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(e, f) for f in EVIDENCE_VALUES) for e in items]


def _answer_columns(answer: Answer) -> dict[str, Any]:
    """An answer's stored columns but the keys and versions, as the column types take them."""
    values = {name: getattr(answer, name) for name in ANSWER_VALUES}
    values["metrics"] = dict(answer.metrics)
    values["actions_in_place"] = list(answer.actions_in_place)
    values["genai_actions_in_place"] = list(answer.genai_actions_in_place)
    status = answer.evidence_status
    values["evidence_status"] = status.value if status else None
    return values


class AssessmentRepository:
    """Assessments. The methods of the save path (get_with_history_head, touch;
    AnswerRepository.get and put; HistoryRepository.append) also run on the save path's
    driver transaction (``compiled.DriverTransaction``); the others need a Core Connection."""

    def __init__(self, connection: Runner) -> None:
        self.connection = connection

    def add(
        self,
        meta: AssessmentMeta,
        *,
        uid: str,
        framework_version: str,
        now: dt.datetime,
        status: Status = Status.DRAFT,
        created_at: dt.datetime | None = None,
        finalized_by: str = "",
        finalized_role: str = "",
        finalized_statement: str = "",
        finalized_at: dt.datetime | None = None,
        fingerprint: str = "",
        previous_id: int | None = None,
        origin: Origin = Origin.ORIGINAL,
        copy_of: str = "",
    ) -> Assessment:
        values = {
            "uid": uid,
            "framework_version": framework_version,
            "status": status.value,
            "created_at": created_at or now,
            "updated_at": now,
            "finalized_by": finalized_by,
            "finalized_role": finalized_role,
            "finalized_statement": finalized_statement,
            "finalized_at": finalized_at,
            "fingerprint": fingerprint,
            "previous_id": previous_id,
            "origin": origin.value,
            "copy_of": copy_of,
            **self._meta_columns(meta),
        }
        result = self._core().execute(insert(_ASSESSMENTS).values(values))
        (new_id,) = result.inserted_primary_key  # type: ignore[misc]
        created = self.get(new_id)
        assert created is not None  # inserted in this transaction
        return created

    def _core(self) -> Connection:
        """The unit's Core connection (the save path's driver transaction has none: only the
        save path's methods run there)."""
        assert isinstance(self.connection, Connection), "not a method of the save path"
        return self.connection

    @staticmethod
    def _meta_columns(meta: AssessmentMeta) -> dict[str, object]:
        return {
            "name": meta.name,
            "ai_system": meta.ai_system,
            "organization": meta.organization,
            "scope": meta.scope,
            "assessor": meta.assessor,
            "framework_id": meta.framework_id,
            "scheme_id": meta.scheme_id,
            "default_target": meta.default_target,
            "profiles": [p.model_dump(mode="json") for p in meta.profiles],
        }

    def get(self, assessment_id: int) -> Assessment | None:
        rows = _GET_ASSESSMENT.rows(self.connection, {"aid": assessment_id})
        return to_assessment(rows[0]) if rows else None

    def get_with_history_head(
        self, assessment_id: int
    ) -> tuple[Assessment, tuple[int, str] | None] | None:
        """The assessment and the (seq, hash) of its history's head as stored with it (None:
        no history). New entries continue from the stored head, never from whatever entries
        are left in the table: entries deleted behind the app's back stay a visible gap."""
        found = self.get(assessment_id)
        if found is None:
            return None
        head = (found.history_count, found.history_head) if found.history_count else None
        return found, head

    def uid_exists(self, uid: str) -> bool:
        stmt = select(func.count()).select_from(_ASSESSMENTS).where(_ASSESSMENTS.c.uid == uid)
        return bool(self._core().execute(stmt).scalar())

    def list(self) -> list[Assessment]:
        return [a for a, _ in self.list_with_summaries()]

    def list_with_summaries(self) -> list[tuple[Assessment, str | None]]:
        """All assessments, most recently changed first, with their cached score summary as
        stored (JSON text; None: stale). The caller decodes it (and may keep decoded ones)."""
        # Plain tuples, not typed rows: a list of thousands skips the per-value type
        # processing (converted in to_assessment).
        rows = self._core().exec_driver_sql(_LIST_ASSESSMENTS)
        return [(to_assessment(r, raw=True), r.summary) for r in rows]

    def by_system(self, ai_system: str) -> list[Assessment]:
        """The cycles of one AI system, oldest first (uses the ai_system index)."""
        rows = self._core().execute(
            select(_ASSESSMENTS)
            .where(_ASSESSMENTS.c.ai_system == ai_system)
            .order_by(_ASSESSMENTS.c.created_at, _ASSESSMENTS.c.id)
        )
        return [to_assessment(r) for r in rows]

    def set_summary(
        self, assessment_id: int, summary: dict[str, Any], computed_for: dt.datetime
    ) -> None:
        """Cache a summary computed from the state as of ``computed_for`` (its updated_at).

        If the assessment changed since (another save committed in between), the cache stays
        empty rather than holding an outdated score.
        """
        self.set_summaries([(assessment_id, summary, computed_for)])

    def set_summaries(self, fresh: Sequence[tuple[int, dict[str, Any], dt.datetime]]) -> None:
        """``set_summary`` for many (assessment id, summary, computed_for) in one statement
        run for each."""
        if not fresh:
            return
        self._core().execute(
            update(_ASSESSMENTS)
            .where(
                _ASSESSMENTS.c.id == bindparam("aid"),
                _ASSESSMENTS.c.updated_at
                == bindparam("as_of", type_=_ASSESSMENTS.c.updated_at.type),
            )
            .values(summary=bindparam("summary", type_=_ASSESSMENTS.c.summary.type)),
            [{"aid": aid, "summary": summary, "as_of": as_of} for aid, summary, as_of in fresh],
        )

    def update(self, assessment_id: int, now: dt.datetime, **columns: object) -> Assessment:
        """Set stored columns (by name, as the table names them); marks the assessment changed
        at ``now`` (its cached summary is stale). KeyError: no such assessment."""
        done = self._core().execute(
            update(_ASSESSMENTS)
            .where(_ASSESSMENTS.c.id == assessment_id)
            .values({**columns, "updated_at": now, "summary": None})
        )
        if not done.rowcount:
            raise KeyError(assessment_id)
        found = self.get(assessment_id)
        assert found is not None  # updated in this transaction
        return found

    def update_meta(self, assessment_id: int, meta: AssessmentMeta, now: dt.datetime) -> Assessment:
        return self.update(assessment_id, now, **self._meta_columns(meta))

    def set_last_subcategory(self, assessment_id: int, subcategory_id: str) -> None:
        # Not a change of the assessment's content: updated_at and the summary stay.
        self._core().execute(
            update(_ASSESSMENTS)
            .where(_ASSESSMENTS.c.id == assessment_id)
            .values(last_subcategory=subcategory_id)
        )

    def touch(self, assessment_id: int, now: dt.datetime) -> None:
        """Mark the assessment changed (its cached summary is stale)."""
        _TOUCH_ASSESSMENT.run(self.connection, {"aid": assessment_id, "now": now})

    def later_cycles(self, assessment_id: int) -> list[Assessment]:
        """The assessments started as the next cycle of this one (their ``previous_id``)."""
        rows = self._core().execute(
            select(_ASSESSMENTS)
            .where(_ASSESSMENTS.c.previous_id == assessment_id)
            .order_by(_ASSESSMENTS.c.id)
        )
        return [to_assessment(r) for r in rows]

    def delete(self, assessment_id: int) -> bool:
        """Delete the assessment; its answers, evidence, history and other records go with it
        (the schema's ON DELETE CASCADE)."""
        done = self._core().execute(delete(_ASSESSMENTS).where(_ASSESSMENTS.c.id == assessment_id))
        return bool(done.rowcount)


# A review state read with its answer but not yet handed out (see AnswerRepository.review_state).
_UNREAD: Any = object()
_GET_REVIEW_STATE = Statement(
    select(_REVIEWS.c.state).where(
        _REVIEWS.c.assessment_id == bindparam("aid"),
        _REVIEWS.c.subcategory_id == bindparam("sub"),
    )
)
_FIELD_VERSIONS = Statement(
    select(_ANSWERS.c.subcategory_id, _ANSWERS.c.version, _ANSWERS.c.field_versions).where(
        _ANSWERS.c.assessment_id == bindparam("aid")
    )
)


class AnswerRepository:
    def __init__(self, connection: Runner) -> None:
        self.connection = connection
        # Answers read in this unit of work: row id, evidence, version and review state as
        # stored, for version(), put() and review_state().
        # None: read in this unit and not stored (``version`` and ``put`` need no query).
        self._loaded: dict[
            tuple[int, str], tuple[int, list[tuple[Any, ...]], AnswerVersion, str | None] | None
        ] = {}

    def _core(self) -> Connection:
        assert isinstance(self.connection, Connection), "not a method of the save path"
        return self.connection

    def get(self, assessment_id: int, subcategory_id: str) -> Answer | None:
        rows = _GET_ANSWER.rows(self.connection, {"aid": assessment_id, "sub": subcategory_id})
        if not rows:
            self._loaded[(assessment_id, subcategory_id)] = None  # read: not stored
            return None
        evidence = [
            to_evidence(*(getattr(r, f"ev_{f}") for f in EVIDENCE_VALUES))
            for r in rows
            if r.ev_id is not None
        ]
        first = rows[0]
        version = AnswerVersion(first.version, dict(first.field_versions or {}))
        self._loaded[(assessment_id, subcategory_id)] = (
            first.id,
            _evidence_key(evidence),
            version,
            first.review_state,
        )
        return to_answer(first, evidence)

    def version(self, assessment_id: int, subcategory_id: str) -> AnswerVersion:
        """The stored version of an answer read by ``get`` in this unit of work (no query);
        NO_VERSION for an answer not stored."""
        if (assessment_id, subcategory_id) not in self._loaded:
            self.get(assessment_id, subcategory_id)
        found = self._loaded.get((assessment_id, subcategory_id))
        return NO_VERSION if found is None else found[2]

    def review_state(self, assessment_id: int, subcategory_id: str) -> str | None:
        """The answer's review state as stored (None: none stored, a draft): as ``get`` read
        it with the answer in this unit (no query), once; read anew when the answer was not
        stored, or when asked again (the caller may have changed it since)."""
        key = (assessment_id, subcategory_id)
        found = self._loaded.get(key)
        if found is not None and found[3] is not _UNREAD:
            self._loaded[key] = (*found[:3], _UNREAD)
            return found[3]
        rows = _GET_REVIEW_STATE.rows(
            self.connection, {"aid": assessment_id, "sub": subcategory_id}
        )
        return rows[0].state if rows else None

    def versions(self, assessment_id: int) -> dict[str, int]:
        """Subcategory id -> version number of every stored answer of the assessment."""
        rows = _ANSWER_VERSIONS.rows(self.connection, {"aid": assessment_id})
        return {r.subcategory_id: r.version for r in rows}

    def field_versions(self, assessment_id: int) -> dict[str, AnswerVersion]:
        """Subcategory id -> version (with the version that last changed each field) of every
        stored answer of the assessment."""
        rows = _FIELD_VERSIONS.rows(self.connection, {"aid": assessment_id})
        return {
            r.subcategory_id: AnswerVersion(r.version, dict(r.field_versions or {})) for r in rows
        }

    def all(self, assessment_id: int) -> dict[str, Answer]:
        """Every stored answer of the assessment with its evidence, by subcategory id."""
        return self.all_of([assessment_id])[assessment_id]

    def all_of(self, assessment_ids: Sequence[int]) -> dict[int, dict[str, Answer]]:
        """The answers of several assessments (id -> subcategory id -> answer), in two
        queries however many they are (rescoring a list after an upgrade reads every answer
        of the database)."""
        ids = list(assessment_ids)
        out: dict[int, dict[str, Answer]] = {aid: {} for aid in ids}
        if not ids:
            return out
        conn = self._core()
        evidence: dict[int, list[EvidenceItem]] = {}
        for e in conn.execute(
            select(_EVIDENCE)
            .join(_ANSWERS, _ANSWERS.c.id == _EVIDENCE.c.answer_id)
            .where(_ANSWERS.c.assessment_id.in_(ids))
            .order_by(_EVIDENCE.c.answer_id, _EVIDENCE.c.position)
        ):
            evidence.setdefault(e.answer_id, []).append(
                to_evidence(*(e._mapping[f] for f in EVIDENCE_VALUES))
            )
        for r in conn.execute(
            select(_ANSWERS).where(_ANSWERS.c.assessment_id.in_(ids)).order_by(_ANSWERS.c.id)
        ):
            out[r.assessment_id][r.subcategory_id] = to_answer(r, evidence.get(r.id, []))
        return out

    def score_rows_of(
        self, assessment_ids: Sequence[int]
    ) -> dict[int, dict[str, ScoreRow | tuple[Any, ...]]]:
        """What scoring reads of the answers of several assessments (see store.AnswerReads),
        the metrics as their stored text."""
        ids = list(assessment_ids)
        out: dict[int, dict[str, ScoreRow | tuple[Any, ...]]] = {aid: {} for aid in ids}
        if not ids:
            return out
        c = _ANSWERS.c
        rows = self._core().execute(
            select(
                c.assessment_id,
                c.subcategory_id,
                type_coerce(c.metrics, Text),  # the text as stored: decoded once per value
                c.level,
                c.not_applicable,
                c.target,
                c.carried_over,
            ).where(c.assessment_id.in_(ids))
        )
        # Fetched at once (iterating fetches row by row) as plain tuples in ScoreRow's order.
        for row in rows.all():
            out[row[0]][row[1]] = tuple(row[2:])
        return out

    def put(self, assessment_id: int, answer: Answer, version: AnswerVersion | None = None) -> None:
        """Insert or update one answer; its evidence rows are replaced only if they changed.

        ``version``: the answer's new version (None: the one stored is kept).
        """
        key = (assessment_id, answer.subcategory_id)
        if key not in self._loaded:
            self.get(assessment_id, answer.subcategory_id)
        conn = self.connection
        values = _answer_columns(answer)
        found = self._loaded.get(key)
        if version is None:
            version = NO_VERSION if found is None else found[2]
        values["version"] = version.number
        values["field_versions"] = version.fields
        if found is None:
            answer_id = _INSERT_ANSWER.run(
                conn,
                {"assessment_id": assessment_id, "subcategory_id": answer.subcategory_id, **values},
            )
            stored: list[tuple[Any, ...]] = []
            review = _UNREAD  # a review state may be stored before the answer: read it anew
        else:
            answer_id, stored, _, review = found
            _UPDATE_ANSWER.run(conn, {"answer_id": answer_id, **values})
        wanted = _evidence_key(answer.evidence)
        if wanted != stored:  # most saves do not touch evidence: keep its rows as they are
            if stored:
                _DELETE_EVIDENCE.run(conn, {"answer_id": answer_id})
            if wanted:
                _INSERT_EVIDENCE.run_many(
                    conn,
                    [
                        {"answer_id": answer_id, "position": i, **_evidence_values(e)}
                        for i, e in enumerate(wanted)
                    ],
                )
        assert answer_id is not None
        self._loaded[key] = (answer_id, wanted, version, review)

    def add_all(self, assessment_id: int, answers: Sequence[Answer]) -> None:
        """Insert the answers of a new assessment (import, copy, next cycle): one insert of
        all answers, then one of all their evidence (at version 0, as a new answer)."""
        if not answers:
            return
        conn = self._core()
        conn.execute(
            insert(_ANSWERS),
            [
                {
                    "assessment_id": assessment_id,
                    "subcategory_id": a.subcategory_id,
                    **_answer_columns(a),
                    "version": NO_VERSION.number,
                    "field_versions": dict(NO_VERSION.fields),
                }
                for a in answers
            ],
        )
        cited = {a.subcategory_id: a.evidence for a in answers if a.evidence}
        if not cited:
            return
        ids = dict(
            conn.execute(
                select(_ANSWERS.c.subcategory_id, _ANSWERS.c.id).where(
                    _ANSWERS.c.assessment_id == assessment_id,
                    _ANSWERS.c.subcategory_id.in_(list(cited)),
                )
            ).all()
        )
        conn.execute(
            insert(_EVIDENCE),
            [
                {"answer_id": ids[sub], "position": i, **_evidence_values(item)}
                for sub, items in cited.items()
                for i, item in enumerate(_evidence_key(items))
            ],
        )

    def files_of(self, assessment_id: int) -> dict[str, tuple[str, int]]:
        """The stored files this assessment's answers cite: sha256 -> (file name, size)."""
        e = _EVIDENCE.c
        rows = self._core().execute(
            select(e.sha256, e.file_name, e.size)
            .join(_ANSWERS, e.answer_id == _ANSWERS.c.id)
            .where(_ANSWERS.c.assessment_id == assessment_id, e.sha256 != "")
            .order_by(e.file_name)
        )
        return {sha: (name, size) for sha, name, size in rows}

    def file_hashes_in_use(self, excluding_assessment: int | None = None) -> set[str]:
        """Every stored file's hash that an answer cites (optionally leaving one assessment's
        answers out: what would still be cited once it is deleted)."""
        stmt = select(_EVIDENCE.c.sha256).where(_EVIDENCE.c.sha256 != "")
        if excluding_assessment is not None:
            stmt = stmt.join(_ANSWERS, _EVIDENCE.c.answer_id == _ANSWERS.c.id).where(
                _ANSWERS.c.assessment_id != excluding_assessment
            )
        return set(self._core().execute(stmt).scalars())


class HistoryRepository:
    def __init__(self, connection: Runner) -> None:
        self.connection = connection

    def append(self, assessment_id: int, entries: Sequence[HistoryEntry]) -> None:
        """Insert chained entries and move the assessment's stored chain head to the last one,
        in the caller's transaction (so the two never disagree unless changed outside the app).
        """
        if not entries:
            return
        _INSERT_HISTORY.run_many(
            self.connection,
            [
                {
                    "assessment_id": assessment_id,
                    "seq": e.seq,
                    "subcategory_id": e.subcategory_id,
                    "field": e.field,
                    "old": e.old,
                    "new": e.new,
                    "actor": e.actor,
                    "at": e.at,
                    "prev_hash": e.prev_hash,
                    "entry_hash": e.entry_hash,
                }
                for e in entries
            ],
        )
        last = entries[-1]
        _SET_HISTORY_HEAD.run(
            self.connection, {"aid": assessment_id, "count": last.seq, "head": last.entry_hash}
        )

    def heads(self) -> dict[int, tuple[int, str]]:
        """The actual end of every assessment's history: assessment id -> (number of entries,
        hash of the entry with the highest seq). Assessments without history are absent."""
        ends = (
            select(
                _HISTORY.c.assessment_id,
                func.count().label("n"),
                func.max(_HISTORY.c.seq).label("last"),
            )
            .group_by(_HISTORY.c.assessment_id)
            .subquery()
        )
        assert isinstance(self.connection, Connection)
        rows = self.connection.execute(
            select(ends.c.assessment_id, ends.c.n, _HISTORY.c.entry_hash).join(
                _HISTORY,
                (_HISTORY.c.assessment_id == ends.c.assessment_id)
                & (_HISTORY.c.seq == ends.c.last),
            )
        )
        return {aid: (n, digest) for aid, n, digest in rows}

    def list(self, assessment_id: int, subcategory_id: str | None = None) -> list[HistoryEntry]:
        stmt = select(_HISTORY).where(_HISTORY.c.assessment_id == assessment_id)
        if subcategory_id is not None:
            stmt = stmt.where(_HISTORY.c.subcategory_id == subcategory_id)
        assert isinstance(self.connection, Connection)
        return [to_entry(r) for r in self.connection.execute(stmt.order_by(_HISTORY.c.seq))]
