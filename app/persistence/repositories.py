"""Repositories: the only code that turns rows into domain models and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.assessment import (
    Answer,
    Assessment,
    AssessmentMeta,
    EvidenceItem,
    EvidenceStatus,
    HistoryEntry,
    ProfileSelection,
    Status,
)
from app.persistence.rows import AnswerRow, AssessmentRow, EvidenceRow, HistoryRow


def _to_assessment(row: AssessmentRow) -> Assessment:
    # Rows were validated on the way in; constructing without re-validation keeps lists of
    # thousands of assessments fast. Types are converted here exactly as validation would.
    return Assessment.model_construct(
        id=row.id,
        uid=row.uid,
        name=row.name,
        ai_system=row.ai_system,
        organization=row.organization,
        scope=row.scope,
        assessor=row.assessor,
        framework_id=row.framework_id,
        framework_version=row.framework_version,
        scheme_id=row.scheme_id,
        default_target=row.default_target,
        profiles=[
            ProfileSelection.model_construct(profile_id=p["profile_id"], risks=list(p["risks"]))
            for p in row.profiles or []
        ],
        status=Status(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        last_subcategory=row.last_subcategory,
        finalized_by=row.finalized_by,
        finalized_role=row.finalized_role,
        finalized_statement=row.finalized_statement,
        finalized_at=row.finalized_at,
        fingerprint=row.fingerprint,
        previous_id=row.previous_id,
    )


def _to_answer(row: AnswerRow) -> Answer:
    return Answer(
        subcategory_id=row.subcategory_id,
        metrics=dict(row.metrics or {}),
        level=row.level,
        not_applicable=row.not_applicable,
        na_rationale=row.na_rationale,
        target=row.target,
        notes=row.notes,
        evidence_status=EvidenceStatus(row.evidence_status) if row.evidence_status else None,
        evidence=[
            EvidenceItem(
                title=e.title,
                url=e.url,
                file_name=e.file_name,
                sha256=e.sha256,
                size=e.size,
                added_at=e.added_at,
            )
            for e in row.evidence
        ],
        actions_in_place=list(row.actions_in_place or []),
        owner=row.owner,
        due_date=row.due_date,
        flagged=row.flagged,
        carried_over=row.carried_over,
        updated_at=row.updated_at,
    )


def _to_entry(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(
        seq=row.seq,
        subcategory_id=row.subcategory_id,
        field=row.field,
        old=row.old,
        new=row.new,
        actor=row.actor,
        at=row.at,
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
    )


class AssessmentRepository:
    def __init__(self, session: Session) -> None:
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
            **self._meta_columns(meta),
        )
        self.session.add(row)
        self.session.flush()
        return _to_assessment(row)

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
        row = self._row(assessment_id)
        return _to_assessment(row) if row else None

    def uid_exists(self, uid: str) -> bool:
        stmt = select(func.count()).select_from(AssessmentRow).where(AssessmentRow.uid == uid)
        return bool(self.session.scalar(stmt))

    def list(self) -> list[Assessment]:
        return [a for a, _ in self.list_with_summaries()]

    def list_with_summaries(self) -> list[tuple[Assessment, dict[str, Any] | None]]:
        """All assessments, most recently changed first, with their cached score summary."""
        rows = self.session.scalars(
            select(AssessmentRow).order_by(AssessmentRow.updated_at.desc(), AssessmentRow.id.desc())
        )
        return [(_to_assessment(r), r.summary) for r in rows]

    def by_system(self, ai_system: str) -> list[Assessment]:
        """The cycles of one AI system, oldest first (uses the ai_system index)."""
        rows = self.session.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.ai_system == ai_system)
            .order_by(AssessmentRow.created_at, AssessmentRow.id)
        )
        return [_to_assessment(r) for r in rows]

    def set_summary(self, assessment_id: int, summary: dict[str, Any]) -> None:
        row = self._row(assessment_id)
        if row is not None:
            row.summary = summary

    def update(self, assessment_id: int, now: dt.datetime, **columns: object) -> Assessment:
        row = self._row(assessment_id)
        if row is None:
            raise KeyError(assessment_id)
        for key, value in columns.items():
            setattr(row, key, value)
        row.updated_at = now
        row.summary = None
        self.session.flush()
        return _to_assessment(row)

    def update_meta(self, assessment_id: int, meta: AssessmentMeta, now: dt.datetime) -> Assessment:
        return self.update(assessment_id, now, **self._meta_columns(meta))

    def set_last_subcategory(self, assessment_id: int, subcategory_id: str) -> None:
        row = self._row(assessment_id)
        if row is not None:
            row.last_subcategory = subcategory_id  # not a change of the assessment's content

    def touch(self, assessment_id: int, now: dt.datetime) -> None:
        row = self._row(assessment_id)
        if row is not None:
            row.updated_at = now
            row.summary = None

    def delete(self, assessment_id: int) -> bool:
        result = self.session.execute(
            delete(AssessmentRow).where(AssessmentRow.id == assessment_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class AnswerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[tuple[int, str], AnswerRow] = {}  # loaded in this unit of work

    def _row(self, assessment_id: int, subcategory_id: str) -> AnswerRow | None:
        cached = self._rows.get((assessment_id, subcategory_id))
        if cached is not None:
            return cached
        row = self.session.scalar(
            select(AnswerRow)
            .where(
                AnswerRow.assessment_id == assessment_id,
                AnswerRow.subcategory_id == subcategory_id,
            )
            .options(selectinload(AnswerRow.evidence))
        )
        if row is not None:
            self._rows[(assessment_id, subcategory_id)] = row
        return row

    def get(self, assessment_id: int, subcategory_id: str) -> Answer | None:
        row = self._row(assessment_id, subcategory_id)
        return _to_answer(row) if row else None

    def all(self, assessment_id: int) -> dict[str, Answer]:
        rows = self.session.scalars(
            select(AnswerRow)
            .where(AnswerRow.assessment_id == assessment_id)
            .options(selectinload(AnswerRow.evidence))
        )
        return {r.subcategory_id: _to_answer(r) for r in rows}

    def put(self, assessment_id: int, answer: Answer) -> None:
        row = self._row(assessment_id, answer.subcategory_id)
        if row is None:
            row = AnswerRow(assessment_id=assessment_id, subcategory_id=answer.subcategory_id)
            self.session.add(row)
        self._fill(row, answer)
        self.session.flush()

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
        row.owner = answer.owner
        row.due_date = answer.due_date
        row.flagged = answer.flagged
        row.carried_over = answer.carried_over
        row.updated_at = answer.updated_at
        current = [
            (e.title, e.url, e.file_name, e.sha256, e.size, e.added_at) for e in row.evidence
        ]
        wanted = [
            (e.title, e.url, e.file_name, e.sha256, e.size, e.added_at) for e in answer.evidence
        ]
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

    def file_hashes_in_use(self) -> set[str]:
        rows = self.session.scalars(select(EvidenceRow.sha256).where(EvidenceRow.sha256 != ""))
        return set(rows)


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def last(self, assessment_id: int) -> HistoryEntry | None:
        row = self.session.scalar(
            select(HistoryRow)
            .where(HistoryRow.assessment_id == assessment_id)
            .order_by(HistoryRow.seq.desc())
            .limit(1)
        )
        return _to_entry(row) if row else None

    def append(self, assessment_id: int, entries: Sequence[HistoryEntry]) -> None:
        for e in entries:
            self.session.add(
                HistoryRow(
                    assessment_id=assessment_id,
                    seq=e.seq,
                    subcategory_id=e.subcategory_id,
                    field=e.field,
                    old=e.old,
                    new=e.new,
                    actor=e.actor,
                    at=e.at,
                    prev_hash=e.prev_hash,
                    entry_hash=e.entry_hash,
                )
            )
        self.session.flush()

    def list(self, assessment_id: int, subcategory_id: str | None = None) -> list[HistoryEntry]:
        stmt = select(HistoryRow).where(HistoryRow.assessment_id == assessment_id)
        if subcategory_id is not None:
            stmt = stmt.where(HistoryRow.subcategory_id == subcategory_id)
        return [_to_entry(r) for r in self.session.scalars(stmt.order_by(HistoryRow.seq))]
