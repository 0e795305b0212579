"""Qt model of answer history entries: when, who, what, old -> new (full values in tooltips)."""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain.assessment import HistoryEntry
from app.domain.days import format_local_iso, format_local_time
from app.services.lifecycle import ASSESSMENT_EVENT
from app.ui.style import error_color
from app.ui.table_model import Index, ReadOnlyTableModel

SEQ_ROLE = Qt.ItemDataRole.UserRole + 1
TOOLTIP_LIMIT = 4000

FIELD_NAMES = {
    "metrics": "Rating (metrics)",
    "level": "Level",
    "not_applicable": "Not applicable",
    "na_rationale": "N/A rationale",
    "target": "Target",
    "notes": "Notes",
    "evidence_status": "Evidence status",
    "evidence": "Evidence",
    "actions_in_place": "GenAI actions in place",
    "owner": "Owner",
    "due_date": "Due date",
    "flagged": "Flagged",
    "carried_over": "Not yet reviewed",
    "status": "Assessment status",
    "review": "Review state",
    "review_comment": "Review comment",
    "four_eyes": "Four-eyes rule",
    "signoff_assessor": "Sign-off: assessor",
    "signoff_reviewer": "Sign-off: reviewer",
}


def field_name(entry: HistoryEntry) -> str:
    return FIELD_NAMES.get(entry.field, entry.field)


def readable(field: str, value: str) -> str:
    """A one-line reading of a stored value (the exact stored text stays in the tooltip)."""
    if value == "":
        return "(empty)"
    if field.startswith("signoff_") and value[:1] == "{":  # a sign-off role (domain.review)
        try:
            role = json.loads(value)
        except ValueError:
            role = None
        if isinstance(role, dict) and role.get("name"):
            title = f" ({role['title']})" if role.get("title") else ""
            return f"{role['name']}{title}"
    if field in ("metrics", "evidence") and value[:1] in "[{":
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in parsed.items())
        if isinstance(parsed, list):
            titles = [str(i.get("title", "?")) for i in parsed if isinstance(i, dict)]
            count = "1 item" if len(parsed) == 1 else f"{len(parsed)} items"
            return f"{count}: " + "; ".join(titles)
    return " ↵ ".join(part for part in value.splitlines()) if "\n" in value else value


def _tip(value: str) -> str:
    if value == "":
        return "(empty)"
    if len(value) > TOOLTIP_LIMIT:
        return value[:TOOLTIP_LIMIT] + f"… ({len(value) - TOOLTIP_LIMIT} more characters)"
    return value


class Column(enum.IntEnum):
    SEQ = 0
    WHEN = 1
    WHO = 2
    SUBCATEGORY = 3
    FIELD = 4
    OLD = 5
    NEW = 6


HEADERS = {
    Column.SEQ: "#",
    Column.WHEN: "When",
    Column.WHO: "Who",
    Column.SUBCATEGORY: "Subcategory",
    Column.FIELD: "Field",
    Column.OLD: "Old value",
    Column.NEW: "New value",
}


class HistoryModel(ReadOnlyTableModel):
    """Entries in the order they were recorded; the first broken one (if known) is marked."""

    column_count = len(Column)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.broken_seq: int | None = None

    def set_entries(self, entries: Sequence[HistoryEntry]) -> None:
        self.broken_seq = None
        self.set_rows(entries)

    def entries(self) -> list[HistoryEntry]:
        return self.rows()

    def mark_broken(self, seq: int | None) -> None:
        self.broken_seq = seq
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.column_count - 1)
            )

    def row_of(self, seq: int) -> int | None:
        for i, e in enumerate(self._rows):
            if e.seq == seq:
                return i
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == Column.SEQ:
                return "Position in the assessment's hash chain"
            if section == Column.WHEN:
                return "Local time of the change"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid(index):
            return None
        e = self._rows[index.row()]
        col = Column(index.column())
        broken = self.broken_seq is not None and e.seq == self.broken_seq
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._display(e, col)
            if broken and col is Column.SEQ:
                return f"⚠ {text}" if role == Qt.ItemDataRole.DisplayRole else f"{text}, altered"
            return text
        if role == SEQ_ROLE:
            return e.seq
        if role == Qt.ItemDataRole.ToolTipRole:
            if col is Column.OLD:
                return _tip(e.old)
            if col is Column.NEW:
                return _tip(e.new)
            if col is Column.WHEN:
                return format_local_iso(e.at)
            if broken:
                return "This entry does not verify: it was altered after it was recorded"
            return self._display(e, col)
        if role == Qt.ItemDataRole.ForegroundRole and broken:
            return QColor(error_color())
        if role == Qt.ItemDataRole.TextAlignmentRole and col is Column.SEQ:
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        return None

    @staticmethod
    def _display(e: HistoryEntry, col: Column) -> str:
        if col is Column.SEQ:
            return str(e.seq)
        if col is Column.WHEN:
            return format_local_time(e.at, seconds=True)
        if col is Column.WHO:
            return e.actor
        if col is Column.SUBCATEGORY:
            return "Whole assessment" if e.subcategory_id == ASSESSMENT_EVENT else e.subcategory_id
        if col is Column.FIELD:
            return field_name(e)
        if col is Column.OLD:
            return readable(e.field, e.old)
        return readable(e.field, e.new)
