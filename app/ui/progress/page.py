"""The Progress page: portfolio -> one AI system's trend -> a comparison, with a way back."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.context import ServiceContext
from app.ui.progress.compare import CompareView
from app.ui.progress.export import BoardExportButton
from app.ui.progress.portfolio import PortfolioView
from app.ui.progress.system_trend import SystemTrendView
from app.ui.workers import Background


class ProgressPage(QWidget):
    """Hosts the three progress views; ``open_assessment``/``open_subcategory`` leave the page."""

    open_assessment = Signal(int)
    open_subcategory = Signal(int, str)

    def __init__(self, ctx: ServiceContext, background: Background, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("progressPage")
        self.portfolio = PortfolioView(ctx, background, self)
        self.trend = SystemTrendView(ctx, background, self)
        self.compare = CompareView(ctx, background, self)
        self.views = QStackedWidget(self)
        self.views.setObjectName("progressViews")
        for view in (self.portfolio, self.trend, self.compare):
            self.views.addWidget(view)

        self.back_button = QPushButton("← &Back", self)
        self.back_button.setObjectName("progressBack")
        self.back_button.setAccessibleName("Back to the previous progress view")
        self.back_button.setToolTip("Back to the previous view (Alt+B)")
        self.back_button.clicked.connect(self.back)
        self.where = QLabel(self)
        self.where.setObjectName("progressWhere")
        self.export_button = BoardExportButton(
            ctx, background, self.views.currentWidget, self._file_stem, self
        )
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.where, 1)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)

        # The trend lists copies and the sample when the portfolio does.
        self.portfolio.open_system.connect(
            lambda system: self.show_trend(system, self.portfolio.include_copies.isChecked())
        )
        self.portfolio.open_assessment.connect(self.open_assessment)
        self.trend.open_assessment.connect(self.open_assessment)
        self.trend.compare_requested.connect(self.show_compare)
        self.compare.open_subcategory.connect(self.open_subcategory)
        self._history: list[QWidget] = []
        self._show(self.portfolio, remember=False)

    def refresh(self) -> None:
        """Reload the portfolio and show it (entering the page)."""
        self.show_portfolio()
        self.portfolio.refresh()

    def show_portfolio(self) -> None:
        """Show the portfolio as last read (the window re-reads it when something it shows
        changed: ``app.ui.shell.changes``)."""
        self._history.clear()
        self._show(self.portfolio, remember=False)

    def reload(self) -> None:
        """Re-read what the page holds after a change, staying on the view shown: the
        portfolio, and the trend when that is shown (a comparison is of fixed cycles and is
        read when asked for)."""
        self.portfolio.refresh()
        if self.views.currentWidget() is self.trend and self.trend.ai_system:
            self.trend.load(self.trend.ai_system)

    def show_trend(self, ai_system: str, include_copies: bool | None = None) -> None:
        """Show the trend of ``ai_system``; ``include_copies`` None keeps the view's choice."""
        self.trend.load(ai_system, include_copies)
        self._show(self.trend)

    def show_compare(self, before_id: int, after_id: int) -> None:
        self.compare.load(before_id, after_id)
        self._show(self.compare)

    def _file_stem(self, view: QWidget) -> str:
        """A file name stem for an export of ``view``."""
        from app.ui.home.page import default_export_name

        if view is self.trend and self.trend.ai_system:
            return "trend-" + default_export_name(self.trend.ai_system).removesuffix(".json")
        return {self.portfolio: "portfolio", self.trend: "trend"}.get(view, "comparison")

    def back(self) -> None:
        if self._history:
            self._show(self._history.pop(), remember=False)

    def _show(self, view: QWidget, remember: bool = True) -> None:
        current = self.views.currentWidget()
        if remember and current is not None and current is not view:
            self._history.append(current)
        self.views.setCurrentWidget(view)
        self.back_button.setEnabled(bool(self._history))
        self.where.setText(
            {
                self.portfolio: "Portfolio: every AI system and its latest cycle",
                self.trend: "One AI system across its cycles",
                self.compare: "Comparison of two cycles",
            }[view]
        )
