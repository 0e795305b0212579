"""Repositories: the only code that turns rows into domain models and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Text, bindparam, delete, func, insert, select, type_coerce, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

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
from app.persistence.compiled import DriverTransaction, Runner, Statement
from app.persistence.convert import to_answer, to_assessment, to_entry, to_evidence
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
# the cost of an ORM query or flush, or even of SQLAlchemy's Core execution. (An SQLite file's
# save runs in sqlite_store on the driver alone.) Other paths use the ORM.
_ASSESSMENTS = AssessmentRow.__table__
_ANSWERS = AnswerRow.__table__
_EVIDENCE = EvidenceRow.__table__
_HISTORY = HistoryRow.__table__
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
# One round trip for an answer and its evidence (a LEFT JOIN: one row per evidence item).
_GET_ANSWER = Statement(
    select(
        _ANSWERS,
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
_CONNECTION = "airmf.connection"


def _connection(session: Session | Runner) -> Runner:
    """The session's connection, looked up once per transaction (Session.connection() costs
    about as much as running a small statement); the save path's connection as is."""
    if isinstance(session, Connection | DriverTransaction):
        return session
    cached = session.info.get(_CONNECTION)
    transaction = session.get_transaction()
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]  # type: ignore[no-any-return]
    connection = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), connection)
    return connection


# The list reads plain text (no per-value type processing); to_assessment(raw=True) converts.
_LIST_ASSESSMENTS = "SELECT * FROM assessments ORDER BY updated_at DESC, id DESC"


def _evidence_values(key: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(EVIDENCE_VALUES, key, strict=True))


def _evidence_key(items: Sequence[EvidenceItem]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(e, f) for f in EVIDENCE_VALUES) for e in items]


