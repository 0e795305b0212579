"""The largest gaps to target: a Qt table model of the rated subcategories below their target."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.domain.numbers import format_score
from app.domain.scoring import NodeScore
from app.ui.table_model import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex
SUBCATEGORY_ROLE = Qt.ItemDataRole.UserRole + 1


class GapColumn(enum.IntEnum):
    SUBCATEGORY = 0
    SCORE = 1
    TARGET = 2
    GAP = 3
    STATEMENT = 4


HEADERS = {
    GapColumn.SUBCATEGORY: "Subcategory",
    GapColumn.SCORE: "Score",
    GapColumn.TARGET: "Target",
    GapColumn.GAP: "Gap",
    GapColumn.STATEMENT: "Outcome",
}


def largest_gaps(tree: NodeScore, limit: int | None = None) -> list[NodeScore]:
    """Rated subcategories below target, largest gap first (then lowest score, then order)."""
    order = {n.id: i for i, n in enumerate(tree.subcategories())}
    below = [n for n in tree.subcategories() if n.below_target]
    below.sort(key=lambda n: (-(n.gap or 0.0), n.score or 0.0, order[n.id]))
    return below if limit is None else below[:limit]


class GapsModel(ReadOnlyTableModel):
    column_count = len(GapColumn)

    def set_tree(self, tree: NodeScore, limit: int | None = None) -> None:
        self.beginResetModel()
        self._rows = largest_gaps(tree, limit)
        self.endResetModel()

    def node(self, row: int) -> NodeScore:
        return self._rows[row]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(GapColumn)
        ):
            return HEADERS[GapColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(GapColumn):
            return None
        node = self._rows[index.row()]
        col = GapColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col is GapColumn.SUBCATEGORY:
                return node.id
            if col is GapColumn.SCORE:
                return f"{format_score(node.score)} {node.level_name}"
            if col is GapColumn.TARGET:
                return format_score(node.target)
            if col is GapColumn.GAP:
                return format_score(node.gap)
            return node.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{node.id}: {node.title}\n\nClick or press Enter to open this question."
        if role == SUBCATEGORY_ROLE:
            return node.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            GapColumn.TARGET,
            GapColumn.GAP,
        ):
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        return None
