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
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

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


_ACTIONS = ActionRow.__table__


def _to_action(row: Any) -> RemediationAction:
    values = {name: getattr(row, name) for name in VALUES}
    values["evidence"] = list(row.evidence or [])
    return to_action(values)


def _columns(action: RemediationAction) -> dict[str, Any]:
    """An action's stored columns but the keys and its position."""
    values: dict[str, Any] = {}
    for name in VALUES:
        value = getattr(action, name)
        values[name] = value.value if hasattr(value, "value") else value
    values["evidence"] = [e.model_dump(mode="json") for e in action.evidence]
    return values


class ActionRepository:
    """The remediation actions of assessments, with Core statements in the caller's unit of
    work (its ``connection``: a write of an action appends to the assessment's history in the
    same transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def list(
        self, assessment_id: int, subcategory_id: str | None = None
    ) -> list[RemediationAction]:
        """The actions of an assessment (or of one subcategory), in order of creation."""
        stmt = select(_ACTIONS).where(_ACTIONS.c.assessment_id == assessment_id)
        if subcategory_id is not None:
            stmt = stmt.where(_ACTIONS.c.subcategory_id == subcategory_id)
        rows = self.connection.execute(stmt.order_by(_ACTIONS.c.position))
        return [_to_action(r) for r in rows]

    def _where(self, assessment_id: int, uid: str) -> Any:
        return (_ACTIONS.c.assessment_id == assessment_id) & (_ACTIONS.c.uid == uid)

    def get(self, assessment_id: int, uid: str) -> RemediationAction | None:
        row = self.connection.execute(select(_ACTIONS).where(self._where(assessment_id, uid)))
        found = row.first()
        return None if found is None else _to_action(found)

    def add(self, assessment_id: int, action: RemediationAction) -> None:
        """Store a new action after the assessment's others."""
        self.add_all(assessment_id, [action])

    def add_all(self, assessment_id: int, actions: Sequence[RemediationAction]) -> None:
        """Store new actions (in this order) after the assessment's others, in one insert."""
        if not actions:
            return
        last = self.connection.execute(
            select(func.max(_ACTIONS.c.position)).where(_ACTIONS.c.assessment_id == assessment_id)
        ).scalar()
        start = 0 if last is None else last + 1
        self.connection.execute(
            insert(_ACTIONS),
            [
                {"assessment_id": assessment_id, "position": start + i, **_columns(action)}
                for i, action in enumerate(actions)
            ],
        )

    def put(self, assessment_id: int, action: RemediationAction) -> None:
        """Store the new values of an existing action. Raises KeyError when there is none."""
        done = self.connection.execute(
            update(_ACTIONS).where(self._where(assessment_id, action.uid)).values(_columns(action))
        )
        if not done.rowcount:
            raise KeyError(action.uid)

    def remove(self, assessment_id: int, uid: str) -> bool:
        done = self.connection.execute(delete(_ACTIONS).where(self._where(assessment_id, uid)))
        return bool(done.rowcount)

    def uid_taken(self, assessment_id: int, uid: str) -> bool:
        found = self.connection.execute(
            select(_ACTIONS.c.id).where(self._where(assessment_id, uid))
        ).first()
        return found is not None