class AssessmentRepository:
    """Assessments. Every repository works in a Session; the methods of the save path
    (get_with_history_head, touch; AnswerRepository.get and put; HistoryRepository.append
    and last) also run on the bare connection of the save path (Database.write_connection)."""

    def __init__(self, session: Session | Runner) -> None:
        self.session = session

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
        row = AssessmentRow(
            uid=uid,
            framework_version=framework_version,
            status=status.value,
            created_at=created_at or now,
            updated_at=now,
            finalized_by=finalized_by,
            finalized_role=finalized_role,
            finalized_statement=finalized_statement,
            finalized_at=finalized_at,
            fingerprint=fingerprint,
            previous_id=previous_id,
            origin=origin.value,
            copy_of=copy_of,
            **self._meta_columns(meta),
        )
        self.session.add(row)
        self.session.flush()
        return to_assessment(row)

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

    def _row(self, assessment_id: int) -> AssessmentRow | None:
        return self.session.get(AssessmentRow, assessment_id)

    def get(self, assessment_id: int) -> Assessment | None:
        rows = _GET_ASSESSMENT.rows(_connection(self.session), {"aid": assessment_id})
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
        stmt = select(func.count()).select_from(AssessmentRow).where(AssessmentRow.uid == uid)
        return bool(self.session.scalar(stmt))

    def list(self) -> list[Assessment]:
        return [a for a, _ in self.list_with_summaries()]

    def list_with_summaries(self) -> list[tuple[Assessment, str | None]]:
        """All assessments, most recently changed first, with their cached score summary as
        stored (JSON text; None: stale). The caller decodes it (and may keep decoded ones)."""
        # Plain tuples, not ORM entities or typed rows: a list of thousands skips the identity
        # map and the per-value type processing (converted in to_assessment).
        rows = _connection(self.session).exec_driver_sql(_LIST_ASSESSMENTS)
        return [(to_assessment(r, raw=True), r.summary) for r in rows]

    def by_system(self, ai_system: str) -> list[Assessment]:
        """The cycles of one AI system, oldest first (uses the ai_system index)."""
        rows = self.session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.ai_system == ai_system)
            .order_by(AssessmentRow.created_at, AssessmentRow.id)
        )
        return [to_assessment(r) for r in rows]

    def set_summary(
        self, assessment_id: int, summary: dict[str, Any], computed_for: dt.datetime
    ) -> None:
        """Cache a summary computed from the state as of ``computed_for`` (its updated_at).

        If the assessment changed since (another save committed in between), the cache stays
        empty rather than holding an outdated score.
        """
        row = self._row(assessment_id)
        if row is not None and row.updated_at == computed_for:
            row.summary = summary

    def set_summaries(self, fresh: Sequence[tuple[int, dict[str, Any], dt.datetime]]) -> None:
        """``set_summary`` for many (assessment id, summary, computed_for) in one statement
        run for each: no ORM load per assessment."""
        if not fresh:
            return
        _connection(self.session).execute(
            update(_ASSESSMENTS)
            .where(
                _ASSESSMENTS.c.id == bindparam("aid"),
                _ASSESSMENTS.c.updated_at
                == bindparam("as_of", type_=_ASSESSMENTS.c.updated_at.type),
            )
            .values(summary=bindparam("summary", type_=_ASSESSMENTS.c.summary.type))
            .execution_options(synchronize_session=False),
            [{"aid": aid, "summary": summary, "as_of": as_of} for aid, summary, as_of in fresh],
        )

    def update(self, assessment_id: int, now: dt.datetime, **columns: object) -> Assessment:
        row = self._row(assessment_id)
        if row is None:
            raise KeyError(assessment_id)
        for key, value in columns.items():
            setattr(row, key, value)
        row.updated_at = now
        row.summary = None
        self.session.flush()
        return to_assessment(row)

    def update_meta(self, assessment_id: int, meta: AssessmentMeta, now: dt.datetime) -> Assessment:
        return self.update(assessment_id, now, **self._meta_columns(meta))

    def set_last_subcategory(self, assessment_id: int, subcategory_id: str) -> None:
        row = self._row(assessment_id)
        if row is not None:
            row.last_subcategory = subcategory_id  # not a change of the assessment's content

    def touch(self, assessment_id: int, now: dt.datetime) -> None:
        """Mark the assessment changed (its cached summary is stale). A direct UPDATE: a row
        object already loaded in this session is not refreshed."""
        _TOUCH_ASSESSMENT.run(_connection(self.session), {"aid": assessment_id, "now": now})

    def later_cycles(self, assessment_id: int) -> list[Assessment]:
        """The assessments started as the next cycle of this one (their ``previous_id``)."""
        rows = self.session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.previous_id == assessment_id)
            .order_by(AssessmentRow.id)
        )
        return [to_assessment(r) for r in rows]

    def delete(self, assessment_id: int) -> bool:
        result = self.session.execute(
            delete(AssessmentRow).where(AssessmentRow.id == assessment_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class AnswerRepository:
    def __init__(self, session: Session | Runner) -> None:
        self.session = session
        # Answers read in this unit of work: row id, evidence and version as stored, for put().
        self._loaded: dict[tuple[int, str], tuple[int, list[tuple[Any, ...]], AnswerVersion]] = {}

    def _conn(self) -> Runner:
        return _connection(self.session)

    def get(self, assessment_id: int, subcategory_id: str) -> Answer | None:
        rows = _GET_ANSWER.rows(self._conn(), {"aid": assessment_id, "sub": subcategory_id})
        if not rows:
            return None
        evidence = [
            to_evidence(*(getattr(r, f"ev_{f}") for f in EVIDENCE_VALUES))
            for r in rows
            if r.ev_id is not None
        ]
        first = rows[0]
        version = AnswerVersion(first.version, dict(first.field_versions or {}))
        self._loaded[(assessment_id, subcategory_id)] = (first.id, _evidence_key(evidence), version)
        return to_answer(first, evidence)

    def version(self, assessment_id: int, subcategory_id: str) -> AnswerVersion:
        """The stored version of an answer read by ``get`` in this unit of work (no query);
        NO_VERSION for an answer not stored. Raises KeyError if ``get`` was not called."""
        if (assessment_id, subcategory_id) not in self._loaded:
            self.get(assessment_id, subcategory_id)
        found = self._loaded.get((assessment_id, subcategory_id))
        return NO_VERSION if found is None else found[2]

    def versions(self, assessment_id: int) -> dict[str, int]:
        """Subcategory id -> version number of every stored answer of the assessment."""
        rows = _ANSWER_VERSIONS.rows(self._conn(), {"aid": assessment_id})
        return {r.subcategory_id: r.version for r in rows}

    def all(self, assessment_id: int) -> dict[str, Answer]:
        """Every stored answer of the assessment with its evidence, by subcategory id."""
        return self.all_of([assessment_id])[assessment_id]

    def all_of(self, assessment_ids: Sequence[int]) -> dict[int, dict[str, Answer]]:
        """The answers of several assessments (id -> subcategory id -> answer), in two
        queries however many they are: Core rows, not ORM entities (rescoring a list after
        an upgrade reads every answer of the database; one query per assessment and the ORM
        cost 20-40 ms per assessment)."""
        ids = list(assessment_ids)
        out: dict[int, dict[str, Answer]] = {aid: {} for aid in ids}
        if not ids:
            return out
        conn = self._conn()
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
        rows = self._conn().execute(
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
        conn = self._conn()
        values = {name: getattr(answer, name) for name in ANSWER_VALUES}
        values["metrics"] = dict(answer.metrics)
        values["actions_in_place"] = list(answer.actions_in_place)
        values["genai_actions_in_place"] = list(answer.genai_actions_in_place)
        status = answer.evidence_status
        values["evidence_status"] = status.value if status else None
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
            stored = []
        else:
            answer_id, stored, _ = found
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
        self._loaded[key] = (answer_id, wanted, version)

    @staticmethod
    def _fill(row: AnswerRow, answer: Answer) -> None:
        row.metrics = dict(answer.metrics)
        row.level = answer.level
        row.not_applicable = answer.not_applicable
        row.na_rationale = answer.na_rationale
        row.target = answer.target
        row.notes = answer.notes
        row.evidence_status = answer.evidence_status.value if answer.evidence_status else None
        row.actions_in_place = list(answer.actions_in_place)
        row.genai_actions_in_place = list(answer.genai_actions_in_place)
        row.owner = answer.owner
        row.due_date = answer.due_date
        row.flagged = answer.flagged
        row.carried_over = answer.carried_over
        row.updated_at = answer.updated_at
        current = _evidence_key(row.evidence)  # type: ignore[arg-type]
        wanted = _evidence_key(answer.evidence)
        if current == wanted:
            return  # most saves do not touch evidence: keep its rows as they are
        new_items = [
            EvidenceRow(
                position=i,
                title=e.title,
                url=e.url,
                file_name=e.file_name,
                sha256=e.sha256,
                size=e.size,
                added_at=e.added_at,
                as_of=e.as_of,
                valid_until=e.valid_until,
            )
            for i, e in enumerate(answer.evidence)
        ]
        row.evidence[:] = new_items

    def add_all(self, assessment_id: int, answers: Sequence[Answer]) -> None:
        """Insert the answers of a new assessment in one flush (import, copy, next cycle)."""
        for answer in answers:
            row = AnswerRow(assessment_id=assessment_id, subcategory_id=answer.subcategory_id)
            self._fill(row, answer)
            self.session.add(row)
        self.session.flush()

    def files_of(self, assessment_id: int) -> dict[str, tuple[str, int]]:
        """The stored files this assessment's answers cite: sha256 -> (file name, size)."""
        rows = self.session.execute(
            select(EvidenceRow.sha256, EvidenceRow.file_name, EvidenceRow.size)
            .join(AnswerRow, EvidenceRow.answer_id == AnswerRow.id)
            .where(AnswerRow.assessment_id == assessment_id, EvidenceRow.sha256 != "")
            .order_by(EvidenceRow.file_name)
        )
        return {sha: (name, size) for sha, name, size in rows}

    def file_hashes_in_use(self, excluding_assessment: int | None = None) -> set[str]:
        """Every stored file's hash that an answer cites (optionally leaving one assessment's
        answers out: what would still be cited once it is deleted)."""
        stmt = select(EvidenceRow.sha256).where(EvidenceRow.sha256 != "")
        if excluding_assessment is not None:
            stmt = stmt.join(AnswerRow, EvidenceRow.answer_id == AnswerRow.id).where(
                AnswerRow.assessment_id != excluding_assessment
            )
        return set(self.session.scalars(stmt))


class HistoryRepository:
    def __init__(self, session: Session | Runner) -> None:
        self.session = session

    def append(self, assessment_id: int, entries: Sequence[HistoryEntry]) -> None:
        """Insert chained entries and move the assessment's stored chain head to the last one,
        in the caller's transaction (so the two never disagree unless changed outside the app).
        """
        if not entries:
            return
        if isinstance(self.session, Session):
            self.session.flush()  # rows added through the ORM before (a new assessment) first
        _INSERT_HISTORY.run_many(
            _connection(self.session),
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
            _connection(self.session),
            {"aid": assessment_id, "count": last.seq, "head": last.entry_hash},
        )
        if isinstance(self.session, Session):
            # A row already loaded in this session (finalize, import) shows the new head too.
            row = self.session.identity_map.get(identity_key(AssessmentRow, assessment_id))
            if row is not None:
                set_committed_value(row, "history_count", last.seq)
                set_committed_value(row, "history_head", last.entry_hash)

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
        rows = self.session.execute(
            select(ends.c.assessment_id, ends.c.n, _HISTORY.c.entry_hash).join(
                _HISTORY,
                (_HISTORY.c.assessment_id == ends.c.assessment_id)
                & (_HISTORY.c.seq == ends.c.last),
            )
        )
        return {aid: (n, digest) for aid, n, digest in rows}

    def list(self, assessment_id: int, subcategory_id: str | None = None) -> list[HistoryEntry]:
        stmt = select(HistoryRow).where(HistoryRow.assessment_id == assessment_id)
        if subcategory_id is not None:
            stmt = stmt.where(HistoryRow.subcategory_id == subcategory_id)
        return [to_entry(r) for r in self.session.scalars(stmt.order_by(HistoryRow.seq))]
