"""A save refused because someone else changed the same fields: show both values, let the user
choose.

Public API::

    ask_about_conflict(parent, conflict, keep_mine, take_theirs, postpone) -> SaveConflictDialog

For each conflicting field the dialog shows the value stored now (the other writer's) and the
user's. "Keep mine" saves the user's values again, based on the stored version (the other
writer's changes to other fields stay); "Use the stored answer" shows the stored values in the
form. Closing the dialog decides nothing: the save stays a failed save (banner, Retry asks
again) and the form keeps the user's values, so no input is lost and nothing is overwritten
silently. Values are selectable, so that a text can be copied before it is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Answer
from app.domain.history import field_value_text
from app.ui.history.history_model import FIELD_NAMES, readable
from app.ui.style import heading, muted

# Free text is shown whole, line breaks kept, in a box of this many lines (scrolls beyond).
_TEXT_FIELDS = {"notes", "na_rationale"}
_TEXT_LINES = 4


class _Conflict:
    """What the dialog needs of a controller's SaveConflict (kept structural: no import of
    the questionnaire package)."""

    subcategory_id: str
    fields: dict[str, tuple[Any, Any]]
    stored: Answer
    version: int


def value_text(stored: Answer, field: str, value: Any) -> str:
    """One field's value as the history view reads it (free text whole)."""
    text = field_value_text(stored.model_copy(update={field: value}), field)
    if field in _TEXT_FIELDS:
        return text or "(empty)"
    return readable(field, text)


class SaveConflictDialog(QDialog):
    """After ``finished``: ``choice`` is "mine", "theirs" or None (closed undecided)."""

    def __init__(self, conflict: _Conflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveConflictDialog")
        self.setWindowTitle("Changed by someone else")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.choice: str | None = None
        self.subcategory_id = conflict.subcategory_id

        self.heading = heading("", factor=1.2, parent=self)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("saveConflictExplanation")

        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(1, 1)
        self._grid.setColumnStretch(2, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._grid_host)

        self.buttons = QDialogButtonBox(self)
        self.keep_button = self.buttons.addButton(
            "&Keep mine", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_button.setObjectName("keepMineButton")
        self.keep_button.setToolTip("Save your values over the stored ones")
        self.take_button = self.buttons.addButton(
            "&Use the stored answer", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.take_button.setObjectName("takeTheirsButton")
        self.take_button.setToolTip("Show the stored values in the form; yours are not saved")
        self.keep_button.clicked.connect(lambda: self._choose("mine"))
        self.take_button.clicked.connect(lambda: self._choose("theirs"))
        self.keep_button.setAutoDefault(False)
        self.take_button.setAutoDefault(False)  # a decision, never a stray Enter

        later = muted(
            QLabel("Close this window to decide later: Retry in the banner asks again.", self)
        )
        later.setWordWrap(True)

        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.explanation)
        column.addWidget(scroll, 1)
        column.addWidget(later)
        column.addWidget(self.buttons)
        self.show_conflict(conflict)
        self.resize(max(640, self.sizeHint().width()), min(520, self.sizeHint().height() + 40))

    def show_conflict(self, conflict: _Conflict) -> None:
        """Show (again) the conflict: both values of every conflicting field."""
        sub = conflict.subcategory_id
        self.heading.setText(f"{sub} was changed by someone else")
        count = len(conflict.fields)
        which = "this field" if count == 1 else f"these {count} fields"
        self.explanation.setText(
            f"While you were editing, another save changed {which} of {sub}. Your change was "
            "not saved, and nothing was overwritten. Choose which value to keep."
        )
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        for col, title in enumerate(("Field", "Stored now (theirs)", "Yours (not saved)")):
            label = QLabel(f"<b>{title}</b>", self._grid_host)
            self._grid.addWidget(label, 0, col)
        reading_order: list[QWidget] = []
        for row, (field, (stored, mine)) in enumerate(conflict.fields.items(), start=1):
            name = QLabel(FIELD_NAMES.get(field, field), self._grid_host)
            name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self._grid.addWidget(name, row, 0)
            for col, value, role in ((1, stored, "stored"), (2, mine, "yours")):
                widget = self._value(field, value_text(conflict.stored, field, value))
                widget.setObjectName(f"conflict_{field}_{role}")
                widget.setAccessibleName(f"{FIELD_NAMES.get(field, field)}, {role}")
                self._grid.addWidget(widget, row, col)
                if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                    reading_order.append(widget)
        # The values are made after the buttons: Tab goes through them first, as they are read.
        reading_order += [self.keep_button, self.take_button]
        for before, after in zip(reading_order, reading_order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _value(self, field: str, text: str) -> QWidget:
        if field in _TEXT_FIELDS:
            box = QPlainTextEdit(text, self._grid_host)
            box.setReadOnly(True)
            box.setFixedHeight(self.fontMetrics().lineSpacing() * _TEXT_LINES + 12)
            return box
        label = QLabel(text, self._grid_host)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return label

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_about_conflict(
    parent: QWidget,
    conflict: _Conflict,
    keep_mine: Callable[[str], None],
    take_theirs: Callable[[str], None],
    postpone: Callable[[str], None],
) -> SaveConflictDialog:
    """Open (window-modal, without blocking) the dialog for ``conflict``, or bring the one
    already open for the same subcategory up to date. The chosen callback gets the
    subcategory id once the user decides; ``postpone`` if the dialog is closed undecided."""
    for dialog in parent.findChildren(SaveConflictDialog):
        if dialog.isVisible() and dialog.subcategory_id == conflict.subcategory_id:
            dialog.show_conflict(conflict)
            dialog.raise_()
            return dialog
    dialog = SaveConflictDialog(conflict, parent)
    sub = conflict.subcategory_id

    def finished(_result: int) -> None:
        {"mine": keep_mine, "theirs": take_theirs}.get(dialog.choice or "", postpone)(sub)
        dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
