"""Review use cases: move an answer through its review states, keep the reviewer comment
thread, the four-eyes setting, and the sign-off block (rules in ``domain.review``).

Every change here is one history entry (or a few) in the assessment's hash-chained history,
under the current actor (the server session's login in team mode), written in the same
transaction as the stored state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.domain.assessment import Assessment, HistoryEntry, Status
from app.domain.history import ASSESSMENT_EVENT, GENESIS, as_validated, chain, new_entries
from app.domain.limits import LimitError, check_text
from app.domain.review import (
    COMMENT_FIELD,
    COMMENT_MAX,
    FOUR_EYES_FIELD,
    REVIEW_FIELD,
    AnswerReview,
    ReviewAction,
    ReviewComment,
    ReviewRefused,
    ReviewState,
    SignOffBlock,
    legacy_signoff,
    review_counts,
    transition,
)
from app.domain.review_state import after_edit
from app.persistence.review_snapshot import reviews_in
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound

__all__ = ["ReviewLine", "ReviewNotAllowed", "ReviewService", "moved_by_edit"]

# ``moved_by_edit``'s "the caller did not read the state".
_UNREAD = object()


class ReviewNotAllowed(InvalidInput):
    """A review transition the rules refuse (``domain.review.transition``); nothing written."""


@dataclass(frozen=True)
class ReviewLine:
    """One subcategory in a review listing: its state, who set it and when, whether the
    answer is answered, and the number of comments in its thread with the latest one."""

    subcategory_id: str
    review: AnswerReview
    answered: bool
    comments: int
    last_comment: ReviewComment | None

    def as_json(self) -> dict[str, Any]:
        last = self.last_comment
        return {
            "subcategory": self.subcategory_id,
            "state": self.review.state.value,
            "set_by": self.review.actor,
            "set_at": None if self.review.at is None else self.review.at.isoformat(),
            "answered": self.answered,
            "comments": self.comments,
            "last_comment": None
            if last is None
            else {"author": last.author, "at": last.at.isoformat(), "text": last.text},
        }


def _head(assessment: Assessment) -> tuple[str, int]:
    """(previous hash, next seq) after the chain head stored with the assessment."""
    count, head = assessment.history_count, assessment.history_head
    return (head if count else GENESIS), count + 1


def moved_by_edit(
    unit: Any,
    assessment_id: int,
    subcategory_id: str,
    head: tuple[int, str],
    actor: str,
    now: dt.datetime,
    *,
    stored: str | None | object = _UNREAD,
) -> tuple[int, str]:
    """In a save's transaction, after an edit of the answer's fields was recorded (``head``:
    the history's new head, (seq, hash)): move its review state as ``domain.review.after_edit``
    says, with one history entry. Returns the head after that entry (``head`` if unchanged).
    ``unit``: the save's unit of the store (``store.StoreSaving`` or ``StoreWriting``).
    ``stored``: the state the caller read already in this unit (the store reads it anew when
    asked twice); not given: read here."""
    if stored is _UNREAD:
        # Read with the answer by the save (no round trip of its own on a server).
        stored = unit.answers.review_state(assessment_id, subcategory_id)
    assert stored is None or isinstance(stored, str)
    current = ReviewState(stored) if stored else ReviewState.DRAFT
    moved = after_edit(current)
    if moved is current:
        return head
    entries = new_entries(subcategory_id, actor, now, [(REVIEW_FIELD, moved.value)])
    values = {"subcategory_id": subcategory_id, "state": moved, "actor": actor, "at": now}
    # AnswerReview's rules are HistoryEntry's (and a subcategory id that is not empty): values
    # that pass them unchanged need no validator (a command-line save then builds none).
    fast = subcategory_id and as_validated(subcategory_id, actor, now)
    reviews_in(unit).set_state(
        assessment_id,
        AnswerReview.model_construct(**values) if fast else AnswerReview(**values),
    )
    (chained,) = chain(entries, head[1], head[0] + 1)
    unit.history.append(assessment_id, [chained])
    return chained.seq, chained.entry_hash


class ReviewService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def _load(self, unit: Any, assessment_id: int) -> Assessment:
        found = unit.assessments.get(assessment_id)
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        return found

    def _subcategory(self, assessment: Assessment, text: str) -> str:
        framework = self.assessments.framework_for(assessment)
        sub = framework.resolve_subcategory_id(text)
        if sub is None:
            raise InvalidInput(
                f"unknown subcategory {text!r}: use an official id such as 'GOVERN 1.1' "
                "(or 'GV-1.1')"
            )
        return sub

    # -- review states and comments -------------------------------------------------------
    def act(
        self, assessment_id: int, subcategory: str, action: ReviewAction, comment: str = ""
    ) -> AnswerReview:
        """Apply a review action to one answer: mark it ready for review, approve it, or return
        it (a comment is then required). A comment given with any action joins the thread.

        Records a comment entry (if any) and a review entry in the history, under the current
        actor. Returns the new state. Raises ReviewNotAllowed (a transition the rules refuse,
        or a return without a comment), InvalidInput (an unknown subcategory, a comment too
        long or with control characters), NotFound, or AssessmentLocked (finalized); nothing
        is written then.
        """
        text = self._comment_text(comment)
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            assessment = self._load(unit, assessment_id)
            self.assessments.ensure_editable(assessment)
            sub = self._subcategory(assessment, subcategory)
            repo = reviews_in(unit)
            current = repo.state(assessment_id, sub)
            try:
                new_state = transition(current.state, action, text)
            except ReviewRefused as exc:
                raise ReviewNotAllowed(f"{sub}: {exc}") from None
            now = self.ctx.clock()
            review = AnswerReview(subcategory_id=sub, state=new_state, actor=self.ctx.actor, at=now)
            entries = []
            if text:
                repo.add_comments(
                    assessment_id,
                    [
                        ReviewComment(
                            subcategory_id=sub,
                            author=self.ctx.actor,
                            at=now,
                            text=text,
                            action=action,
                        )
                    ],
                )
                entries.append(self._entry(sub, COMMENT_FIELD, text, now))
            repo.set_state(assessment_id, review)
            entries.append(self._entry(sub, REVIEW_FIELD, new_state.value, now))
            self._append(unit, assessment, entries, now)
        return review

    def comment(self, assessment_id: int, subcategory: str, text: str) -> ReviewComment:
        """Add a comment to a subcategory's thread without changing its review state (one
        history entry). Raises InvalidInput (empty, too long, control characters, unknown
        subcategory), NotFound or AssessmentLocked."""
        text = self._comment_text(text)
        if not text:
            raise InvalidInput("a comment needs some text")
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            assessment = self._load(unit, assessment_id)
            self.assessments.ensure_editable(assessment)
            sub = self._subcategory(assessment, subcategory)
            now = self.ctx.clock()
            made = ReviewComment(subcategory_id=sub, author=self.ctx.actor, at=now, text=text)
            reviews_in(unit).add_comments(assessment_id, [made])
            self._append(unit, assessment, [self._entry(sub, COMMENT_FIELD, text, now)], now)
        return made

    @staticmethod
    def _comment_text(text: str) -> str:
        text = text.strip()
        try:
            return check_text(text, COMMENT_MAX)
        except LimitError as exc:
            raise InvalidInput(f"the comment {exc}") from None

    def _entry(self, sub: str, field: str, new: str, now: dt.datetime) -> HistoryEntry:
        return HistoryEntry(subcategory_id=sub, field=field, new=new, actor=self.ctx.actor, at=now)

    def _append(
        self, unit: Any, assessment: Assessment, entries: list[HistoryEntry], now: dt.datetime
    ) -> None:
        prev, seq = _head(assessment)
        unit.history.append(assessment.id, chain(entries, prev, seq))
        unit.assessments.touch(assessment.id, now)

    def state(self, assessment_id: int, subcategory: str) -> AnswerReview:
        """One answer's review state (draft when never set)."""
        assessment = self.assessments.get(assessment_id)
        sub = self._subcategory(assessment, subcategory)
        return self.states(assessment_id).get(sub) or AnswerReview(subcategory_id=sub)

    # The reads the window makes on opening an assessment go through the sqlite3 driver on an
    # SQLite file (as AssessmentService.open does): no SQLAlchemy before the question shows.
    def states(self, assessment_id: int) -> dict[str, AnswerReview]:
        """Subcategory id -> stored review state (absent: draft)."""
        with self.ctx.reading() as unit:
            return reviews_in(unit).states(assessment_id)  # type: ignore[no-any-return]

    def thread(self, assessment_id: int, subcategory: str) -> list[ReviewComment]:
        """The comments of one subcategory, oldest first."""
        assessment = self.assessments.get(assessment_id)
        sub = self._subcategory(assessment, subcategory)
        with self.ctx.reading() as unit:
            return reviews_in(unit).comments(assessment_id, sub)  # type: ignore[no-any-return]

    def listing(self, assessment_id: int, state: ReviewState | None = None) -> list[ReviewLine]:
        """Every subcategory of the assessment's framework with its review state (framework
        order), optionally only those in ``state``. Raises NotFound."""
        assessment = self.assessments.get(assessment_id)
        framework = self.assessments.framework_for(assessment)
        answers = self.assessments.answers(assessment_id)
        with self.ctx.reading() as unit:
            repo = reviews_in(unit)
            states = repo.states(assessment_id)
            comments = repo.comments(assessment_id)
        threads: dict[str, list[ReviewComment]] = {}
        for c in comments:
            threads.setdefault(c.subcategory_id, []).append(c)
        out = []
        for sc in framework.subcategories():
            review = states.get(sc.id) or AnswerReview(subcategory_id=sc.id)
            if state is not None and review.state is not state:
                continue
            thread = threads.get(sc.id, [])
            answer = answers.get(sc.id)
            out.append(
                ReviewLine(
                    sc.id,
                    review,
                    answer is not None and answer.is_answered,
                    len(thread),
                    thread[-1] if thread else None,
                )
            )
        return out

    def counts(self, assessment_id: int) -> dict[ReviewState, int]:
        """How many of the framework's subcategories are in each review state."""
        return review_counts(line.review.state for line in self.listing(assessment_id))

    # -- four-eyes setting and sign-off block ---------------------------------------------
    def four_eyes_relaxed(self, assessment_id: int) -> bool:
        with self.ctx.reading() as unit:
            return bool(reviews_in(unit).four_eyes_relaxed(assessment_id))

    def set_four_eyes(self, assessment_id: int, relaxed: bool) -> bool:
        """Relax (or require again) the four-eyes rule for this assessment; recorded in the
        history when it changes. Returns whether it changed. Raises NotFound or
        AssessmentLocked (a finalized assessment's sign-off is fixed)."""
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            assessment = self._load(unit, assessment_id)
            self.assessments.ensure_editable(assessment)
            changed = record_four_eyes(unit, assessment, relaxed, self.ctx.actor, self.ctx.clock())
        return changed

    def signoff(self, assessment_id: int) -> SignOffBlock:
        """The sign-off block of an assessment: the stored roles, or for an assessment
        finalized before roles existed its one signer as the approver (``legacy_signoff``);
        empty roles for a draft. Raises NotFound."""
        with self.ctx.reading() as unit:
            assessment = self._load(unit, assessment_id)
            return signoff_block(unit, assessment)


