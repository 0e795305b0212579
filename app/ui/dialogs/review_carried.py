"""Mark carried-over answers reviewed, several at once, after a confirmation.

Public API::

    review = ReviewCarried(window)   # builds ``review.action`` (Assessment menu) and listens to
                                     # the navigator's ``review_requested(ids, what)``
    review.request(ids, what)        # ask, then mark (off the UI thread); ``box`` while asking
    review.update()                  # enable the action for an open draft

An answer carried over from the previous cycle counts as complete only once someone has looked
at it (issue 11). Marking keeps every answer exactly as it was carried over and adds one history
entry per answer (``LifecycleService.mark_reviewed``); the confirmation says so, names the
answers and whose name the history records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.assessment import Status
from app.ui.dialogs.messages import show_error, show_info
from app.ui.home.page import make_action

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

MAX_LISTED = 12  # answers named in the confirmation before "and N more"


def confirm_text(ids: list[str], what: str, actor: str) -> tuple[str, str]:
    """The confirmation's question and its details."""
    n = len(ids)
    answers = "1 carried-over answer" if n == 1 else f"{n} carried-over answers"
    listed = ", ".join(ids[:MAX_LISTED]) + (f" and {n - MAX_LISTED} more" if n > MAX_LISTED else "")
    question = f"Mark {answers} of {what} reviewed?"
    details = (
        f"{listed}.\n\nEach answer stays exactly as it was carried over from the previous cycle "
        "(rating or N/A, notes, evidence, owner, due date) and from now on counts as complete "
        f"in this cycle. The change history records one entry per answer under “{actor}”. "
        "To change an answer instead, open it and edit it."
    )
    return question, details


class ReviewCarried(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.box: QMessageBox | None = None
        self.action = make_action(
            window,
            "markCarriedReviewedAction",
            "&Mark carried-over answers reviewed…",
            "Confirm every answer carried over from the previous cycle as it is "
            "(a category or function: right-click it in the navigator)",
        )
        self.action.triggered.connect(self.request_all)
        navigator = getattr(window.questionnaire, "navigator", None)
        if navigator is not None:  # absent from the stand-in page of a broken build
            navigator.review_requested.connect(self.request)

    def update(self) -> None:
        current = self.window.current
        self.action.setEnabled(current is not None and current.status is not Status.FINALIZED)

    def request_all(self) -> None:
        navigator = getattr(self.window.questionnaire, "navigator", None)
        if navigator is None or self.window.current is None:
            return
        ids = navigator.carried_over(navigator.model.subcategory_ids())
        self.request(ids, "the whole assessment")

    def request(self, ids: list[str], what: str) -> None:
        """Ask to mark ``ids`` (carried-over answers of ``what``) reviewed; mark on Yes."""
        current = self.window.current
        if current is None:
            return
        title = "Mark carried-over answers reviewed"
        if current.status is Status.FINALIZED:
            show_info(
                self.window,
                title,
                "This assessment is finalized and read-only. Reopen it first "
                "(Assessment > Reopen for edits).",
            )
            return
        if not ids:
            show_info(self.window, title, f"No answer of {what} is waiting for review.")
            return
        question, details = confirm_text(ids, what, self.window.ctx.actor)
        box = QMessageBox(self.window)
        box.setObjectName("confirmReviewBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(question)
        box.setInformativeText(details)
        mark = box.addButton("Mark reviewed", QMessageBox.ButtonRole.AcceptRole)
        mark.setObjectName("confirmReviewButton")
        mark.setAccessibleName("Mark the answers reviewed")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("cancelReviewButton")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.box = box
        box.destroyed.connect(lambda *_: setattr(self, "box", None))
        aid = current.id

        def finished(_result: int) -> None:
            if box.clickedButton() is mark:
                self._mark(aid, list(ids))

        box.finished.connect(finished)
        box.open()

    def _mark(self, aid: int, ids: list[str]) -> None:
        from app.services.lifecycle import LifecycleService

        window = self.window
        window.questionnaire.flush()  # an edit being typed is saved first, then this
        ctx = window.ctx

        def done(marked: list[str]) -> None:
            n = len(marked)
            window.show_message(f"Marked {n} answer{'s' if n != 1 else ''} reviewed")
            from app.ui.shell.changes import Change, Kind

            window.publish(Change.of(Kind.ANSWERS, aid))

        window.background.write(
            lambda: LifecycleService(ctx).mark_reviewed(aid, ids),
            done,
            lambda exc: show_error(window, "The answers could not be marked reviewed", str(exc)),
        )
