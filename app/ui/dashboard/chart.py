"""Bar chart of the four functions, current score against target (QtCharts, imported lazily)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.domain.numbers import format_score
from app.domain.scoring import NodeScore
from app.ui.style import LEVEL_COLORS, is_dark


class FunctionChart(QWidget):
    """Current vs target per function. QtCharts loads on first construction, not at start-up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCharts import QChart, QChartView  # heavy: only when a dashboard is built

        self.setObjectName("functionChart")
        self.setAccessibleName("Chart of function scores against targets")
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setTheme(
            QChart.ChartTheme.ChartThemeDark if is_dark() else QChart.ChartTheme.ChartThemeLight
        )
        self.chart.setBackgroundVisible(False)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.view = QChartView(self.chart, self)
        self.view.setObjectName("functionChartView")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(240)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view)
        self.categories: list[str] = []
        self.current: list[float] = []
        self.targets: list[float] = []
        self._tree: NodeScore | None = None

    def changeEvent(self, event: QEvent) -> None:
        # A switch of colour scheme (Preferences or the system): redraw in the new scheme's
        # theme, or the axis labels stay in the old one and cannot be read.
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._tree is not None:
            self.set_tree(self._tree)

    def set_tree(self, tree: NodeScore) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QValueAxis

        self._tree = tree
        dark = is_dark(self.palette())
        if dark != (self.chart.theme() == QChart.ChartTheme.ChartThemeDark):
            self.chart.setTheme(
                QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight
            )
            self.chart.setBackgroundVisible(False)

        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        current = QBarSet("Current score")
        target = QBarSet("Target")
        current.setColor(QColor(LEVEL_COLORS[4]))
        current.setBorderColor(QColor(LEVEL_COLORS[5]))
        text = self.palette().color(self.foregroundRole())
        target.setBrush(QBrush(text, Qt.BrushStyle.BDiagPattern))
        target.setPen(QPen(text, 1))
        target.setLabelColor(text)
        current.setLabelColor(text)
        self.categories, self.current, self.targets = [], [], []
        for f in tree.children:
            self.categories.append(f.id)
            self.current.append(f.score or 0.0)
            self.targets.append(f.target or 0.0)
        current.append(self.current)
        target.append(self.targets)
        series = QBarSeries()
        series.append(current)
        series.append(target)
        series.setBarWidth(0.7)
        self.chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(self.categories)
        y = QValueAxis()
        y.setRange(0, 5)
        y.setTickCount(6)
        y.setLabelFormat("%d")
        y.setTitleText("Level")
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        summary = "; ".join(
            f"{f.id} {format_score(f.score)} against target {format_score(f.target)}"
            for f in tree.children
        )
        self.setAccessibleDescription(summary)
        self.setToolTip(
            "Score / target per function (mean of the scored categories); "
            "'–' means nothing is rated yet"
        )

    def series_values(self) -> dict[str, Any]:
        """What the chart shows (for tests): category labels, current and target values."""
        return {"categories": self.categories, "current": self.current, "targets": self.targets}
