"""Dashboard of one assessment: scores and completion, function chart, heat map, largest gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Assessment, Status
from app.domain.freshness import FreshnessSummary
from app.domain.rating import RatingScheme
from app.domain.review import ReviewState
from app.domain.scoring import NodeScore
from app.domain.system_profile import SystemProfile
from app.services.assessment_edit import AssessmentEditor
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.freshness import FreshnessService
from app.services.review import ReviewService
from app.services.scoring import ScoringService
from app.ui.dashboard.cards import ScoreCard
from app.ui.dashboard.gaps import SUBCATEGORY_ROLE, GapColumn, GapsModel
from app.ui.dashboard.heatmap import HeatMap, LevelLegend
from app.ui.dashboard.system_profile import SystemProfilePanel
from app.ui.dashboard.tables import FigureOrTable, FunctionTableModel, HeatMapTableModel
from app.ui.style import muted
from app.ui.workers import Background, LatestLoad

if TYPE_CHECKING:
    from app.ui.dashboard.chart import FunctionChart

NOT_A_CERTIFICATION = "A self-assessment is not a certification."


@dataclass(frozen=True)
class DashboardData:
    assessment: Assessment
    scheme: RatingScheme
    tree: NodeScore
    profile: SystemProfile = field(default_factory=SystemProfile)
    freshness: FreshnessSummary | None = None
    reviews: dict[ReviewState, int] | None = None  # subcategories per review state


def load_dashboard(ctx: ServiceContext, assessment_id: int) -> DashboardData:
    """Everything the dashboard shows, read in one go (runs on a worker thread)."""
    service = AssessmentService(ctx)
    assessment, answers = service.open(assessment_id)
    return DashboardData(
        assessment=assessment,
        scheme=service.scheme_for(assessment),
        tree=ScoringService(ctx).score(assessment_id),
        profile=AssessmentEditor(ctx).profile(assessment_id),
        freshness=FreshnessService(ctx).summary_of(assessment, answers),
        reviews=ReviewService(ctx).counts(assessment_id),
    )


EVIDENCE_CLEAR = "Evidence: none expired or expiring; no unsupported rating."


def freshness_html(summary: FreshnessSummary) -> str:
    """The dashboard's evidence line: the words of ``FreshnessSummary.lines`` (as ``airmf
    verify`` prints them), each subcategory id a link that opens it."""
    if summary.clear:
        return escape(EVIDENCE_CLEAR)
    parts = []
    for line in summary.lines():
        what, ids = line.rsplit(": ", 1)
        # An id never breaks across lines ("MAP" at a line's end, "1.4" on the next).
        links = ", ".join(
            f'<a href="sub:{escape(s, quote=True)}" style="white-space:nowrap">{escape(s)}</a>'
            for s in ids.split(", ")
        )
        parts.append(f"{escape(what)}: {links}")
    return "<b>Evidence:</b> " + " · ".join(parts)


def review_summary(counts: dict[ReviewState, int]) -> str:
    """``Review: 3 reviewed · 1 ready for review · 1 returned · 67 draft (of 72)``."""
    total = sum(counts.values())
    shown = [
        f"{counts[s]} {s.label.lower()}"
        for s in (ReviewState.REVIEWED, ReviewState.READY, ReviewState.RETURNED, ReviewState.DRAFT)
    ]
    return f"Review: {' · '.join(shown)} (of {total} subcategories)"


class DashboardPage(QWidget):
    subcategory_requested = Signal(str)
    edit_requested = Signal()  # the AI-system profile panel's "Edit details…"
    load_failed = Signal(str)
    loaded = Signal()

    def __init__(
        self, ctx: ServiceContext, background: Background, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.background = background
        self.setObjectName("dashboardPage")
        self.assessment_id: int | None = None
        self.data: DashboardData | None = None
        self._loads = LatestLoad(self, self.background)
        self.chart: FunctionChart | None = None

        self.header = QLabel(self)
        self.header.setObjectName("dashboardHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        muted(self.header)
        self.review_summary = QLabel(self)
        self.review_summary.setObjectName("dashboardReviewSummary")
        self.review_summary.setWordWrap(True)
        self.review_summary.setToolTip(
            "Answers by review state: mark answers ready for review and have a second person "
            "approve or return them in the questionnaire"
        )

        self.cards = {
            node_id: ScoreCard(node_id, title, self)
            for node_id, title in (
                ("OVERALL", "Overall"),
                ("GOVERN", "GOVERN"),
                ("MAP", "MAP"),
                ("MEASURE", "MEASURE"),
                ("MANAGE", "MANAGE"),
            )
        }
        self.system_profile = SystemProfilePanel(self)
        self.system_profile.edit_requested.connect(self.edit_requested)
        cards_row = QHBoxLayout()
        cards_row.setSpacing(8)
        for card in self.cards.values():
            cards_row.addWidget(card, 1)

        # Expired and expiring evidence, unsupported ratings (app.domain.freshness).
        self.evidence_line = QLabel(self)
        self.evidence_line.setObjectName("dashboardEvidence")
        self.evidence_line.setAccessibleName("Evidence freshness")
        self.evidence_line.setWordWrap(True)
        self.evidence_line.setTextFormat(Qt.TextFormat.RichText)
        self.evidence_line.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.evidence_line.setToolTip(
            "Evidence past its valid-until date, evidence that lapses within 30 days, and "
            "ratings of Advanced or Leading without current evidence (or with evidence to the "
            "contrary). Click a subcategory to open it."
        )
        self.evidence_line.linkActivated.connect(self._evidence_link)

        self.chart_box = QGroupBox("Functions: current score and target", self)
        self.chart_box.setObjectName("chartBox")
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(6, 6, 6, 6)
        self.function_model = FunctionTableModel(self)
        self.chart_figure = FigureOrTable(
            self.function_model,
            "functionFigure",
            "Function scores and targets",
            "dashboard/chart_as_table",
            self.chart_box,
        )
        self.chart_layout.addWidget(self.chart_figure)

        self.gaps_model = GapsModel(self)
        self.gaps = QTableView(self)
        self.gaps.setObjectName("gapsTable")
        self.gaps.setAccessibleName("Largest gaps to target")
        self.gaps.setModel(self.gaps_model)
        self.gaps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.gaps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.gaps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gaps.verticalHeader().setVisible(False)
        self.gaps.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.gaps.setWordWrap(False)
        self.gaps.setAlternatingRowColors(True)
        self.gaps.setCursor(Qt.CursorShape.PointingHandCursor)
        header = self.gaps.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(GapColumn.STATEMENT, QHeaderView.ResizeMode.Stretch)
        self.gaps.activated.connect(self._gap_activated)
        self.gaps.clicked.connect(self._gap_activated)
        self.gaps_empty = muted(QLabel(self))
        self.gaps_empty.setObjectName("gapsEmpty")
        self.gaps_empty.setWordWrap(True)
        gaps_box = QGroupBox("Largest gaps to target", self)
        gaps_box.setObjectName("gapsBox")
        gl = QVBoxLayout(gaps_box)
        gl.setContentsMargins(6, 6, 6, 6)
        gl.addWidget(self.gaps)
        gl.addWidget(self.gaps_empty)

        self.heat_map = HeatMap(self)
        self.heat_map.subcategory_requested.connect(self.subcategory_requested)
        self.legend = LevelLegend(self)
        heat_box = QGroupBox("All subcategories by level (click one to open it)", self)
        heat_box.setObjectName("heatMapBox")
        hl = QVBoxLayout(heat_box)
        hl.setContentsMargins(6, 6, 6, 6)
        self.heat_model = HeatMapTableModel(self)
        self.heat_figure = FigureOrTable(
            self.heat_model,
            "heatFigure",
            "All subcategories by level",
            "dashboard/heat_map_as_table",
            heat_box,
        )
        self.heat_figure.set_figure(self.heat_map)
        self.heat_figure.table.activated.connect(self._gap_activated)
        hl.addWidget(self.heat_figure, 1)
        hl.addWidget(self.legend)

        left = QSplitter(Qt.Orientation.Vertical, self)
        left.setObjectName("dashboardLeftSplitter")
        left.addWidget(self.chart_box)
        left.addWidget(gaps_box)
        left.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("dashboardSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(heat_box)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([600, 640])
        left.setSizes([280, 300])

        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(10, 8, 10, 8)
        column.setSpacing(8)
        column.addWidget(self.header)
        column.addWidget(self.system_profile)
        column.addWidget(self.review_summary)
        column.addLayout(cards_row)
        column.addWidget(self.evidence_line)
        column.addWidget(self.splitter, 1)
        scroll = QScrollArea(self)
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        # Reading order: the left column (chart, then gaps) before the heat map on the right.
        self.setTabOrder(self.chart_figure.toggle, self.chart_figure.table)
        self.setTabOrder(self.chart_figure.table, self.gaps)
        self.setTabOrder(self.gaps, self.heat_figure.toggle)
        self.setTabOrder(self.heat_figure.toggle, self.heat_map)
        self.setTabOrder(self.heat_map, self.heat_figure.table)

    # -- loading ----------------------------------------------------------------------------
    def load(self, assessment_id: int) -> None:
        self.assessment_id = assessment_id
        self.refresh()

    def clear(self) -> None:
        self.assessment_id = None
        self.data = None
        self._loads.cancel()

    def refresh(self) -> None:
        """Re-read the assessment shown (the window calls this when something the dashboard
        shows changed: ``app.ui.shell.changes``)."""
        if self.assessment_id is None:
            return
        ctx, aid = self.ctx, self.assessment_id
        self._loads.run(lambda: load_dashboard(ctx, aid), self._populate, self._failed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.data is not None and self.chart is None:
            self._update_chart(self.data.tree)

    def _failed(self, exc: Exception) -> None:
        self.load_failed.emit(str(exc))

    def _populate(self, data: DashboardData) -> None:
        self.data = data
        a, tree = data.assessment, data.tree
        target_level = data.scheme.level(a.default_target)
        finalized = " · finalized (read-only)" if a.status is Status.FINALIZED else ""
        self.header.setText(
            f"{a.name} — {a.ai_system} · {data.scheme.name} · default target "
            f"{target_level.value} ({target_level.name}){finalized} · {NOT_A_CERTIFICATION}"
        )
        self.system_profile.set_profile(data.profile, a.status is not Status.FINALIZED)
        if data.freshness is not None:
            self.evidence_line.setText(freshness_html(data.freshness))
        if data.reviews is not None:
            self.review_summary.setText(review_summary(data.reviews))
            self.review_summary.setAccessibleName(self.review_summary.text())
        self.cards["OVERALL"].set_node(tree)
        for function in tree.children:
            card = self.cards.get(function.id)
            if card is not None:
                card.setToolTip(f"{function.id}: {function.title}")
                card.set_node(function)
        self.heat_map.set_tree(tree)
        self.heat_model.set_tree(tree)
        self.function_model.set_tree(tree)
        self.legend.set_scheme(data.scheme)
        self.gaps_model.set_tree(tree)
        has_gaps = self.gaps_model.rowCount() > 0
        self.gaps.setVisible(has_gaps)
        self.gaps_empty.setVisible(not has_gaps)
        self.gaps_empty.setText(
            "No rated subcategory is below its target."
            if tree.rated
            else "Nothing is rated yet: gaps appear as you rate subcategories in the "
            "questionnaire (Ctrl+1)."
        )
        if self.isVisible() or self.chart is not None:
            self._update_chart(tree)
        self.loaded.emit()

    def _update_chart(self, tree: NodeScore) -> None:
        if self.chart is None:
            from app.ui.dashboard.chart import FunctionChart  # QtCharts loads here, lazily

            self.chart = FunctionChart(self.chart_figure)
            self.chart_figure.set_figure(self.chart)
        self.chart.set_tree(tree)

    def _evidence_link(self, link: str) -> None:
        if link.startswith("sub:"):
            self.subcategory_requested.emit(link[4:])

    def _gap_activated(self, index: QModelIndex) -> None:
        sub = index.data(SUBCATEGORY_ROLE)
        if sub:
            self.subcategory_requested.emit(sub)
