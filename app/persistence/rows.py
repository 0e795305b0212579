"""ORM rows (SQLAlchemy 2 typed mappings). Only repositories convert them to domain models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.persistence.types import JSONText, UTCDateTime


class Base(DeclarativeBase):
    pass


class AssessmentRow(Base):
    __tablename__ = "assessments"
    # Ids are cited by reports and exports: a deleted assessment's id is never given again.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    ai_system: Mapped[str] = mapped_column(String(200), index=True)
    organization: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    assessor: Mapped[str] = mapped_column(Text, default="")
    framework_id: Mapped[str] = mapped_column(String(100))
    framework_version: Mapped[str] = mapped_column(String(50))
    scheme_id: Mapped[str] = mapped_column(String(100))
    default_target: Mapped[int] = mapped_column(Integer)
    profiles: Mapped[Any] = mapped_column(JSONText, default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    last_subcategory: Mapped[str | None] = mapped_column(String(100), nullable=True)
    finalized_by: Mapped[str] = mapped_column(Text, default="")
    finalized_role: Mapped[str] = mapped_column(Text, default="")
    finalized_statement: Mapped[str] = mapped_column(Text, default="")
    finalized_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True
    )
    # Cached scores for lists (NULL = stale). Derived data: recomputed from the answers.
    summary: Mapped[Any | None] = mapped_column(JSONText, nullable=True)
    # The head of the change history (entry count, last hash), updated in the transaction of
    # every append (HistoryRepository.append) and covered by the sign-off fingerprint.
    history_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    history_head: Mapped[str] = mapped_column(String(64), default="0" * 64, server_default="0" * 64)
    origin: Mapped[str] = mapped_column(String(20), default="original", server_default="original")
    copy_of: Mapped[str] = mapped_column(String(64), default="", server_default="")

    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        foreign_keys="AnswerRow.assessment_id",
    )


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "subcategory_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    subcategory_id: Mapped[str] = mapped_column(String(100))
    metrics: Mapped[Any] = mapped_column(JSONText, default=dict)
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    na_rationale: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    evidence_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    actions_in_place: Mapped[Any] = mapped_column(JSONText, default=list)
    owner: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Optimistic versioning (schema 0005): ``version`` counts the saves of this answer (0: none
    # since it was created by an import, a copy or a migration); ``field_versions`` maps each
    # field to the version that last changed it (absent: not changed since version 0). A save
    # based on an older version conflicts only on fields changed after its base.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    field_versions: Mapped[Any] = mapped_column(JSONText, default=dict, server_default="{}")
    # AI 600-1 action ids ticked as in place (schema 0008).
    genai_actions_in_place: Mapped[Any] = mapped_column(JSONText, default=list, server_default="[]")

    assessment: Mapped[AssessmentRow] = relationship(back_populates="answers")
    evidence: Mapped[list[EvidenceRow]] = relationship(
        back_populates="answer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EvidenceRow.position",
    )


class EvidenceRow(Base):
    __tablename__ = "evidence_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The day the evidence is as of and the last day it holds (schema 0008).
    as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    answer: Mapped[AnswerRow] = relationship(back_populates="evidence")


class HistoryRow(Base):
    """Append-only: a trigger refuses UPDATE (see the first migration)."""

    __tablename__ = "answer_history"
    __table_args__ = (
        UniqueConstraint("assessment_id", "seq"),
        Index("ix_history_assessment_sub", "assessment_id", "subcategory_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    subcategory_id: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(120))  # action:<uid>:<field> (schema 0007)
    # NULL in compact entries (schema 0004 on): the old value is the previous entry's new value.
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class EvidenceFileRow(Base):
    """The content of an attached file, named by its SHA-256 (server mode; see migration 0006).
    Read and written only by ``app.persistence.evidence_db``, in slices."""

    __tablename__ = "evidence_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SystemProfileRow(Base):
    """The AI-system profile of an assessment (schema 0010): one row per assessment, absent
    until the profile is first filled in. ``profile`` is the domain ``SystemProfile`` as JSON.
    Read and written only by ``app.persistence.system_profiles``."""

    __tablename__ = "system_profiles"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    profile: Mapped[Any] = mapped_column(JSONText)


# Review and sign-off tables (schema 0009), defined apart; imported here so Base knows them.
# The remediation actions' table (schema 0007), defined with its repository; imported here so
# that Base knows every table (the schema check compares Base with the migrations).
from app.persistence import actions as _actions  # noqa: E402, F401
from app.persistence import review_rows as _review_rows  # noqa: E402, F401