def signoff_block(unit: Any, assessment: Assessment) -> SignOffBlock:
    """See ``ReviewService.signoff``; in the caller's unit of the store."""
    repo = reviews_in(unit)
    relaxed = bool(repo.four_eyes_relaxed(assessment.id))
    if assessment.status is not Status.FINALIZED:
        return SignOffBlock(four_eyes_relaxed=relaxed)
    roles = repo.roles(assessment.id)
    if roles:
        return SignOffBlock(roles=roles, four_eyes_relaxed=relaxed)
    legacy = legacy_signoff(
        assessment.finalized_by,
        assessment.finalized_role,
        assessment.finalized_statement,
        assessment.finalized_at,
    )
    return legacy.model_copy(update={"four_eyes_relaxed": relaxed})


def record_four_eyes(
    unit: Any, assessment: Assessment, relaxed: bool, actor: str, now: dt.datetime
) -> bool:
    """Store the four-eyes setting and record a history entry (ASSESSMENT, ``four_eyes``:
    "relaxed" or "required") if it changes; in the caller's transaction, after the chain head
    stored with ``assessment``. Returns whether it changed."""
    repo = reviews_in(unit)
    if bool(repo.four_eyes_relaxed(assessment.id)) == relaxed:
        return False
    repo.set_four_eyes_relaxed(assessment.id, relaxed)
    entry = HistoryEntry(
        subcategory_id=ASSESSMENT_EVENT,
        field=FOUR_EYES_FIELD,
        new="relaxed" if relaxed else "required",
        actor=actor,
        at=now,
    )
    prev, seq = _head(assessment)
    unit.history.append(assessment.id, chain([entry], prev, seq))
    unit.assessments.touch(assessment.id, now)
    return True
