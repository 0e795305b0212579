"""The questionnaire's menu actions and keyboard shortcuts (the shell puts them in its menus)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.domain.rating import RatingScheme
from app.ui.questionnaire.editor import FLAG_SHORTCUT, NA_SHORTCUT
from app.ui.questionnaire.rating_widgets import rating_action_labels, rating_shortcut

RATING_SLOTS = 9


def _action(parent: QWidget, text: str, name: str, shortcut: str = "", tip: str = "") -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    plain = text.replace("&", "").rstrip("…")
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or plain} ({native})")
    else:
        action.setToolTip(tip or plain)
    action.setStatusTip(tip or plain)
    parent.addAction(action)  # shortcuts work on the page even before the shell adds menus
    return action


class QuestionnaireActions:
    def __init__(self, parent: QWidget) -> None:
        self.previous = _action(parent, "&Previous subcategory", "actionPrevious", "Alt+Left")
        self.next = _action(parent, "&Next subcategory", "actionNext", "Alt+Right")
        self.next_unanswered = _action(
            parent,
            "Next &unanswered",
            "actionNextUnanswered",
            "Ctrl+U",
            "Go to the next subcategory that is neither rated nor not applicable",
        )
        self.find = _action(
            parent,
            "&Find subcategory…",
            "actionFindSubcategory",
            "Ctrl+F",
            "Search ids, statements and your notes",
        )
        self.ratings = [
            _action(parent, f"Rating {i}", f"actionRating{i}", rating_shortcut(i))
            for i in range(1, RATING_SLOTS + 1)
        ]
        self.not_applicable = _action(
            parent,
            "Not &applicable",
            "actionNotApplicable",
            NA_SHORTCUT,
            "Mark or unmark the subcategory not applicable (needs a rationale)",
        )
        self.flag = _action(
            parent, "&Flag for review", "actionFlag", FLAG_SHORTCUT, "Flag or unflag for review"
        )
        self.clear_rating = _action(parent, "&Clear rating", "actionClearRating")
        self._separator = QAction(parent)
        self._separator.setSeparator(True)

    def set_scheme(self, scheme: RatingScheme) -> None:
        labels = rating_action_labels(scheme)
        for i, action in enumerate(self.ratings):
            visible = i < len(labels)
            action.setVisible(visible)
            if visible:
                action.setText(labels[i])
                native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{labels[i]} ({native})")
                action.setStatusTip(labels[i])

    def navigate(self) -> list[QAction]:
        return [self.previous, self.next, self.next_unanswered, self.find]

    def rating(self) -> list[QAction]:
        return [*self.ratings, self._separator, self.not_applicable, self.clear_rating, self.flag]

    def all(self) -> list[QAction]:
        return [*self.navigate(), *self.ratings, self.not_applicable, self.clear_rating, self.flag]
