"""Portfolio rows (one per AI system, its latest cycle within a date range) and their Qt model."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.domain.assessment import Assessment, Status
from app.domain.comparison import Change, classify, format_delta
from app.domain.limits import local_text
from app.domain.rating import format_score
from app.domain.scoring import NodeScore
from app.services.assessments import AssessmentSummary
from app.ui.progress.changes import GLYPHS, change_color
from app.ui.table_model import ReadOnlyTableModel

Index = QModelIndex | QPersistentModelIndex

SYSTEM_ROLE = Qt.ItemDataRole.UserRole + 1
ASSESSMENT_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
SCORE_ROLE = Qt.ItemDataRole.UserRole + 4


def cycle_date(assessment: Assessment) -> dt.date:
    """The date a cycle is filed under: the local date it was created (as in ``airmf trend``)."""
    return assessment.created_at.astimezone().date()


@dataclass(frozen=True)
class SystemRow:
    """One AI system: its latest cycle in the range, and the cycle before that one (if any)."""

    ai_system: str
    cycles: int
    latest: Assessment
    overall: NodeScore
    previous: AssessmentSummary | None

    @property
    def last_date(self) -> dt.date:
        return cycle_date(self.latest)

    @property
    def trend(self) -> Change | None:
        """Direction of the overall score against the previous cycle (None: first cycle)."""
        if self.previous is None:
            return None
        return classify(self.previous.overall.score, self.overall.score)

    @property
    def trend_delta(self) -> float | None:
        if self.previous is None or self.previous.overall.score is None:
            return None
        return (
            None if self.overall.score is None else self.overall.score - self.previous.overall.score
        )


def build_rows(
    summaries: Sequence[AssessmentSummary],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[SystemRow]:
    """Group cycles by AI system, keep those dated within [start, end], one row per system.

    Everything in a row (count, latest, previous) is computed over the cycles in the range, so
    a range ending last year shows the portfolio as it stood then.
    """
    by_system: dict[str, list[AssessmentSummary]] = {}
    for s in summaries:
        day = cycle_date(s.assessment)
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        by_system.setdefault(s.assessment.ai_system, []).append(s)
    rows = []
    for system, cycles in by_system.items():
        cycles.sort(key=lambda s: (s.assessment.created_at, s.assessment.id))
        latest = cycles[-1]
        rows.append(
            SystemRow(
                ai_system=system,
                cycles=len(cycles),
                latest=latest.assessment,
                overall=latest.overall,
                previous=cycles[-2] if len(cycles) > 1 else None,
            )
        )
    rows.sort(key=lambda r: r.ai_system.casefold())
    return rows


def score_text(node: NodeScore) -> str:
    """'2.7 Developing', '2.7 Developing (provisional)' or '–'."""
    if node.score is None:
        return "–"
    text = f"{format_score(node.score)} {node.level_name}".strip()
    return f"{text} (provisional)" if node.provisional else text


def trend_text(row: SystemRow) -> str:
    """What the trend cell shows: a glyph and the change of the overall score."""
    change = row.trend
    if change is None:
        return "– first cycle"
    if change in (Change.IMPROVED, Change.REGRESSED, Change.SAME):
        return f"{GLYPHS[change]} {format_delta(row.trend_delta)}"
    return f"{GLYPHS[change]} {change.value}"


def trend_words(row: SystemRow) -> str:
    """The same in words, for screen readers and tooltips."""
    change = row.trend
    if change is None or row.previous is None:
        return "First cycle in the selected dates: nothing to compare with"
    prev = row.previous.assessment
    since = f"since “{prev.name}” ({cycle_date(prev).isoformat()})"
    delta = row.trend_delta
    if change is Change.IMPROVED and delta is not None:
        return f"Improved by {abs(delta):.1f} {since}"
    if change is Change.REGRESSED and delta is not None:
        return f"Regressed by {abs(delta):.1f} {since}"
    if change is Change.SAME:
        return f"No change {since}"
    if change is Change.NEWLY_RATED:
        return f"Scored now, nothing was rated {since.replace('since', 'in')}"
    if change is Change.NO_LONGER_RATED:
        return f"Nothing rated now; it was scored {since.replace('since', 'in')}"
    return f"Not scored in either cycle ({since})"


class Column(enum.IntEnum):
    SYSTEM = 0
    CYCLES = 1
    LATEST = 2
    DATE = 3
    STATUS = 4
    SCORE = 5
    COMPLETION = 6
    GAP = 7
    TREND = 8


HEADERS = {
    Column.SYSTEM: "AI system",
    Column.CYCLES: "Cycles",
    Column.LATEST: "Latest cycle",
    Column.DATE: "Date",
    Column.STATUS: "Status",
    Column.SCORE: "Overall score",
    Column.COMPLETION: "Completion",
    Column.GAP: "Gap to target",
    Column.TREND: "Trend",
}

HEADER_TIPS = {
    Column.CYCLES: "Number of cycles (assessments) of this AI system dated within the filter",
    Column.LATEST: "The most recent cycle within the filter; its numbers fill the row",
    Column.DATE: "The date the latest cycle was created",
    Column.SCORE: "Overall score of the latest cycle (level 1–5); provisional while "
    "subcategories are unanswered",
    Column.GAP: "Mean gap between target and score over the scored functions",
    Column.TREND: "Overall score against the previous cycle: ▲ up, ▼ down, ▶ no change",
}


class PortfolioModel(ReadOnlyTableModel):
    """Read-only, one row per AI system; replaced whole by ``set_rows``."""

    column_count = len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(Column):
            return None
        r = self._rows[index.row()]
        col = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if role == Qt.ItemDataRole.AccessibleTextRole and col is Column.TREND:
                return trend_words(r)
            return self._display(r, col)
        if role == SYSTEM_ROLE:
            return r.ai_system
        if role == ASSESSMENT_ROLE:
            return r.latest.id
        if role == SCORE_ROLE:
            return {
                Column.SCORE: r.overall.score,
                Column.COMPLETION: r.overall.completion,
                Column.GAP: r.overall.gap,
                Column.TREND: r.trend_delta,
            }.get(col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        if role == Qt.ItemDataRole.ForegroundRole and col is Column.TREND and r.trend is not None:
            return change_color(r.trend)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            Column.CYCLES,
            Column.COMPLETION,
            Column.GAP,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _display(r: SystemRow, col: Column) -> str:
        o = r.overall
        if col is Column.SYSTEM:
            return r.ai_system
        if col is Column.CYCLES:
            return str(r.cycles)
        if col is Column.LATEST:
            return r.latest.name
        if col is Column.DATE:
            return r.last_date.isoformat()
        if col is Column.STATUS:
            return "Finalized" if r.latest.status is Status.FINALIZED else "Draft"
        if col is Column.SCORE:
            return score_text(o)
        if col is Column.COMPLETION:
            return f"{o.completion:.0%}"
        if col is Column.GAP:
            return format_score(o.gap)
        return trend_text(r)

    @staticmethod
    def _sort_key(r: SystemRow, col: Column) -> Any:
        o = r.overall
        if col is Column.CYCLES:
            return r.cycles
        if col is Column.DATE:
            return r.latest.created_at.timestamp()
        if col is Column.SCORE:
            return -1.0 if o.score is None else o.score
        if col is Column.COMPLETION:
            return o.completion
        if col is Column.GAP:
            return -1.0 if o.gap is None else o.gap
        if col is Column.TREND:
            return -99.0 if r.trend_delta is None else r.trend_delta
        return PortfolioModel._display(r, col).casefold()

    @staticmethod
    def _tooltip(r: SystemRow, col: Column) -> str:
        o = r.overall
        if col is Column.TREND:
            return trend_words(r)
        if col is Column.COMPLETION:
            return (
                f"{o.answered} of {o.total} subcategories answered "
                f"({o.rated} rated, {o.not_applicable} not applicable)"
            )
        if col is Column.SCORE and o.score is not None and o.provisional:
            return f"{score_text(o)}: {o.unanswered} subcategories are still unanswered"
        if col is Column.STATUS and r.latest.status is Status.FINALIZED:
            a = r.latest
            when = local_text(a.finalized_at, "%Y-%m-%d") if a.finalized_at else ""
            return f"Finalized by {a.finalized_by} ({a.finalized_role}) {when}".strip()
        if col is Column.GAP and o.target is not None:
            return f"Target {format_score(o.target)}, gap {format_score(o.gap)}"
        return PortfolioModel._display(r, col)
