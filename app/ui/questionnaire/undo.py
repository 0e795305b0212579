"""Undoable answer edits: each command stores old and new field values of one answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

# apply(subcategory_id, values, show): write ``values`` through the service; ``show`` puts them
# in the form first (undo/redo; not needed on the first redo, the user just made the change).
Apply = Callable[[str, dict[str, Any], bool], None]


class AnswerEditCommand(QUndoCommand):
    def __init__(
        self,
        apply: Apply,
        subcategory_id: str,
        old: dict[str, Any],
        new: dict[str, Any],
        text: str,
        *,
        already_saved: bool = False,
    ) -> None:
        super().__init__(f"{text} ({subcategory_id})")
        self.apply = apply
        self.subcategory_id = subcategory_id
        self.old = old
        self.new = new
        self._first = True
        self._already_saved = already_saved

    def redo(self) -> None:
        if self._first:
            self._first = False
            if not self._already_saved:
                self.apply(self.subcategory_id, self.new, False)
            return
        self.apply(self.subcategory_id, self.new, True)

    def undo(self) -> None:
        self.apply(self.subcategory_id, self.old, True)


FIELD_LABELS = {
    "metrics": "Rate",
    "level": "Rate",
    "not_applicable": "Not applicable",
    "na_rationale": "Edit rationale",
    "target": "Set target",
    "notes": "Edit notes",
    "evidence_status": "Set evidence status",
    "evidence": "Change evidence",
    "actions_in_place": "Tick suggested actions",
    "genai_actions_in_place": "Tick AI 600-1 actions",
    "owner": "Edit owner",
    "due_date": "Set due date",
    "flagged": "Flag for review",
    "carried_over": "Mark reviewed",
}


def describe(changes: dict[str, Any]) -> str:
    """Undo menu text for a set of changed fields."""
    labels = list(dict.fromkeys(FIELD_LABELS.get(f, f) for f in changes))
    return labels[0] if len(labels) == 1 else "Edit " + ", ".join(label.lower() for label in labels)
