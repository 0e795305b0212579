"""Qt model of one AI system's cycles: date, status, overall and per-function scores, completion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from app.domain.assessment import Status
from app.domain.limits import local_text
from app.domain.rating import format_score
from app.domain.scoring import NodeScore
from app.services.progress import TrendPoint
from app.ui.progress.portfolio_model import cycle_date, score_text
from app.ui.table_model import Index, ReadOnlyTableModel

ASSESSMENT_ROLE = Qt.ItemDataRole.UserRole + 1
SCORE_ROLE = Qt.ItemDataRole.UserRole + 2

FIXED = ("Cycle", "Date", "Status", "Overall")  # then one column per function, then completion


def node_tooltip(node: NodeScore) -> str:
    if node.score is None:
        return f"{node.title}: nothing rated yet ({node.completion:.0%} answered)"
    extra = f", provisional: {node.unanswered} unanswered" if node.provisional else ""
    return (
        f"{node.title}: {format_score(node.score)} {node.level_name} "
        f"({node.completion:.0%} answered{extra})"
    )


class TrendModel(ReadOnlyTableModel):
    """One row per cycle, oldest first (the order of ``ProgressService.trend``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._functions: list[tuple[str, str]] = []  # (id, title)
        self.column_count = len(FIXED) + 1

    def set_points(self, points: Sequence[TrendPoint]) -> None:
        first = points[0].overall.children if points else ()
        self.beginResetModel()  # the columns change with the functions
        self._functions = [(f.id, f.title) for f in first]
        self.column_count = len(FIXED) + len(self._functions) + 1  # then completion
        self._rows = list(points)
        self.endResetModel()

    def point(self, row: int) -> TrendPoint:
        return self.row(row)  # type: ignore[no-any-return]

    def points(self) -> list[TrendPoint]:
        return self.rows()

    def function_ids(self) -> list[str]:
        return [f for f, _t in self._functions]

    def completion_column(self) -> int:
        return len(FIXED) + len(self._functions)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(FIXED):
                return FIXED[section]
            if section == self.completion_column():
                return "Completion"
            return self._functions[section - len(FIXED)][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == 3:
                return "Mean of the scored functions (level 1–5)"
            if len(FIXED) <= section < self.completion_column():
                return f"{self._functions[section - len(FIXED)][1]}: mean of its scored categories"
            if section == self.completion_column():
                return "Subcategories answered (rated or not applicable)"
        return None

    def _node(self, point: TrendPoint, column: int) -> NodeScore | None:
        if column == 3:
            return point.overall
        if len(FIXED) <= column < self.completion_column():
            wanted = self._functions[column - len(FIXED)][0]
            return next((f for f in point.overall.children if f.id == wanted), None)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid(index):
            return None
        col = index.column()
        p = self._rows[index.row()]
        a = p.assessment
        node = self._node(p, col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return a.name
            if col == 1:
                return cycle_date(a).isoformat()
            if col == 2:
                return "Finalized" if a.status is Status.FINALIZED else "Draft"
            if col == 3:
                return score_text(p.overall)
            if col == self.completion_column():
                return f"{p.overall.completion:.0%}"
            return format_score(node.score if node else None)
        if role == ASSESSMENT_ROLE:
            return a.id
        if role == SCORE_ROLE:
            if col == self.completion_column():
                return p.overall.completion
            return node.score if node else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if node is not None:
                return node_tooltip(node)
            if col == 2 and a.status is Status.FINALIZED:
                when = local_text(a.finalized_at, "%Y-%m-%d") if a.finalized_at else ""
                return f"Finalized by {a.finalized_by} ({a.finalized_role}) {when}".strip()
            if col == 0:
                return f"{a.name} (#{a.id})"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
