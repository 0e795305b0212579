"""Portfolio view: every AI system with its latest cycle's score, completion, gap and trend.

Public API::

    view = PortfolioView(ctx, background, parent=None)
    view.refresh()                      # (re)loads off the UI thread through Background.run
    view.open_system.connect(...)       # str: the AI system, on Enter / double-click / "Show trend"
    view.open_assessment.connect(...)   # int: the latest cycle's id, on "Open latest cycle"

"Show" chooses what each row describes: the latest cycle (drafts included; the default) or the
latest finalized cycle (the last signed-off result); the intro and the column header say which.
Copies (duplicates, re-imports) and the sample are not cycles: they are left out unless
"Include copies and the sample" is ticked. A "from / to" date filter (QDateEdit, "Any" when
left at its minimum) keeps only the cycles created within the range; each row then describes
the latest (or latest finalized) cycle in the range and its trend arrow (▲ up / ▼ down / ▶ no
change, with the delta and a spoken equivalent) compares it with the cycle before it in the
range (the finalized one before it, when showing finalized cycles). ``loaded`` is emitted
after each load (a failure is explained in the view).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.assessments import AssessmentService, AssessmentSummary
from app.services.context import ServiceContext
from app.ui.progress.portfolio_model import (
    ASSESSMENT_ROLE,
    SORT_ROLE,
    SYSTEM_ROLE,
    Column,
    PortfolioModel,
    build_rows,
)
from app.ui.progress.widgets import message_line, read_only_table, subtitle
from app.ui.style import heading
from app.ui.wheel_guard import guard_wheel
from app.ui.workers import Background, LatestLoad

ANY_DATE = QDate(2000, 1, 1)
LATEST_CYCLE, LATEST_FINALIZED = "latest", "finalized"
INTRO = {
    LATEST_CYCLE: "Every AI system with its latest cycle, drafts included (a draft's scores are "
    "provisional). Press Enter or double-click a system to see its trend over time.",
    LATEST_FINALIZED: "Every AI system with its latest finalized cycle: the last signed-off "
    "result, compared with the finalized cycle before it. Press Enter or double-click a system "
    "to see its trend over time.",
}


def _date_edit(parent: QWidget, object_name: str, accessible: str) -> QDateEdit:
    edit = QDateEdit(parent)
    guard_wheel(edit)
    edit.setObjectName(object_name)
    edit.setAccessibleName(accessible)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(ANY_DATE)
    edit.setSpecialValueText("Any")  # shown while the date is the minimum: no bound
    edit.setDate(ANY_DATE)
    edit.setToolTip("Leave at “Any” for no limit; the calendar button picks a date")
    return edit


def _bound(edit: QDateEdit) -> dt.date | None:
    value = edit.date()
    return None if value == ANY_DATE else dt.date(value.year(), value.month(), value.day())


class PortfolioView(QWidget):
    """All AI systems at a glance; see the module docstring for the signals."""

    open_system = Signal(str)
    open_assessment = Signal(int)
    loaded = Signal()

    def __init__(
        self, ctx: ServiceContext, background: Background, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.background = background
        self._summaries: list[AssessmentSummary] = []
        self._loads = LatestLoad(self, self.background)
        self.setObjectName("portfolioView")
        self.setAccessibleName("Portfolio of AI systems")

        title = heading("Portfolio", parent=self)
        title.setObjectName("portfolioTitle")
        self.intro = subtitle(INTRO[LATEST_CYCLE], self)
        self.intro.setObjectName("portfolioIntro")
        self.show_mode = QComboBox(self)
        self.show_mode.setObjectName("portfolioShowMode")
        self.show_mode.setAccessibleName("Show for each AI system")
        self.show_mode.addItem("Latest cycle (drafts included)", LATEST_CYCLE)
        self.show_mode.addItem("Latest finalized cycle", LATEST_FINALIZED)
        self.show_mode.setToolTip("Which cycle of each AI system the row describes")
        guard_wheel(self.show_mode)
        show_label = QLabel("&Show", self)
        show_label.setBuddy(self.show_mode)
        self.include_copies = QCheckBox("Include copies and the &sample", self)
        self.include_copies.setObjectName("portfolioIncludeCopies")
        self.include_copies.setToolTip(
            "Duplicates, re-imported copies and the sample are not cycles of their AI system: "
            "tick to count them anyway"
        )
        mode = QHBoxLayout()
        mode.addWidget(show_label)
        mode.addWidget(self.show_mode)
        mode.addWidget(self.include_copies)
        mode.addStretch(1)

        self.date_from = _date_edit(self, "portfolioDateFrom", "Cycles dated from")
        self.date_to = _date_edit(self, "portfolioDateTo", "Cycles dated up to")
        from_label = QLabel("Cycles dated &from", self)
        from_label.setBuddy(self.date_from)
        to_label = QLabel("&to", self)
        to_label.setBuddy(self.date_to)
        self.clear_dates = QPushButton("Any &date", self)
        self.clear_dates.setObjectName("portfolioClearDates")
        self.clear_dates.setAccessibleName("Show cycles of any date")
        self.clear_dates.setToolTip("Remove the date filter")
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setObjectName("portfolioRefresh")
        self.refresh_button.setAccessibleName("Refresh the portfolio")
        self.refresh_button.setToolTip("Reload the assessments from the database")
        filters = QHBoxLayout()
        filters.addWidget(from_label)
        filters.addWidget(self.date_from)
        filters.addWidget(to_label)
        filters.addWidget(self.date_to)
        filters.addWidget(self.clear_dates)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)

        self.model = PortfolioModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = read_only_table(self, "portfolioTable", "AI systems")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.SYSTEM, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in (
            (Column.SYSTEM, 200),
            (Column.CYCLES, 70),
            (Column.LATEST, 220),
            (Column.DATE, 100),
            (Column.STATUS, 130),  # "Finalized (sample)"
            (Column.SCORE, 210),
            (Column.COMPLETION, 150),  # "26% · 37 to review"
            (Column.GAP, 110),
            (Column.TREND, 130),
        ):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(Column.LATEST, QHeaderView.ResizeMode.Stretch)

        self.message = message_line(self, "portfolioMessage")
        self.setFocusProxy(self.table)

        self.show_trend = QPushButton("Show &trend", self)
        self.show_trend.setObjectName("portfolioShowTrend")
        self.show_trend.setAccessibleName("Show the trend of the selected AI system")
        self.show_trend.setToolTip("The selected system's cycles over time (Enter)")
        self.open_latest = QPushButton("&Open latest cycle", self)
        self.open_latest.setObjectName("portfolioOpenLatest")
        self.open_latest.setAccessibleName("Open the latest cycle of the selected AI system")
        self.open_latest.setToolTip("Open the selected system's latest cycle in the questionnaire")
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.open_latest)
        actions.addWidget(self.show_trend)

        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(self.intro)
        column.addLayout(mode)
        column.addLayout(filters)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addLayout(actions)

        self.date_from.dateChanged.connect(lambda _d: self._apply_filter())
        self.date_to.dateChanged.connect(lambda _d: self._apply_filter())
        self.clear_dates.clicked.connect(self._clear_dates)
        self.show_mode.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.include_copies.toggled.connect(lambda _on: self._apply_filter())
        self.refresh_button.clicked.connect(self.refresh)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.show_trend.clicked.connect(self._show_trend)
        self.open_latest.clicked.connect(self._open_latest)
        self._update_actions()

    # -- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload every assessment (with its overall score) off the UI thread."""
        self._say("Loading the assessments…")
        ctx = self.ctx
        self._loads.run(lambda: AssessmentService(ctx).list(), self._loaded, self._failed)

    def _loaded(self, summaries: list[AssessmentSummary]) -> None:
        self._summaries = list(summaries)
        self._apply_filter()
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self._say(f"The portfolio could not be loaded: {exc}")
        self.loaded.emit()

    # -- filter and actions -------------------------------------------------------------------
    def _clear_dates(self) -> None:
        self.date_from.setDate(ANY_DATE)
        self.date_to.setDate(ANY_DATE)

    def finalized_only(self) -> bool:
        return bool(self.show_mode.currentData() == LATEST_FINALIZED)

    def _apply_filter(self) -> None:
        start, end = _bound(self.date_from), _bound(self.date_to)
        selected = self.selected_system()
        finalized, copies = self.finalized_only(), self.include_copies.isChecked()
        self.intro.setText(INTRO[LATEST_FINALIZED if finalized else LATEST_CYCLE])
        self.model.set_finalized_only(finalized)
        rows = build_rows(
            self._summaries, start, end, finalized_only=finalized, include_copies=copies
        )
        self.model.set_rows(rows)
        # Systems the choices leave out entirely, so that none disappears without a word.
        every = build_rows(self._summaries, start, end, include_copies=True)
        left_out = len(every) - len(rows)
        if not self._summaries:
            self._say(
                "There are no assessments yet. Create one from the home page; each new cycle "
                "of an AI system then adds a point to its trend."
            )
        elif start and end and start > end:
            self._say(f"The “from” date {start} is after the “to” date {end}.")
        elif not every:
            self._say("No cycle was created within these dates. Choose “Any date” to see all.")
        elif left_out:
            why = []
            if finalized:
                why.append("have no finalized cycle (choose “Latest cycle” to see them)")
            if not copies:
                why.append("have only copies or the sample (tick “Include copies and the sample”)")
            n = left_out
            self._say(
                f"{n} AI system{'s' if n != 1 else ''} not shown: "
                f"{' or '.join(why) if why else 'filtered out'}."
            )
        else:
            self._say("")
        if selected is not None:
            self.select_system(selected)
        elif self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._update_actions()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def selected_system(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(SYSTEM_ROLE) if rows else None

    def select_system(self, system: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(SYSTEM_ROLE) == system:
                self.table.setCurrentIndex(index)
                self.table.selectRow(row)
                return True
        return False

    def _update_actions(self) -> None:
        has = self.selected_system() is not None
        self.show_trend.setEnabled(has)
        self.open_latest.setEnabled(has)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_system.emit(index.data(SYSTEM_ROLE))

    def _show_trend(self) -> None:
        system = self.selected_system()
        if system is not None:
            self.open_system.emit(system)

    def _open_latest(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_assessment.emit(int(rows[0].data(ASSESSMENT_ROLE)))
