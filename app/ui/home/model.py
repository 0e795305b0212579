"""Qt item model of the home list (one row per assessment) and its filter by AI system / text."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from app.domain.assessment import Status
from app.domain.limits import local_text
from app.domain.rating import format_score
from app.services.assessments import AssessmentSummary
from app.ui.table_model import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
COMPLETION_ROLE = Qt.ItemDataRole.UserRole + 3
SYSTEM_ROLE = Qt.ItemDataRole.UserRole + 4


class Column(enum.IntEnum):
    NAME = 0
    SYSTEM = 1
    ASSESSOR = 2
    STATUS = 3
    UPDATED = 4
    COMPLETION = 5
    SCORE = 6


HEADERS = {
    Column.NAME: "Name",
    Column.SYSTEM: "AI system",
    Column.ASSESSOR: "Assessor",
    Column.STATUS: "Status",
    Column.UPDATED: "Last change",
    Column.COMPLETION: "Completion",
    Column.SCORE: "Overall score",
}


def score_text(summary: AssessmentSummary) -> str:
    """ "2.7 Developing", "2.7 Developing (provisional)" or "–" when nothing is rated."""
    o = summary.overall
    if o.score is None:
        return "–"
    text = f"{format_score(o.score)} {o.level_name}".strip()
    return f"{text} (provisional)" if o.provisional else text


def status_text(summary: AssessmentSummary) -> str:
    return "Finalized" if summary.assessment.status is Status.FINALIZED else "Draft"


class AssessmentListModel(ReadOnlyTableModel):
    """Read-only rows built from ``AssessmentService.list()``; refreshed whole by ``set_rows``."""

    column_count = len(Column)

    def summary(self, row: int) -> AssessmentSummary:
        return self._rows[row]

    def row_of(self, assessment_id: int) -> int | None:
        for i, s in enumerate(self._rows):
            if s.assessment.id == assessment_id:
                return i
        return None

    def systems(self) -> list[str]:
        return sorted({s.assessment.ai_system for s in self._rows}, key=str.casefold)

    # -- QAbstractItemModel -------------------------------------------------------------------
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[Column(section)]
            if role == Qt.ItemDataRole.ToolTipRole and section == Column.SCORE:
                return (
                    "Mean of the scored functions; provisional while subcategories are unanswered"
                )
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(Column):
            return None
        s = self._rows[index.row()]
        a, o = s.assessment, s.overall
        col = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, col)
        if role == ID_ROLE:
            return a.id
        if role == SYSTEM_ROLE:
            return a.ai_system
        if role == COMPLETION_ROLE:
            return o.completion
        if role == SORT_ROLE:
            return self._sort_key(s, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(s, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Column.COMPLETION, Column.SCORE):
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(s, col)
        return None

    @staticmethod
    def _display(s: AssessmentSummary, col: Column) -> str:
        a, o = s.assessment, s.overall
        if col is Column.NAME:
            return a.name
        if col is Column.SYSTEM:
            return a.ai_system
        if col is Column.ASSESSOR:
            return a.assessor or "–"
        if col is Column.STATUS:
            return status_text(s)
        if col is Column.UPDATED:
            return local_text(a.updated_at, "%Y-%m-%d %H:%M")  # never raises on repaint
        if col is Column.COMPLETION:
            return f"{o.completion:.0%}"
        return score_text(s)

    @staticmethod
    def _sort_key(s: AssessmentSummary, col: Column) -> Any:
        a, o = s.assessment, s.overall
        if col is Column.UPDATED:
            return a.updated_at.timestamp()
        if col is Column.COMPLETION:
            return o.completion
        if col is Column.SCORE:
            return -1.0 if o.score is None else o.score
        return AssessmentListModel._display(s, col).casefold()

    @staticmethod
    def _tooltip(s: AssessmentSummary, col: Column) -> str:
        a, o = s.assessment, s.overall
        if col is Column.COMPLETION:
            return (
                f"{o.answered} of {o.total} subcategories answered "
                f"({o.rated} rated, {o.not_applicable} not applicable)"
            )
        if col is Column.SCORE:
            if o.score is None:
                return "No subcategory rated yet"
            extra = f"; provisional: {o.unanswered} unanswered" if o.provisional else ""
            return f"Overall {format_score(o.score)} ({o.level_name}){extra}"
        if col is Column.STATUS and a.status is Status.FINALIZED:
            when = local_text(a.finalized_at, "%Y-%m-%d") if a.finalized_at else ""
            return f"Finalized by {a.finalized_by} ({a.finalized_role}) {when}".strip()
        if col is Column.NAME and a.organization:
            return f"{a.name}\n{a.organization}"
        return AssessmentListModel._display(s, col)


class AssessmentFilterModel(QSortFilterProxyModel):
    """Shows the rows of one AI system (or all) whose text contains the search words."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._system: str | None = None
        self._text = ""
        self.setSortRole(SORT_ROLE)

    def set_system(self, system: str | None) -> None:
        self._change_filter(lambda: setattr(self, "_system", system or None))

    def set_text(self, text: str) -> None:
        self._change_filter(lambda: setattr(self, "_text", text.strip().casefold()))

    def _change_filter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if model is None:
            return True
        if self._system is not None:
            system = model.data(model.index(source_row, Column.SYSTEM, source_parent), SYSTEM_ROLE)
            if system != self._system:
                return False
        if self._text:
            cells = (
                model.data(model.index(source_row, c, source_parent))
                for c in (Column.NAME, Column.SYSTEM, Column.ASSESSOR)
            )
            return any(self._text in str(c).casefold() for c in cells)
        return True
