"""One AI system over time: its cycles in a table and a line chart; pick two cycles to compare.

Public API::

    view = SystemTrendView(ctx, background=None, parent=None)
    view.load("Loan scorer")            # loads ProgressService.trend off the UI thread
    view.open_assessment.connect(...)   # int: a cycle's id (Enter / double-click / "Open cycle")
    view.compare_requested.connect(...) # (before_id, after_id), older cycle first

Copies (duplicates, re-imports) and the sample are not cycles: they are listed only while
"Include copies and the sample" is ticked.
The table lists each cycle's date, status, overall and per-function scores and completion; the
chart (QtCharts ``QChartView`` with one ``QLineSeries`` for overall and one per function, axes
titled, legend at the bottom) is built on the first load, so QtCharts is never imported at
start-up. "Compare" needs two selected cycles (Ctrl+click), or one: then it compares it with
the cycle before it. ``loaded`` is emitted after each load (a failure, such as an unknown AI
system, is explained in the view).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.context import ServiceContext
from app.services.progress import ProgressService, TrendPoint
from app.ui.progress.trend_model import ASSESSMENT_ROLE, TrendModel
from app.ui.progress.widgets import message_line, read_only_table, subtitle
from app.ui.style import heading
from app.ui.workers import Background, LatestLoad


class SystemTrendView(QWidget):
    """See the module docstring."""

    open_assessment = Signal(int)
    compare_requested = Signal(int, int)
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
        self.ai_system: str | None = None
        self.chart = None  # TrendChart, built on the first load (QtCharts is heavy)
        self._loads = LatestLoad(self, self.background)
        self.setObjectName("systemTrendView")
        self.setAccessibleName("Trend of an AI system")

        self.title = heading("Trend", parent=self)
        self.title.setObjectName("trendTitle")
        self.intro = subtitle(
            "Each row is one cycle of this AI system, oldest first. Select two cycles "
            "(Ctrl+click) and press Compare to see what changed, or one cycle to compare it "
            "with the cycle before it.",
            self,
        )
        self.message = message_line(self, "trendMessage")
        self.include_copies = QCheckBox("Include copies and the &sample", self)
        self.include_copies.setObjectName("trendIncludeCopies")
        self.include_copies.setToolTip(
            "Duplicates, re-imported copies and the sample are not cycles of this AI system: "
            "tick to list them anyway"
        )
        self.include_copies.toggled.connect(self._copies_toggled)

        self.model = TrendModel(self)
        self.table = read_only_table(self, "trendTable", "Cycles of the AI system")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.setFocusProxy(self.table)

        self.chart_holder = QWidget(self)
        self.chart_holder.setObjectName("trendChartHolder")
        holder_layout = QVBoxLayout(self.chart_holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("trendSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart_holder)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)

        self.open_button = QPushButton("&Open cycle", self)
        self.open_button.setObjectName("trendOpenCycle")
        self.open_button.setAccessibleName("Open the selected cycle")
        self.open_button.setToolTip("Open the selected cycle in the questionnaire (Enter)")
        self.compare_button = QPushButton("&Compare", self)
        self.compare_button.setObjectName("trendCompare")
        self.compare_button.setAccessibleName("Compare the selected cycles")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.compare_button)

        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.intro)
        column.addWidget(self.include_copies)
        column.addWidget(self.message)
        column.addWidget(self.splitter, 1)
        column.addLayout(buttons)

        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.open_button.clicked.connect(self._open_selected)
        self.compare_button.clicked.connect(self._compare)
        self._update_actions()

    # -- loading ------------------------------------------------------------------------------
    def load(self, ai_system: str, include_copies: bool | None = None) -> None:
        """Show the cycles of ``ai_system`` (loaded off the UI thread); ``include_copies``
        sets "Include copies and the sample" first (None: as it is)."""
        if include_copies is not None:
            blocked = self.include_copies.blockSignals(True)  # one load, not two
            self.include_copies.setChecked(include_copies)
            self.include_copies.blockSignals(blocked)
        self.ai_system = ai_system
        self.title.setText(f"Trend: {ai_system}")
        self._say("Loading the cycles…")
        ctx, copies = self.ctx, self.include_copies.isChecked()
        self._loads.run(
            lambda: ProgressService(ctx).trend(ai_system, include_copies=copies),
            self._loaded,
            self._failed,
        )

    def _copies_toggled(self, _on: bool) -> None:
        if self.ai_system is not None:
            self.load(self.ai_system)

    def _loaded(self, points: list[TrendPoint]) -> None:
        self.model.set_points(points)
        self._size_columns()
        if self.chart is None:
            from app.ui.progress.trend_chart import TrendChart

            self.chart = TrendChart(self.chart_holder)
            self.chart_holder.layout().addWidget(self.chart)
            self.chart.show()
        self.chart.set_points(points)
        n = len(points)
        self._say("" if n > 1 else "Only one cycle so far: start the next cycle to see a trend.")
        self.splitter.setVisible(True)
        if n:
            self.table.setCurrentIndex(self.model.index(n - 1, 0))
            self.table.selectRow(n - 1)
        self._update_actions()
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.model.set_points([])
        self.splitter.setVisible(False)
        self._say(f"The trend could not be shown: {exc}")
        self._update_actions()
        self.loaded.emit()

    def _size_columns(self) -> None:
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            width = self.table.columnWidth(col)
            self.table.setColumnWidth(col, max(90, min(width + 24, 340)))
        # Enough height for the rows (up to eight without scrolling); the chart takes the rest.
        rows = min(max(self.model.rowCount(), 2), 8)
        wanted = self.table.horizontalHeader().height() + rows * self.table.rowHeight(0) + 8
        wanted = max(wanted, 120)
        total = max(self.splitter.height(), wanted + 300)
        self.splitter.setSizes([wanted, total - wanted])

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- selection and actions ----------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.table.selectionModel().selectedRows())

    def select_cycles(self, *assessment_ids: int) -> None:
        """Select the rows of these cycles (the keyboard equivalent is Ctrl+Space)."""
        selection = QItemSelection()
        for row in range(self.model.rowCount()):
            if self.model.point(row).assessment.id in assessment_ids:
                selection.select(self.model.index(row, 0), self.model.index(row, 0))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)

    def _pair(self) -> tuple[int, int] | None:
        rows = self.selected_rows()
        if len(rows) == 2:
            first, second = rows
        elif len(rows) == 1 and rows[0] > 0:
            first, second = rows[0] - 1, rows[0]
        else:
            return None
        return self.model.point(first).assessment.id, self.model.point(second).assessment.id

    def _update_actions(self) -> None:
        rows = self.selected_rows()
        self.open_button.setEnabled(len(rows) == 1)
        pair = self._pair()
        self.compare_button.setEnabled(pair is not None)
        if len(rows) == 1 and pair is not None:
            self.compare_button.setText("&Compare with previous")
            self.compare_button.setToolTip("Compare the selected cycle with the cycle before it")
        else:
            self.compare_button.setText("&Compare")
            self.compare_button.setToolTip(
                "Compare the two selected cycles (select them with Ctrl+click or Ctrl+Space)"
            )

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_assessment.emit(int(index.data(ASSESSMENT_ROLE)))

    def _open_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self.open_assessment.emit(self.model.point(rows[0]).assessment.id)

    def _compare(self) -> None:
        pair = self._pair()
        if pair is not None:
            self.compare_requested.emit(*pair)
