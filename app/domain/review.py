"""Review of answers by a second person, and the three-role sign-off with its four-eyes rule.

Pure rules, no I/O:

- Each answer has a review state (``ReviewState``): draft, ready for review, reviewed, or
  returned (with a comment). ``transition`` says which moves are allowed; ``after_edit`` what an
  edit of the answer does to its state. An answer without a stored state is a draft, so answers
  carried over to a new cycle (and copies) start as drafts: the review of an earlier cycle
  vouched for that cycle, not this one.
- Reviewer comments form a thread per subcategory (``ReviewComment``), recorded in the
  hash-chained history (fields ``REVIEW_FIELD`` and ``COMMENT_FIELD``) and stored for display.
- Finalizing records up to three roles (``SignOffRole``): assessor, reviewer, approver. The
  approver is the sign-off that locks the assessment (the ``finalized_by`` of older versions).
  Four-eyes (``four_eyes_problem``): the approver may not be the person who made the last change
  to any answer, unless the assessment relaxes the rule, which the sign-off then records.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.domain.assessment import ANSWER_FIELDS, HistoryEntry
from app.domain.history import ASSESSMENT_EVENT
from app.domain.limits import (
    NAME_MAX,
    STATEMENT_MAX,
    TEXT_MAX,
    check_instant,
    control_character,
)
from app.domain.review_state import ReviewState

# History fields of review events on a subcategory (beside the answer's own fields, which they
# never change): the new review state, and one reviewer comment.
REVIEW_FIELD = "review"
COMMENT_FIELD = "review_comment"
# History fields of the assessment-wide events (subcategory ASSESSMENT) this module adds: the
# four-eyes setting ("required"/"relaxed") and one entry per sign-off role (JSON, see
# ``SignOffRole.history_text``), written just before the finalizing status event.
FOUR_EYES_FIELD = "four_eyes"
SIGNOFF_FIELD_PREFIX = "signoff_"
COMMENT_MAX = TEXT_MAX


class ReviewRefused(ValueError):
    """A review transition or a sign-off that the rules do not allow; the message says why."""


class ReviewAction(enum.StrEnum):
    READY = "ready"
    APPROVE = "approve"
    RETURN = "return"

    @property
    def label(self) -> str:
        return {"ready": "mark ready for review", "approve": "approve", "return": "return"}[
            self.value
        ]


# (from, action) -> to. Approving needs the author to have asked for review first; a return
# can also take back an approval (the reviewer found something after all).
_TRANSITIONS: dict[tuple[ReviewState, ReviewAction], ReviewState] = {
    (ReviewState.DRAFT, ReviewAction.READY): ReviewState.READY,
    (ReviewState.RETURNED, ReviewAction.READY): ReviewState.READY,
    (ReviewState.READY, ReviewAction.APPROVE): ReviewState.REVIEWED,
    (ReviewState.READY, ReviewAction.RETURN): ReviewState.RETURNED,
    (ReviewState.REVIEWED, ReviewAction.RETURN): ReviewState.RETURNED,
}


def allowed_actions(state: ReviewState) -> list[ReviewAction]:
    """The actions allowed from ``state``, in ReviewAction order."""
    return [a for a in ReviewAction if (state, a) in _TRANSITIONS]


def transition(state: ReviewState, action: ReviewAction, comment: str = "") -> ReviewState:
    """The state ``action`` leads to from ``state``.

    A return needs a comment (what to fix). Raises ReviewRefused naming the state and what is
    allowed from it.
    """
    if action is ReviewAction.RETURN and not comment.strip():
        raise ReviewRefused("returning an answer needs a comment saying what to change")
    target = _TRANSITIONS.get((state, action))
    if target is None:
        allowed = [a.label for a in allowed_actions(state)]
        hint = (
            f"allowed: {', '.join(allowed)}"
            if allowed
            else "nothing is allowed from it; edit the answer first"
        )
        raise ReviewRefused(
            f"cannot {action.label} an answer that is {state.label.lower()} ({hint})"
        )
    return target


def _instant(value: dt.datetime) -> dt.datetime:
    return check_instant(value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC))


def _no_controls(value: str, *, multiline: bool = True) -> str:
    bad = control_character(value, multiline=multiline)
    if bad is not None:
        raise ValueError(f"contains the control character {bad}")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class AnswerReview(_Model):
    """The review state of one answer: what it is, who set it and when."""

    subcategory_id: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
    state: ReviewState = ReviewState.DRAFT
    actor: Annotated[str, StringConstraints(max_length=NAME_MAX)] = ""
    at: dt.datetime | None = None

    @field_validator("at")
    @classmethod
    def _at(cls, value: dt.datetime | None) -> dt.datetime | None:
        return None if value is None else _instant(value)


class ReviewComment(_Model):
    """One comment in a subcategory's review thread. ``action``: the review action it came
    with ("" for a plain comment)."""

    subcategory_id: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
    author: Annotated[str, StringConstraints(max_length=NAME_MAX)]
    at: dt.datetime
    text: Annotated[str, StringConstraints(min_length=1, max_length=COMMENT_MAX)]
    action: ReviewAction | None = None

    @field_validator("at")
    @classmethod
    def _at(cls, value: dt.datetime) -> dt.datetime:
        return _instant(value)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return _no_controls(value)


class RoleKind(enum.StrEnum):
    """The three roles of a sign-off, in the order they sign."""

    ASSESSOR = "assessor"
    REVIEWER = "reviewer"
    APPROVER = "approver"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class SignOffRole(_Model):
    """One person's part in a sign-off: which of the three roles, their name, their role or
    title as they wish it printed (e.g. "AI governance lead"), the statement they sign and when
    (UTC)."""

    kind: RoleKind
    name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
    title: Annotated[str, StringConstraints(max_length=NAME_MAX)] = ""
    statement: Annotated[str, StringConstraints(max_length=STATEMENT_MAX)] = ""
    at: dt.datetime | None = None

    @field_validator("name", "title")
    @classmethod
    def _line(cls, value: str) -> str:
        return _no_controls(value, multiline=False)

    @field_validator("statement")
    @classmethod
    def _statement(cls, value: str) -> str:
        return _no_controls(value)

    @field_validator("at")
    @classmethod
    def _at(cls, value: dt.datetime | None) -> dt.datetime | None:
        return None if value is None else _instant(value)

    def history_text(self) -> str:
        """The new value of the history entry that records this role at finalizing (canonical
        JSON: the entry's hash, and so the sealed fingerprint via the chain head, covers it)."""
        at = self.at
        content = {
            "name": self.name,
            "title": self.title,
            "statement": self.statement,
            "at": None if at is None else at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        }
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class SignOffBlock(_Model):
    """What a finalized assessment's sign-off records: the roles that signed (assessor,
    reviewer, approver order; the approver always present once finalized) and whether the
    four-eyes rule was relaxed for it. What the report prints."""

    roles: list[SignOffRole] = Field(default_factory=list, max_length=3)
    four_eyes_relaxed: bool = False

    def role(self, kind: RoleKind) -> SignOffRole | None:
        for r in self.roles:
            if r.kind is kind:
                return r
        return None

    @field_validator("roles")
    @classmethod
    def _one_each(cls, value: list[SignOffRole]) -> list[SignOffRole]:
        kinds = [r.kind for r in value]
        if len(set(kinds)) != len(kinds):
            raise ValueError("each sign-off role appears at most once")
        return sorted(value, key=lambda r: list(RoleKind).index(r.kind))


def legacy_signoff(name: str, title: str, statement: str, at: dt.datetime | None) -> SignOffBlock:
    """The sign-off block of an assessment finalized before roles existed (schema before 0009,
    export format 2): its one signer signed it off and locked it, so they are the **approver**
    (not the assessor: the old dialog asked for whoever takes responsibility for the result).
    Empty when ``name`` is empty (never finalized)."""
    if not name:
        return SignOffBlock()
    return SignOffBlock(
        roles=[
            SignOffRole(kind=RoleKind.APPROVER, name=name, title=title, statement=statement, at=at)
        ]
    )


# A change imported from a file records its actor as "alice (from answers.xlsx)"
# (services.answers): the person is still alice.
_FROM_FILE = re.compile(r"\s+\(from .*\)$", re.S)


def _person(name: str) -> str:
    """A person's name as compared by the four-eyes rule: case and spacing do not matter, and
    a change imported from a file ("alice (from answers.xlsx)") counts as its actor's."""
    return " ".join(_FROM_FILE.sub("", name).split()).casefold()


def last_changers(entries: Iterable[HistoryEntry]) -> dict[str, str]:
    """Subcategory id -> the actor of the last change to that answer's content (history entries
    of answer fields, in chain order). Review events and comments are not changes of the answer.
    """
    out: dict[str, str] = {}
    fields = set(ANSWER_FIELDS)
    for entry in entries:
        if entry.field in fields:
            out[entry.subcategory_id] = entry.actor
    return out


def four_eyes_problem(approver: str, changers: Mapping[str, str]) -> str | None:
    """None if ``approver`` made the last change to no answer; else one sentence naming the
    person and (up to three of) the subcategories. ``changers``: see ``last_changers``.

    Names are compared without regard to case or spacing. The history records actors as the
    app knows them (the login name in single-user mode, the server session's user in team
    mode), so an approver typed differently from their login name is not recognised: the rule
    guards against an honest slip, not against someone signing under another name.
    """
    wanted = _person(approver)
    mine = sorted(sub for sub, actor in changers.items() if _person(actor) == wanted)
    if not wanted or not mine:
        return None
    shown = ", ".join(mine[:3]) + (f" and {len(mine) - 3} more" if len(mine) > 3 else "")
    who = changers[mine[0]]
    return (
        f"four-eyes rule: the approver {approver} made the last change to {shown} "
        f"(recorded as {who}); another person must approve, or relax the rule for this "
        "assessment"
    )


def review_counts(states: Iterable[ReviewState]) -> dict[ReviewState, int]:
    """How many answers are in each review state (every state present, in enum order)."""
    counts = dict.fromkeys(ReviewState, 0)
    for state in states:
        counts[state] += 1
    return counts


def _utc_text(at: dt.datetime | None) -> str:
    return "" if at is None else _instant(at).astimezone(dt.UTC).isoformat(timespec="microseconds")


def review_problems(
    entries: Sequence[HistoryEntry],
    states: Mapping[str, ReviewState],
    comments: Sequence[ReviewComment],
    roles: Sequence[SignOffRole],
    four_eyes_relaxed: bool,
) -> list[str]:
    """Replay the review events of a history (in chain order) and compare them with the stored
    review data: each answer's state (absent: draft), the comment threads (author, time, text,
    in order), the assessor's and reviewer's sign-off since the last reopening, and the
    four-eyes setting. One sentence per difference (empty: they agree); what an import refuses
    and ``verify`` reports, since only the history is covered by the fingerprint."""
    expected_states: dict[str, str] = {}
    expected_comments: list[tuple[str, str, str, str]] = []
    expected_roles: dict[str, str] = {}
    relaxed = False
    for e in entries:
        if e.subcategory_id == ASSESSMENT_EVENT:
            if e.field == FOUR_EYES_FIELD:
                relaxed = e.new == "relaxed"
            elif e.field.startswith(SIGNOFF_FIELD_PREFIX):
                expected_roles[e.field[len(SIGNOFF_FIELD_PREFIX) :]] = e.new
            elif e.field == "status" and not e.new.startswith("finalized"):
                expected_roles.clear()  # reopened: the next finalize signs afresh
        elif e.field == REVIEW_FIELD:
            expected_states[e.subcategory_id] = e.new
        elif e.field == COMMENT_FIELD:
            expected_comments.append((e.subcategory_id, e.actor, _utc_text(e.at), e.new))
    out = []
    for sub in sorted(set(expected_states) | set(states)):
        want = expected_states.get(sub, ReviewState.DRAFT.value)
        have = states.get(sub, ReviewState.DRAFT).value
        if want != have:
            out.append(f"{sub}: review state is {have}, the history says {want}")
    stored_comments = [(c.subcategory_id, c.author, _utc_text(c.at), c.text) for c in comments]
    if stored_comments != expected_comments:
        out.append(
            f"the review comments ({len(stored_comments)}) are not those the history records "
            f"({len(expected_comments)})"
        )
    stored_roles = {
        r.kind.value: r.history_text() for r in roles if r.kind is not RoleKind.APPROVER
    }
    if stored_roles != expected_roles:
        out.append("the sign-off roles are not those the history records")
    if relaxed != four_eyes_relaxed:
        setting = "relaxed" if four_eyes_relaxed else "required"
        out.append(f"the four-eyes rule is stored as {setting}, the history says otherwise")
    return out
