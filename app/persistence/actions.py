"""Stored remediation actions (schema 0007): the ``remediation_actions`` table and its
repository, the only code that turns its rows into ``RemediationAction`` models and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.domain.actions import RemediationAction
from app.persistence.action_values import VALUES, to_action
from app.persistence.rows import Base
from app.persistence.types import JSONText, UTCDateTime


class ActionRow(Base):
    __tablename__ = "remediation_actions"
    __table_args__ = (
        UniqueConstraint("assessment_id", "uid"),
        Index("ix_actions_assessment_sub", "assessment_id", "subcategory_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(32))
    subcategory_id: Mapped[str] = mapped_column(String(100))
    # Order of creation within the assessment (lists show actions in it unless sorted).
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    rationale: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    notes: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[Any] = mapped_column(JSONText, default=list)
    source: Mapped[str] = mapped_column(Text, default="")
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


def _to_action(row: ActionRow) -> RemediationAction:
    values = {name: getattr(row, name) for name in VALUES}
    values["evidence"] = list(row.evidence or [])
    return to_action(values)


def _fill(row: ActionRow, action: RemediationAction) -> None:
    for name in VALUES:
        value = getattr(action, name)
        setattr(row, name, value.value if hasattr(value, "value") else value)
    row.evidence = [e.model_dump(mode="json") for e in action.evidence]


class ActionRepository:
    """The remediation actions of assessments, in the caller's ORM session (a write of an
    action appends to the assessment's history in the same transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(
        self, assessment_id: int, subcategory_id: str | None = None
    ) -> list[RemediationAction]:
        """The actions of an assessment (or of one subcategory), in order of creation."""
        stmt = select(ActionRow).where(ActionRow.assessment_id == assessment_id)
        if subcategory_id is not None:
            stmt = stmt.where(ActionRow.subcategory_id == subcategory_id)
        return [_to_action(r) for r in self.session.scalars(stmt.order_by(ActionRow.position))]

    def _row(self, assessment_id: int, uid: str) -> ActionRow | None:
        return self.session.scalars(
            select(ActionRow).where(ActionRow.assessment_id == assessment_id, ActionRow.uid == uid)
        ).first()

    def get(self, assessment_id: int, uid: str) -> RemediationAction | None:
        row = self._row(assessment_id, uid)
        return None if row is None else _to_action(row)

    def add(self, assessment_id: int, action: RemediationAction) -> None:
        """Store a new action after the assessment's others."""
        self.add_all(assessment_id, [action])

    def add_all(self, assessment_id: int, actions: Sequence[RemediationAction]) -> None:
        """Store new actions (in this order) after the assessment's others, in one flush."""
        last = self.session.scalar(
            select(func.max(ActionRow.position)).where(ActionRow.assessment_id == assessment_id)
        )
        start = 0 if last is None else last + 1
        for i, action in enumerate(actions):
            row = ActionRow(assessment_id=assessment_id, position=start + i)
            _fill(row, action)
            self.session.add(row)
        self.session.flush()

    def put(self, assessment_id: int, action: RemediationAction) -> None:
        """Store the new values of an existing action. Raises KeyError when there is none."""
        row = self._row(assessment_id, action.uid)
        if row is None:
            raise KeyError(action.uid)
        _fill(row, action)
        self.session.flush()

    def remove(self, assessment_id: int, uid: str) -> bool:
        done = self.session.execute(
            delete(ActionRow).where(ActionRow.assessment_id == assessment_id, ActionRow.uid == uid)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def uid_taken(self, assessment_id: int, uid: str) -> bool:
        return self._row(assessment_id, uid) is not None
