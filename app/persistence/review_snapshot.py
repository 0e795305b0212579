"""Review and sign-off data read on the sqlite3 driver alone (see ``snapshot``): opening an
assessment shows its review states and checks its sign-off without loading SQLAlchemy.

Values are converted as the column types of ``review_rows`` convert them (UTC ISO text to
aware datetimes); a test compares the results with ``reviews.ReviewRepository``'s.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from app.domain.history import plain_instant, plain_line
from app.domain.review import (
    AnswerReview,
    ReviewAction,
    ReviewComment,
    ReviewState,
    RoleKind,
    SignOffRole,
)

_STATES = "SELECT subcategory_id, state, actor, at FROM answer_reviews WHERE assessment_id = ?"
_COMMENTS = (
    "SELECT subcategory_id, author, at, action, text FROM review_comments "
    "WHERE assessment_id = ? {} ORDER BY id"
)
_ROLES = "SELECT kind, name, title, statement, at FROM signoff_roles WHERE assessment_id = ?"
_RELAXED = "SELECT four_eyes_relaxed FROM signoff_settings WHERE assessment_id = ?"


def _instant(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _state(**values: Any) -> AnswerReview:
    """An AnswerReview of ``values``, built without its validator when they pass its rules
    unchanged (an answer save reads one, in a command-line process that builds no model)."""
    sub, actor, at = values["subcategory_id"], values.get("actor", ""), values.get("at")
    if sub and plain_line(sub) and plain_line(actor) and (at is None or plain_instant(at)):
        return AnswerReview.model_construct(**values)
    return AnswerReview(**values)


def read_states(con: sqlite3.Connection, assessment_id: int) -> dict[str, AnswerReview]:
    """Subcategory id -> stored review state (absent: draft)."""
    return {
        sub: AnswerReview(
            subcategory_id=sub, state=ReviewState(state), actor=actor, at=_instant(at)
        )
        for sub, state, actor, at in con.execute(_STATES, (assessment_id,))
    }


def read_comments(
    con: sqlite3.Connection, assessment_id: int, subcategory_id: str | None = None
) -> list[ReviewComment]:
    """The comments of one subcategory (or all), oldest first."""
    if subcategory_id is None:
        rows = con.execute(_COMMENTS.format(""), (assessment_id,))
    else:
        rows = con.execute(
            _COMMENTS.format("AND subcategory_id = ?"), (assessment_id, subcategory_id)
        )
    return [
        ReviewComment(
            subcategory_id=sub,
            author=author,
            at=_instant(at),  # type: ignore[arg-type]
            text=text,
            action=ReviewAction(action) if action else None,
        )
        for sub, author, at, action, text in rows
    ]


def read_roles(con: sqlite3.Connection, assessment_id: int) -> list[SignOffRole]:
    """The stored sign-off roles, in assessor, reviewer, approver order."""
    roles = [
        SignOffRole(
            kind=RoleKind(kind), name=name, title=title, statement=statement, at=_instant(at)
        )
        for kind, name, title, statement, at in con.execute(_ROLES, (assessment_id,))
    ]
    order = list(RoleKind)
    return sorted(roles, key=lambda r: order.index(r.kind))


def read_four_eyes_relaxed(con: sqlite3.Connection, assessment_id: int) -> bool:
    row = con.execute(_RELAXED, (assessment_id,)).fetchone()
    return bool(row[0]) if row else False


_GET_STATE = (
    "SELECT subcategory_id, state, actor, at FROM answer_reviews "
    "WHERE assessment_id = ? AND subcategory_id = ?"
)
_SET_STATE = (
    "INSERT INTO answer_reviews (assessment_id, subcategory_id, state, actor, at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id, subcategory_id) "
    "DO UPDATE SET state = excluded.state, actor = excluded.actor, at = excluded.at"
)


class DriverReviews:
    """The reads of ``reviews.ReviewRepository`` and the one write a save makes (an answer's
    review state moved by an edit), on an SQLite file's sqlite3 connection: a read unit or an
    answer save of ``sqlite_store`` (no SQLAlchemy). Values are bound as the column types bind
    them (``UTCDateTime``: ISO 8601 in UTC with microseconds)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def state(self, assessment_id: int, subcategory_id: str) -> AnswerReview:
        """The answer's review state (a draft with no actor when none is stored)."""
        row = self.con.execute(_GET_STATE, (assessment_id, subcategory_id)).fetchone()
        if row is None:
            return _state(subcategory_id=subcategory_id)
        sub, state, actor, at = row
        return _state(subcategory_id=sub, state=ReviewState(state), actor=actor, at=_instant(at))

    def states(self, assessment_id: int) -> dict[str, AnswerReview]:
        return read_states(self.con, assessment_id)

    def comments(
        self, assessment_id: int, subcategory_id: str | None = None
    ) -> list[ReviewComment]:
        return read_comments(self.con, assessment_id, subcategory_id)

    def roles(self, assessment_id: int) -> list[SignOffRole]:
        return read_roles(self.con, assessment_id)

    def four_eyes_relaxed(self, assessment_id: int) -> bool:
        return read_four_eyes_relaxed(self.con, assessment_id)

    def set_state(self, assessment_id: int, review: AnswerReview) -> None:
        at = review.at
        if at is not None:
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            at = at.astimezone(dt.UTC).isoformat(timespec="microseconds")  # type: ignore[assignment]
        self.con.execute(
            _SET_STATE,
            (assessment_id, review.subcategory_id, review.state.value, review.actor, at),
        )


def reviews_in(unit: Any) -> Any:
    """The review data of a store unit (``store.StoreReading``/``StoreWriting``/
    ``StoreSaving``): on its sqlite3 connection when it has one (same transaction, no
    SQLAlchemy), else ``reviews.ReviewRepository`` on its connection."""
    if isinstance(unit.connection, sqlite3.Connection):
        return DriverReviews(unit.connection)
    from app.persistence.reviews import ReviewRepository

    return ReviewRepository(unit.connection)
