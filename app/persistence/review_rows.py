"""ORM rows of the review and sign-off data (schema 0009): answers' review states, the
reviewer comment threads, the sign-off roles and the four-eyes setting of each assessment.

Registered on ``rows.Base`` (``rows`` imports this module), so that the schema check and the
migrations see them. Only ``app.persistence.reviews`` converts them to domain models.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.persistence.rows import Base
from app.persistence.types import UTCDateTime


class AnswerReviewRow(Base):
    """The review state of one answer; no row: draft."""

    __tablename__ = "answer_reviews"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    subcategory_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReviewCommentRow(Base):
    """One comment of a subcategory's review thread (also recorded in the history)."""

    __tablename__ = "review_comments"
    __table_args__ = (
        Index("ix_review_comments_assessment_sub", "assessment_id", "subcategory_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    subcategory_id: Mapped[str] = mapped_column(String(100))
    author: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(20), default="")
    text: Mapped[str] = mapped_column(Text)


class SignOffRoleRow(Base):
    """One role of an assessment's sign-off (assessor, reviewer, approver)."""

    __tablename__ = "signoff_roles"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SignOffSettingRow(Base):
    """An assessment's sign-off settings; no row: the defaults (four-eyes required)."""

    __tablename__ = "signoff_settings"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    four_eyes_relaxed: Mapped[bool] = mapped_column(Boolean, default=False)
