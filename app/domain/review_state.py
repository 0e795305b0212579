"""An answer's review state and what an edit of the answer does to it (``domain.review``).

Apart from the review models so that a save, which asks only whether an edit moves the
stored state, imports no model: a command-line process that records one answer then
defines none of them (issue 13: a command at most 3x a bare ``python -c "import pydantic,
sqlite3"``).
"""

from __future__ import annotations

import enum


class ReviewState(enum.StrEnum):
    DRAFT = "draft"
    READY = "ready_for_review"
    REVIEWED = "reviewed"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "ready_for_review": "Ready for review",
            "reviewed": "Reviewed",
            "returned": "Returned",
        }[self.value]


def after_edit(state: ReviewState) -> ReviewState:
    """The review state after the answer itself was edited.

    Ready for review and reviewed go back to **draft**, not to ready: the reviewer looked at
    (or was asked to look at) content that no longer exists, and the window saves as the user
    types, so the author is most likely still working; they say "ready" again when done.
    Returned stays returned: the edit is the expected response to the return, and the
    reviewer's request stays visible until the author marks the answer ready again.
    """
    if state in (ReviewState.READY, ReviewState.REVIEWED):
        return ReviewState.DRAFT
    return state


def edit_moves(stored: str | None) -> bool:
    """Whether an edit of the answer moves its review state (``after_edit``); ``stored``:
    the stored state's value (None: no state stored, a draft). Raises ValueError for a value
    that is no ReviewState."""
    current = ReviewState(stored) if stored else ReviewState.DRAFT
    return after_edit(current) is not current
