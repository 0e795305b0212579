"""The table model of remediation actions, shared by the subcategory section and the view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.domain.actions import RemediationAction
from app.domain.days import format_day
from app.services.actions import SHORT_ID, ListedAction
from app.ui.style import error_color
from app.ui.table_model import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ACTION_ROLE = Qt.ItemDataRole.UserRole

# Column key -> header. The view shows them all; the subcategory section a few.
COLUMNS: dict[str, str] = {
    "id": "ID",
    "subcategory": "Subcategory",
    "function": "Function",
    "title": "Title",
    "status": "Status",
    "priority": "Priority",
    "owner": "Owner",
    "due": "Due",
}
SECTION_COLUMNS = ("title", "status", "due")  # a narrow panel: owner, priority in the tip


def status_text(listed: ListedAction) -> str:
    """The status as every table shows it; overdue said in words, not only in colour."""
    text = listed.action.status.label
    if listed.overdue:
        text += " (overdue)"
    if listed.action.carried_over:
        text += " · carried over"
    return text


class ActionsTableModel(ReadOnlyTableModel):
    """Rows of ``ListedAction``; ``columns`` picks and orders the columns (keys of COLUMNS).

    ``ACTION_ROLE`` gives a row's ``RemediationAction``; ``SORT_ROLE`` a value that sorts as
    a person expects (due dates by date with none last, priority high first).
    """

    def __init__(self, columns: Sequence[str] = tuple(COLUMNS), parent: Any = None) -> None:
        super().__init__(parent)
        self.keys = tuple(columns)
        self.column_count = len(self.keys)

    def action(self, row: int) -> RemediationAction:
        return self.row(row).action  # type: ignore[no-any-return]

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < self.column_count
        ):
            return COLUMNS[self.keys[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid(index):
            return None
        listed: ListedAction = self._rows[index.row()]
        key = self.keys[index.column()]
        if role == ACTION_ROLE:
            return listed.action
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(listed, key)
        if role == SORT_ROLE:
            return self._sort_key(listed, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            a = listed.action
            if key == "title":
                owner = f"Owner: {a.owner}" if a.owner else "No owner"
                head = f"{a.title}\n{owner} · {a.priority.label} priority"
                return f"{head}\n\n{a.description}" if a.description else head
            if key == "status" and a.rationale:
                return f"Rationale: {a.rationale}"
            return None
        if role == Qt.ItemDataRole.ForegroundRole and key in ("status", "due") and listed.overdue:
            return error_color()
        return None

    @staticmethod
    def _text(listed: ListedAction, key: str) -> str:
        a = listed.action
        return {
            "id": a.uid[:SHORT_ID],
            "subcategory": a.subcategory_id,
            "function": listed.function,
            "title": a.title,
            "status": status_text(listed),
            "priority": a.priority.label,
            "owner": a.owner or "–",
            "due": format_day(a.due_date),
        }[key]

    @staticmethod
    def _sort_key(listed: ListedAction, key: str) -> Any:
        a = listed.action
        if key == "due":
            return (a.due_date or dt.date.max).toordinal()
        if key == "priority":
            return a.priority.rank
        if key == "status":
            return list(type(a.status)).index(a.status)
        if key == "subcategory":
            return listed.extra.get("order", 0)
        if key == "owner":
            return a.owner.casefold() or "\uffff"  # no owner last
        return ActionsTableModel._text(listed, key).casefold()
