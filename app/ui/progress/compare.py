"""Compare two cycles: function and category deltas on top, then every subcategory's change.

Public API::

    view = CompareView(ctx, background=None, parent=None)
    view.load(before_id, after_id)       # ProgressService.compare, off the UI thread
    view.open_subcategory.connect(...)   # (after_id, subcategory id) on Enter / double-click

The subcategory table shows both ratings (score and level, or N/A / unanswered), the signed
change and its direction as a glyph, a word and a colour (▲ improved, ▼ regressed, ▶ same,
● newly rated, ○ no longer rated). Filters: all / only changes / only regressions.
Assessments of different frameworks are refused: the service's message is shown in the view.
``loaded`` is emitted after each load, whether it was shown or refused.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Assessment
from app.domain.comparison import Change, format_delta
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.progress import Comparison, ProgressService
from app.ui.progress.changes import change_color, change_text
from app.ui.progress.compare_model import (
    ID_ROLE,
    Column,
    DeltaFilter,
    DeltaModel,
    DeltaRow,
    Show,
    make_rows,
)
from app.ui.progress.portfolio_model import cycle_date
from app.ui.progress.widgets import message_line, read_only_table, subtitle
from app.ui.style import heading, scaled_font
from app.ui.workers import Background, LatestLoad


def describe(a: Assessment) -> str:
    return f"“{a.name}” (#{a.id}, {cycle_date(a).isoformat()}, {a.status.value})"


def _fetch(ctx: ServiceContext, before_id: int, after_id: int) -> tuple[Comparison, list[DeltaRow]]:
    comparison = ProgressService(ctx).compare(before_id, after_id)
    assessments = AssessmentService(ctx)
    before = assessments.scheme_for(comparison.before)
    after = assessments.scheme_for(comparison.after)
    return comparison, make_rows(comparison.deltas, before.level_name, after.level_name)


class CompareView(QWidget):
    """See the module docstring."""

    open_subcategory = Signal(int, str)
    loaded = Signal()

    def __init__(
        self,
        ctx: ServiceContext,
        background: Background | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.background = background or Background(self)
        self.comparison: Comparison | None = None
        self._loads = LatestLoad(self, self.background)
        self.setObjectName("compareView")
        self.setAccessibleName("Comparison of two cycles")

        self.title = heading("Comparison", parent=self)
        self.title.setObjectName("compareTitle")
        self.header = QLabel(self)
        self.header.setObjectName("compareHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.overall = QLabel(self)
        self.overall.setObjectName("compareOverall")
        self.overall.setFont(scaled_font(self.overall, 1.2, bold=True))
        self.overall.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = message_line(self, "compareMessage")

        # Functions and categories.
        self.summary_model = DeltaModel(self, indent_categories=True)
        self.summary_table = read_only_table(
            self, "compareSummaryTable", "Function and category changes"
        )
        self.summary_table.setModel(self.summary_model)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_label = QLabel("Functions and categories", top)
        top_label.setFont(scaled_font(top_label, 1.05, bold=True))
        top_layout.addWidget(top_label)
        top_layout.addWidget(self.summary_table)

        # Subcategories, filtered.
        self.sub_model = DeltaModel(self)
        self.sub_filter = DeltaFilter(self)
        self.sub_filter.setSourceModel(self.sub_model)
        self.sub_table = read_only_table(self, "compareSubcategoryTable", "Subcategory changes")
        self.sub_table.setModel(self.sub_filter)
        self.sub_table.setToolTip("Enter or double-click opens the subcategory in the later cycle")
        self.show_all = QRadioButton("&All", self)
        self.show_all.setObjectName("compareShowAll")
        self.show_all.setAccessibleName("Show all subcategories")
        self.show_changes = QRadioButton("Only c&hanges", self)
        self.show_changes.setObjectName("compareShowChanges")
        self.show_changes.setAccessibleName("Show only the subcategories that changed")
        self.show_regressions = QRadioButton("Only &regressions", self)
        self.show_regressions.setObjectName("compareShowRegressions")
        self.show_regressions.setAccessibleName("Show only the subcategories that regressed")
        self.show_all.setChecked(True)
        self.filter_group = QButtonGroup(self)
        for button in (self.show_all, self.show_changes, self.show_regressions):
            self.filter_group.addButton(button)
        self.counts = subtitle("", self)
        self.counts.setObjectName("compareCounts")
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        sub_label = QLabel("Subcategories", bottom)
        sub_label.setFont(scaled_font(sub_label, 1.05, bold=True))
        filters.addWidget(sub_label)
        filters.addSpacing(16)
        filters.addWidget(self.show_all)
        filters.addWidget(self.show_changes)
        filters.addWidget(self.show_regressions)
        filters.addSpacing(16)
        filters.addWidget(self.counts, 1)
        bottom_layout.addLayout(filters)
        bottom_layout.addWidget(self.sub_table)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("compareSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        for table in (self.summary_table, self.sub_table):
            self._columns(table)

        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.header)
        column.addWidget(self.overall)
        column.addWidget(self.message)
        column.addWidget(self.splitter, 1)

        self.show_all.toggled.connect(lambda on: on and self.set_filter(Show.ALL))
        self.show_changes.toggled.connect(lambda on: on and self.set_filter(Show.CHANGES))
        self.show_regressions.toggled.connect(lambda on: on and self.set_filter(Show.REGRESSIONS))
        self.sub_table.activated.connect(self._activated)
        self._set_content_visible(False)

    @staticmethod
    def _columns(table: QTableView) -> None:
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in (
            (Column.ID, 130),
            (Column.BEFORE, 150),
            (Column.AFTER, 150),
            (Column.DELTA, 80),
            (Column.CHANGE, 170),
        ):
            table.setColumnWidth(col, width)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)

    # -- loading ------------------------------------------------------------------------------
    def load(self, before_id: int, after_id: int) -> None:
        """Compare ``before_id`` (the earlier cycle) with ``after_id`` (the later one)."""
        self._say("Comparing…")
        ctx = self.ctx
        self._loads.run(
            lambda: _fetch(ctx, before_id, after_id),
            lambda result: self._loaded(*result),
            self._failed,
        )

    def _loaded(self, comparison: Comparison, rows: list[DeltaRow]) -> None:
        self.comparison = comparison
        before, after = comparison.before, comparison.after
        self.header.setText(f"Before: {describe(before)}   →   After: {describe(after)}")
        summary = [r for r in rows if r.delta.kind in ("function", "category")]
        subs = [r for r in rows if r.delta.kind == "subcategory"]
        names = (before.name, before.id), (after.name, after.id)
        self.summary_model.set_rows(summary, *names)
        self.sub_model.set_rows(subs, *names)
        overall = next((r for r in rows if r.delta.kind == "overall"), None)
        if overall is not None:
            d = overall.delta
            self.overall.setText(
                f"Overall: {overall.before_text} → {overall.after_text}    "
                f"{format_delta(d.delta)}  {change_text(d.change)}"
            )
            pal = self.palette()
            color = change_color(d.change, pal)
            if color is not None:
                pal.setColor(QPalette.ColorRole.WindowText, color)
            self.overall.setPalette(pal)
            self.overall.setAccessibleName(f"Overall change: {d.change.value}")
        self._update_counts()
        self._set_content_visible(True)
        self._say("")
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.comparison = None
        self.summary_model.set_rows([])
        self.sub_model.set_rows([])
        self._set_content_visible(False)
        self._say(f"These assessments cannot be compared: {exc}")
        self.loaded.emit()

    def _set_content_visible(self, visible: bool) -> None:
        for widget in (self.header, self.overall, self.splitter):
            widget.setVisible(visible)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- filter and activation ----------------------------------------------------------------
    def set_filter(self, mode: Show) -> None:
        self.sub_filter.set_mode(mode)
        button = {
            Show.ALL: self.show_all,
            Show.CHANGES: self.show_changes,
            Show.REGRESSIONS: self.show_regressions,
        }[mode]
        if not button.isChecked():
            button.setChecked(True)
        self._update_counts()

    def _update_counts(self) -> None:
        rows = self.sub_model.rows()
        tally = {c: sum(1 for r in rows if r.delta.change is c) for c in Change}
        parts = [
            f"{tally[c]} {c.value}"
            for c in (
                Change.IMPROVED,
                Change.REGRESSED,
                Change.NEWLY_RATED,
                Change.NO_LONGER_RATED,
                Change.SAME,
            )
        ]
        shown = self.sub_filter.rowCount()
        text = f"Showing {shown} of {len(rows)}: " + ", ".join(parts)
        if shown == 0 and rows:
            text = f"No subcategory matches this filter. Of {len(rows)}: " + ", ".join(parts)
        self.counts.setText(text)

    def shown_subcategories(self) -> list[str]:
        """The ids the subcategory table shows, in order (for tests and accessibility)."""
        return [
            self.sub_filter.index(r, 0).data(ID_ROLE) for r in range(self.sub_filter.rowCount())
        ]

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid() and self.comparison is not None:
            self.open_subcategory.emit(self.comparison.after.id, index.data(ID_ROLE))
