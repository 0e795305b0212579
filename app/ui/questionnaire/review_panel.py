"""The review section of the answer editor: the answer's review state, the buttons that move
it (Ready for review, Approve, Return with comment), a comment box and the comment thread.

It reads and writes through ``ReviewService`` on the window's write queue (so a read sees
every save queued before it) and announces states for the navigator's markers:
``states_loaded`` (every subcategory, when an assessment opens) and ``state_changed`` (one).
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.days import format_local_time
from app.domain.review import (
    COMMENT_MAX,
    AnswerReview,
    ReviewAction,
    ReviewComment,
    ReviewState,
    allowed_actions,
)
from app.services.context import ServiceContext
from app.services.errors import ServiceError
from app.services.review import ReviewService
from app.ui.style import error_label
from app.ui.workers import Background

log = logging.getLogger(__name__)

COMMENT_HINT = "A comment for the review thread (needed to return the answer)"
NO_COMMENTS = "No comments yet. Reviewers and authors discuss the answer here."


class ReviewPanel(QGroupBox):
    states_loaded = Signal(dict)  # subcategory id -> ReviewState, for the whole assessment
    state_changed = Signal(str, object)  # subcategory id, ReviewState

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Review", parent)
        self.setObjectName("reviewBox")
        self.ctx: ServiceContext | None = None
        self.background: Background | None = None
        self.assessment_id: int | None = None
        self.subcategory_id: str | None = None
        self.read_only = False
        self.review: AnswerReview | None = None
        self._generation = 0
        self._busy = False

        self.state = QLabel(self)
        self.state.setObjectName("reviewState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.ready = self._button("Ready for re&view", "reviewReady", "Ask for a review")
        self.approve = self._button(
            "A&pprove", "reviewApprove", "Mark the answer reviewed (a second person checks it)"
        )
        self.return_ = self._button(
            "Re&turn with comment",
            "reviewReturn",
            "Send the answer back to its author with the comment below",
        )
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("reviewComment")
        self.comment.setAccessibleName("Review comment")
        self.comment.setPlaceholderText(COMMENT_HINT)
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(self.comment.fontMetrics().lineSpacing() * 3 + 14)
        self.comment.textChanged.connect(self._comment_changed)
        self.add_comment = self._button(
            "Add co&mment", "reviewAddComment", "Add the comment without changing the state"
        )
        self.error = error_label(self, "reviewError")
        self.thread = QLabel(self)
        self.thread.setObjectName("reviewThread")
        self.thread.setAccessibleName("Review comments")
        self.thread.setWordWrap(True)
        self.thread.setTextFormat(Qt.TextFormat.RichText)
        self.thread.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for b in (self.ready, self.approve, self.return_):
            buttons.addWidget(b)
        buttons.addStretch(1)
        comment_row = QHBoxLayout()
        comment_row.addWidget(self.comment, 1)
        comment_row.addWidget(self.add_comment, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self)
        column.addWidget(self.state)
        column.addLayout(buttons)
        column.addLayout(comment_row)
        column.addWidget(self.error)
        column.addWidget(self.thread)

        self.ready.clicked.connect(lambda: self._act(ReviewAction.READY))
        self.approve.clicked.connect(lambda: self._act(ReviewAction.APPROVE))
        self.return_.clicked.connect(lambda: self._act(ReviewAction.RETURN))
        self.add_comment.clicked.connect(self._comment)
        self._show(None, [])

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.replace("&", ""))
        button.setToolTip(tip)
        return button

    # -- feeding --------------------------------------------------------------------------
    def bind(self, ctx: ServiceContext, background: Background) -> None:
        self.ctx, self.background = ctx, background

    def load(self, assessment_id: int, read_only: bool) -> None:
        """A new assessment is open: read every state (for the navigator)."""
        self.assessment_id, self.subcategory_id, self.read_only = assessment_id, None, read_only
        self._generation += 1
        if self.ctx is None or self.background is None:
            return
        ctx, generation = self.ctx, self._generation

        def done(states: dict[str, AnswerReview]) -> None:
            if isValid(self) and generation == self._generation:
                self.states_loaded.emit({k: v.state for k, v in states.items()})

        self.background.write(
            lambda: ReviewService(ctx).states(assessment_id),
            done,
            lambda exc: log.warning("review states not read: %s", exc),
        )

    def show_for(self, subcategory_id: str) -> None:
        """Show one subcategory's review state and thread (read on the write queue)."""
        self.subcategory_id = subcategory_id
        self.comment.clear()
        self.error.setVisible(False)
        self._show(None, [])  # until read: no actions on the previous subcategory's state
        self.refresh(subcategory_id)

    def refresh(self, subcategory_id: str) -> None:
        """Read one subcategory's state again (e.g. after a save moved it back to draft);
        announce it, and show it if it is the one in the editor."""
        if self.ctx is None or self.background is None or self.assessment_id is None:
            return
        ctx, aid, generation = self.ctx, self.assessment_id, self._generation

        def read() -> tuple[AnswerReview, list[ReviewComment]]:
            service = ReviewService(ctx)
            return service.state(aid, subcategory_id), service.thread(aid, subcategory_id)

        def done(result: tuple[AnswerReview, list[ReviewComment]]) -> None:
            if not isValid(self) or generation != self._generation:
                return
            review, thread = result
            self.state_changed.emit(subcategory_id, review.state)
            if subcategory_id == self.subcategory_id:
                self._show(review, thread)

        def failed(exc: Exception) -> None:
            if isValid(self) and subcategory_id == self.subcategory_id:
                self._refuse(f"The review state cannot be read: {exc}")

        self.background.write(read, done, failed)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_enabled()

    # -- showing --------------------------------------------------------------------------
    def _show(self, review: AnswerReview | None, thread: list[ReviewComment]) -> None:
        self.review = review
        state = review.state if review is not None else ReviewState.DRAFT
        text = f"<b>{html.escape(state.label)}</b>"
        if review is not None and review.actor and review.at is not None:
            text += (
                f" — set by {html.escape(review.actor)} on "
                f"{html.escape(format_local_time(review.at))}"
            )
        hints = {
            ReviewState.DRAFT: "The author marks the answer ready when it is done.",
            ReviewState.READY: "Waiting for a second person to approve it or return it.",
            ReviewState.REVIEWED: "Editing the answer sends it back to draft.",
            ReviewState.RETURNED: "Change the answer, then mark it ready for review again.",
        }
        text += f"<br>{html.escape(hints[state])}"
        self.state.setText(text)
        self.state.setAccessibleName(f"Review state: {state.label}")
        if thread:
            self.thread.setText("<br><br>".join(_comment_html(c) for c in thread))
            self.thread.setAccessibleName(f"Review comments ({len(thread)})")
        else:
            self.thread.setText(html.escape(NO_COMMENTS))
            self.thread.setAccessibleName("Review comments (none)")
        self._update_enabled()

    def _update_enabled(self) -> None:
        state = self.review.state if self.review is not None else ReviewState.DRAFT
        allowed = set(allowed_actions(state))
        usable = (
            not self.read_only
            and not self._busy
            and self.subcategory_id is not None
            and self.review is not None  # read: the buttons act on the state shown
        )
        self.ready.setEnabled(usable and ReviewAction.READY in allowed)
        self.approve.setEnabled(usable and ReviewAction.APPROVE in allowed)
        self.return_.setEnabled(usable and ReviewAction.RETURN in allowed)
        self.comment.setReadOnly(not usable)
        self.add_comment.setEnabled(usable and bool(self.comment.toPlainText().strip()))

    def _comment_changed(self) -> None:
        self.add_comment.setEnabled(
            not self.read_only
            and not self._busy
            and self.subcategory_id is not None
            and bool(self.comment.toPlainText().strip())
        )
        if self.error.isVisible():
            self.error.setVisible(False)

    def _refuse(self, message: str) -> None:
        self.error.setText(message[:1].upper() + message[1:])
        self.error.setVisible(True)

    # -- acting ---------------------------------------------------------------------------
    def _act(self, action: ReviewAction) -> None:
        text = self.comment.toPlainText().strip()
        if action is ReviewAction.RETURN and not text:
            self._refuse("Write a comment saying what to change, then return the answer.")
            self.comment.setFocus()
            return
        self._run(lambda service, aid, sub: service.act(aid, sub, action, text))

    def _comment(self) -> None:
        text = self.comment.toPlainText().strip()
        if text:
            self._run(lambda service, aid, sub: service.comment(aid, sub, text))

    def _run(self, work: Any) -> None:
        ctx, background = self.ctx, self.background
        aid, sub = self.assessment_id, self.subcategory_id
        if ctx is None or background is None or aid is None or sub is None:
            return
        if len(self.comment.toPlainText()) > COMMENT_MAX:
            self._refuse(f"The comment is longer than {COMMENT_MAX:,} characters.")
            return
        self._busy = True
        self._update_enabled()

        def done(_result: Any) -> None:
            if not isValid(self):
                return
            self._busy = False
            if sub == self.subcategory_id:
                self.comment.clear()
            self.refresh(sub)

        def failed(exc: Exception) -> None:
            if not isValid(self):
                return
            self._busy = False
            self._update_enabled()
            if isinstance(exc, ServiceError):
                self._refuse(f"{exc}. Nothing was changed.")
            else:
                log.error("review action failed: %r", exc)
                self._refuse(f"Nothing was changed: an unexpected error occurred ({exc})")

        background.write(lambda: work(ReviewService(ctx), aid, sub), done, failed)


def _comment_html(comment: ReviewComment) -> str:
    what = (
        {
            ReviewAction.READY: " (ready for review)",
            ReviewAction.APPROVE: " (approved)",
            ReviewAction.RETURN: " (returned)",
        }.get(comment.action, "")
        if comment.action is not None
        else ""
    )
    text = html.escape(comment.text).replace("\n", "<br>")
    return (
        f"<b>{html.escape(comment.author)}</b> · {html.escape(format_local_time(comment.at))}"
        f"{what}<br>{text}"
    )
