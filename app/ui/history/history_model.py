"""Qt model of answer history entries: when, who, what, old -> new (full values in tooltips)."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain.actions import HISTORY_PREFIX as ACTION_PREFIX
from app.domain.actions import ActionPriority, ActionStatus
from app.domain.assessment import HistoryEntry
from app.domain.days import format_local_iso, format_local_time
from app.domain.review import REVIEW_FIELD, ReviewState
from app.services.lifecycle import ASSESSMENT_EVENT
from app.ui.history.filters import ANSWER_FIELD_LABELS, entry_field_label
from app.ui.style import error_color
from app.ui.table_model import Index, ReadOnlyTableModel

SEQ_ROLE = Qt.ItemDataRole.UserRole + 1
TOOLTIP_LIMIT = 4000
ACTION_TEXT_LIMIT = 60  # characters of a suggested action's text shown in a history row

FIELD_NAMES = ANSWER_FIELD_LABELS  # answer fields and the assessment's status


def field_name(entry: HistoryEntry) -> str:
    """The entry's field as a person reads it; fields added by other features (``review``,
    ``action:<uid>:status``) read as their words (``history.filters.kind_label``)."""
    return entry_field_label(entry.field)


# Fields whose stored values are an enum's: shown by the label every other surface uses
# (the Actions view, the review panel, the report), never as the stored "ready_for_review".
_ENUM_FIELDS: tuple[tuple[str, str, type[enum.StrEnum]], ...] = (
    (REVIEW_FIELD, "", ReviewState),
    (ACTION_PREFIX, ":status", ActionStatus),
    (ACTION_PREFIX, ":priority", ActionPriority),
)


def _enum_label(field: str, value: str) -> str | None:
    """The label of ``value`` if ``field`` holds one of ``_ENUM_FIELDS``' enums, else None
    (an unknown stored value is shown as stored)."""
    for start, end, kind in _ENUM_FIELDS:
        matches = field == start if not end else field.startswith(start) and field.endswith(end)
        if matches:
            try:
                return str(kind(value).label)  # type: ignore[attr-defined]
            except ValueError:
                return None
    return None


def readable(field: str, value: str, actions: Sequence[str] = ()) -> str:
    """A one-line reading of a stored value (the exact stored text stays in the tooltip).

    ``actions``: the subcategory's Playbook suggested actions, so that the positions stored
    for "actions in place" read as the actions ("2. Establish…"), never as "[1]".
    """
    if value == "":
        return "(empty)"
    named = _enum_label(field, value)
    if named is not None:
        return named
    if field in ("actions_in_place", "genai_actions_in_place") and value[:1] == "[":
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and parsed:
            if field == "genai_actions_in_place":
                return ", ".join(str(a) for a in parsed)  # the profile's stable action ids
            return "; ".join(_action(i, actions) for i in parsed)
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
            titles = [_evidence_title(i) for i in parsed if isinstance(i, dict)]
            count = "1 item" if len(parsed) == 1 else f"{len(parsed)} items"
            return f"{count}: " + "; ".join(titles)
    return " ↵ ".join(part for part in value.splitlines()) if "\n" in value else value


def _evidence_title(item: dict[str, Any]) -> str:
    """An evidence item in a history row: its title, and its dates when it has any (so that a
    change of dates reads as one)."""
    dates = [
        f"{label} {item[key]}"
        for key, label in (("as_of", "as of"), ("valid_until", "valid until"))
        if item.get(key)
    ]
    title = str(item.get("title", "?"))
    return f"{title} ({', '.join(dates)})" if dates else title


def _action(position: object, actions: Sequence[str]) -> str:
    """A Playbook action stored by its position, as numbered in the Suggested actions tab."""
    if not isinstance(position, int) or isinstance(position, bool):
        return str(position)
    if not 0 <= position < len(actions):
        return f"action {position + 1}"
    text = " ".join(actions[position].split())
    if len(text) > ACTION_TEXT_LIMIT:
        text = text[: ACTION_TEXT_LIMIT - 1].rstrip() + "…"
    return f"{position + 1}. {text}"


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
        self.actions: Mapping[str, Sequence[str]] = {}

    def set_entries(
        self, entries: Sequence[HistoryEntry], actions: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        """Show ``entries``; ``actions``: subcategory id -> its Playbook suggested actions
        (how "actions in place" values are read)."""
        self.broken_seq = None
        self.actions = actions or {}
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

    def _display(self, e: HistoryEntry, col: Column) -> str:
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
        actions = self.actions.get(e.subcategory_id, ())
        if col is Column.OLD:
            return readable(e.field, e.old, actions)
        return readable(e.field, e.new, actions)
