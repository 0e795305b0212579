"""Review and sign-off store: answers' review states, reviewer comments, sign-off roles and
the four-eyes setting (tables of schema 0009), as domain models.

Runs on a unit's Core connection or on the save path's bare connection (``compiled.Runner``):
an edit of an answer moves its review state back in the save's own transaction (see
``services.review``).
History entries are not written here: callers append them through ``HistoryRepository``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from app.domain.review import (
    AnswerReview,
    ReviewAction,
    ReviewComment,
    ReviewState,
    RoleKind,
    SignOffRole,
)
from app.persistence.compiled import Runner, Statement
from app.persistence.review_rows import (
    AnswerReviewRow,
    ReviewCommentRow,
    SignOffRoleRow,
    SignOffSettingRow,
)

_REVIEWS = AnswerReviewRow.__table__
_COMMENTS = ReviewCommentRow.__table__
_ROLES = SignOffRoleRow.__table__
_SETTINGS = SignOffSettingRow.__table__

_GET_STATE = Statement(
    select(_REVIEWS).where(
        _REVIEWS.c.assessment_id == bindparam("aid"),
        _REVIEWS.c.subcategory_id == bindparam("sub"),
    )
)
_ALL_STATES = Statement(select(_REVIEWS).where(_REVIEWS.c.assessment_id == bindparam("aid")))


def _upsert_state(dialect: Any) -> Statement:
    """Set an answer's review state in one statement, whether a row is stored or not (no
    read first: on a server that read was a round trip of its own)."""
    stmt = dialect.insert(_REVIEWS).values(
        assessment_id=bindparam("aid"),
        subcategory_id=bindparam("sub"),
        state=bindparam("state"),
        actor=bindparam("actor"),
        at=bindparam("at"),
    )
    return Statement(
        stmt.on_conflict_do_update(
            index_elements=[_REVIEWS.c.assessment_id, _REVIEWS.c.subcategory_id],
            set_={
                "state": stmt.excluded.state,
                "actor": stmt.excluded.actor,
                "at": stmt.excluded.at,
            },
        )
    )


# By dialect: the upsert's syntax is each engine's own (both spell it ON CONFLICT DO UPDATE).
_SET_STATE = {"sqlite": _upsert_state(sqlite), "postgresql": _upsert_state(postgresql)}
_INSERT_STATE = Statement(
    insert(_REVIEWS).values(
        assessment_id=bindparam("aid"),
        subcategory_id=bindparam("sub"),
        state=bindparam("state"),
        actor=bindparam("actor"),
        at=bindparam("at"),
    )
)
_INSERT_COMMENT = Statement(
    insert(_COMMENTS).values(
        assessment_id=bindparam("aid"),
        subcategory_id=bindparam("sub"),
        author=bindparam("author"),
        at=bindparam("at"),
        action=bindparam("action"),
        text=bindparam("text"),
    )
)
_COMMENTS_OF = Statement(
    select(_COMMENTS).where(_COMMENTS.c.assessment_id == bindparam("aid")).order_by(_COMMENTS.c.id)
)
_COMMENTS_OF_SUB = Statement(
    select(_COMMENTS)
    .where(
        _COMMENTS.c.assessment_id == bindparam("aid"),
        _COMMENTS.c.subcategory_id == bindparam("sub"),
    )
    .order_by(_COMMENTS.c.id)
)
_ROLES_OF = Statement(select(_ROLES).where(_ROLES.c.assessment_id == bindparam("aid")))
_DELETE_ROLES = Statement(delete(_ROLES).where(_ROLES.c.assessment_id == bindparam("aid")))
_INSERT_ROLE = Statement(
    insert(_ROLES).values(
        assessment_id=bindparam("aid"),
        kind=bindparam("kind"),
        name=bindparam("name"),
        title=bindparam("title"),
        statement=bindparam("statement"),
        at=bindparam("at"),
    )
)
_GET_SETTING = Statement(select(_SETTINGS).where(_SETTINGS.c.assessment_id == bindparam("aid")))
_DELETE_SETTING = Statement(delete(_SETTINGS).where(_SETTINGS.c.assessment_id == bindparam("aid")))
_INSERT_SETTING = Statement(
    insert(_SETTINGS).values(assessment_id=bindparam("aid"), four_eyes_relaxed=bindparam("relaxed"))
)


def _review(row: object) -> AnswerReview:
    return AnswerReview(
        subcategory_id=row.subcategory_id,  # type: ignore[attr-defined]
        state=ReviewState(row.state),  # type: ignore[attr-defined]
        actor=row.actor,  # type: ignore[attr-defined]
        at=row.at,  # type: ignore[attr-defined]
    )


def _comment(row: object) -> ReviewComment:
    action = row.action  # type: ignore[attr-defined]
    return ReviewComment(
        subcategory_id=row.subcategory_id,  # type: ignore[attr-defined]
        author=row.author,  # type: ignore[attr-defined]
        at=row.at,  # type: ignore[attr-defined]
        text=row.text,  # type: ignore[attr-defined]
        action=ReviewAction(action) if action else None,
    )


class ReviewRepository:
    """Review states, comments, sign-off roles and the four-eyes setting of assessments."""

    def __init__(self, connection: Runner) -> None:
        self.connection = connection

    def _conn(self) -> Runner:
        return self.connection

    # -- review states ----------------------------------------------------------------------
    def state(self, assessment_id: int, subcategory_id: str) -> AnswerReview:
        """The answer's review state (a draft with no actor when none is stored)."""
        rows = _GET_STATE.rows(self._conn(), {"aid": assessment_id, "sub": subcategory_id})
        return _review(rows[0]) if rows else AnswerReview(subcategory_id=subcategory_id)

    def states(self, assessment_id: int) -> dict[str, AnswerReview]:
        """Subcategory id -> stored review state (subcategories absent: draft)."""
        rows = _ALL_STATES.rows(self._conn(), {"aid": assessment_id})
        return {r.subcategory_id: _review(r) for r in rows}

    def set_state(self, assessment_id: int, review: AnswerReview) -> None:
        params = {
            "aid": assessment_id,
            "sub": review.subcategory_id,
            "state": review.state.value,
            "actor": review.actor,
            "at": review.at,
        }
        # run_many: an insert's run() would read back an id (this table has none).
        _SET_STATE[self.connection.dialect.name].run_many(self._conn(), [params])

    def add_states(self, assessment_id: int, reviews: Sequence[AnswerReview]) -> None:
        """Insert the states of a new assessment (import)."""
        if reviews:
            _INSERT_STATE.run_many(
                self._conn(),
                [
                    {
                        "aid": assessment_id,
                        "sub": r.subcategory_id,
                        "state": r.state.value,
                        "actor": r.actor,
                        "at": r.at,
                    }
                    for r in reviews
                ],
            )

    # -- comments -----------------------------------------------------------------------------
    def add_comments(self, assessment_id: int, comments: Sequence[ReviewComment]) -> None:
        if comments:
            _INSERT_COMMENT.run_many(
                self._conn(),
                [
                    {
                        "aid": assessment_id,
                        "sub": c.subcategory_id,
                        "author": c.author,
                        "at": c.at,
                        "action": c.action.value if c.action else "",
                        "text": c.text,
                    }
                    for c in comments
                ],
            )

    def comments(
        self, assessment_id: int, subcategory_id: str | None = None
    ) -> list[ReviewComment]:
        """The comments of one subcategory (or of all), oldest first."""
        if subcategory_id is None:
            rows = _COMMENTS_OF.rows(self._conn(), {"aid": assessment_id})
        else:
            rows = _COMMENTS_OF_SUB.rows(
                self._conn(), {"aid": assessment_id, "sub": subcategory_id}
            )
        return [_comment(r) for r in rows]

    # -- sign-off -----------------------------------------------------------------------------
    def roles(self, assessment_id: int) -> list[SignOffRole]:
        """The stored sign-off roles (assessor, reviewer, approver order; empty: none)."""
        rows = _ROLES_OF.rows(self._conn(), {"aid": assessment_id})
        roles = [
            SignOffRole(
                kind=RoleKind(r.kind), name=r.name, title=r.title, statement=r.statement, at=r.at
            )
            for r in rows
        ]
        order = list(RoleKind)
        return sorted(roles, key=lambda r: order.index(r.kind))

    def set_roles(self, assessment_id: int, roles: Sequence[SignOffRole]) -> None:
        """Replace the assessment's sign-off roles (empty: clear them, as reopening does)."""
        _DELETE_ROLES.run(self._conn(), {"aid": assessment_id})
        if roles:
            _INSERT_ROLE.run_many(
                self._conn(),
                [
                    {
                        "aid": assessment_id,
                        "kind": r.kind.value,
                        "name": r.name,
                        "title": r.title,
                        "statement": r.statement,
                        "at": r.at,
                    }
                    for r in roles
                ],
            )

    def four_eyes_relaxed(self, assessment_id: int) -> bool:
        rows = _GET_SETTING.rows(self._conn(), {"aid": assessment_id})
        return bool(rows[0].four_eyes_relaxed) if rows else False

    def set_four_eyes_relaxed(self, assessment_id: int, relaxed: bool) -> None:
        _DELETE_SETTING.run(self._conn(), {"aid": assessment_id})
        if relaxed:  # no row is the default (required)
            _INSERT_SETTING.run(self._conn(), {"aid": assessment_id, "relaxed": True})
