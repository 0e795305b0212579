"""Qt models of a comparison: one row per node delta, and a filter (all / changes / regressions)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from app.domain.comparison import Change, NodeDelta, format_delta
from app.domain.numbers import format_score, spoken_delta
from app.ui.progress.changes import EXPLANATIONS, change_color, change_text
from app.ui.table_model import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 2
VALUE_ROLE = Qt.ItemDataRole.UserRole + 3
KIND_ROLE = Qt.ItemDataRole.UserRole + 4

LevelName = Callable[[float | None], str]


def rating_text(score: float | None, state: str, level_name: LevelName) -> str:
    """A subcategory's rating as shown: '3.0 Established', 'N/A' or 'unanswered'."""
    if score is None:
        return {"N/A": "N/A", "unanswered": "unanswered", "no score": "–"}.get(state, state)
    return f"{format_score(score)} {level_name(score)}".strip()


@dataclass(frozen=True)
class DeltaRow:
    delta: NodeDelta
    before_text: str
    after_text: str


def make_rows(
    deltas: Sequence[NodeDelta], before_names: LevelName, after_names: LevelName
) -> list[DeltaRow]:
    return [
        DeltaRow(
            d,
            rating_text(d.before, d.state_before, before_names),
            rating_text(d.after, d.state_after, after_names),
        )
        for d in deltas
    ]


class Column(enum.IntEnum):
    ID = 0
    TITLE = 1
    BEFORE = 2
    AFTER = 3
    DELTA = 4
    CHANGE = 5


HEADERS = {
    Column.ID: "Id",
    Column.TITLE: "Outcome",
    Column.BEFORE: "Before",
    Column.AFTER: "After",
    Column.DELTA: "Change",
    Column.CHANGE: "Direction",
}


class DeltaModel(ReadOnlyTableModel):
    """Rows of ``NodeDelta``: id, title, both ratings, the signed change and its direction."""

    column_count = len(Column)

    def __init__(self, parent: Any = None, indent_categories: bool = False) -> None:
        super().__init__(parent)
        self._indent = indent_categories
        self.before_label = "Before"
        self.after_label = "After"
        self.before_id: int | None = None
        self.after_id: int | None = None

    def set_rows(
        self,
        rows: Sequence[DeltaRow],
        before: tuple[str, int | None] = ("Before", None),
        after: tuple[str, int | None] = ("After", None),
    ) -> None:
        """``before`` / ``after``: (name, id) of the two assessments, named in the headers."""
        self.beginResetModel()
        self._rows = list(rows)
        (self.before_label, self.before_id), (self.after_label, self.after_id) = before, after
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        col = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if col is Column.BEFORE and self.before_id is not None:
                return f"Before (#{self.before_id})"
            if col is Column.AFTER and self.after_id is not None:
                return f"After (#{self.after_id})"
            return HEADERS[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col is Column.BEFORE:
                return f"Score in {self.before_label}"
            if col is Column.AFTER:
                return f"Score in {self.after_label}"
            if col is Column.DELTA:
                return "After minus before (only when both have a score)"
            if col is Column.CHANGE:
                return "▲ improved, ▼ regressed, ▶ same, ● newly rated, ○ no longer rated"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(Column):
            return None
        r = self._rows[index.row()]
        d = r.delta
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if col is Column.CHANGE:
                return d.change.value
            if col is Column.DELTA and d.delta is not None:
                return spoken_delta(d.delta)
            return self._display(r, col)
        if role == ID_ROLE:
            return d.id
        if role == KIND_ROLE:
            return d.kind
        if role == CHANGE_ROLE:
            return d.change
        if role == VALUE_ROLE:
            return {Column.BEFORE: d.before, Column.AFTER: d.after, Column.DELTA: d.delta}.get(col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col is Column.CHANGE:
                return EXPLANATIONS[d.change]
            if col is Column.BEFORE:
                return f"{self.before_label}: {r.before_text}"
            if col is Column.AFTER:
                return f"{self.after_label}: {r.after_text}"
            return f"{d.id}: {d.title}"
        if role == Qt.ItemDataRole.ForegroundRole and col in (Column.DELTA, Column.CHANGE):
            return change_color(d.change)
        if role == Qt.ItemDataRole.FontRole and d.kind in ("overall", "function"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col is Column.DELTA:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, r: DeltaRow, col: Column) -> str:
        d = r.delta
        if col is Column.ID:
            return f"    {d.id}" if self._indent and d.kind == "category" else d.id
        if col is Column.TITLE:
            return " ".join(d.title.split())
        if col is Column.BEFORE:
            return r.before_text
        if col is Column.AFTER:
            return r.after_text
        if col is Column.DELTA:
            return format_delta(d.delta)
        return change_text(d.change)


class Show(enum.Enum):
    ALL = "all"
    CHANGES = "changes"
    REGRESSIONS = "regressions"


def shown(change: Change, mode: Show) -> bool:
    if mode is Show.CHANGES:
        return change.is_change
    if mode is Show.REGRESSIONS:
        return change is Change.REGRESSED
    return True


class DeltaFilter(QSortFilterProxyModel):
    """Keeps every row, only the changed ones, or only the regressions."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.mode = Show.ALL

    def set_mode(self, mode: Show) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self.mode = mode
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.mode = mode
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if model is None:
            return True
        change = model.data(model.index(source_row, 0, source_parent), CHANGE_ROLE)
        return change is None or shown(change, self.mode)
