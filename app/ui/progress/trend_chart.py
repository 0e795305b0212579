"""Line chart of one AI system's scores over its cycles (QtCharts, imported when first built)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from app.domain.numbers import format_score
from app.services.progress import TrendPoint
from app.ui.progress.portfolio_model import cycle_date
from app.ui.style import is_dark

# Okabe-Ito colours (colour-blind safe) plus a distinct dash pattern per line.
_FUNCTION_STYLES: tuple[tuple[str, str, Qt.PenStyle], ...] = (
    ("#0072B2", "#56B4E9", Qt.PenStyle.DashLine),
    ("#C55A00", "#E69F00", Qt.PenStyle.DashDotLine),
    ("#007A5A", "#2FD1A0", Qt.PenStyle.DotLine),
    ("#A8327A", "#E58FC4", Qt.PenStyle.DashDotDotLine),
)


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TrendChart(QWidget):
    """Overall and per-function scores against the cycles, oldest on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCharts import QChart, QChartView  # heavy: only when a trend is shown

        self.setObjectName("trendChart")
        self.setAccessibleName("Chart of the scores over the cycles")
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setTheme(
            QChart.ChartTheme.ChartThemeDark if is_dark() else QChart.ChartTheme.ChartThemeLight
        )
        self.chart.setBackgroundVisible(False)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.view = QChartView(self.chart, self)
        self.view.setObjectName("trendChartView")
        self.view.setAccessibleName("Score trend chart")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(260)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the table beside it holds the numbers
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view)
        self._values: dict[str, list[tuple[float, float]]] = {}
        self._labels: list[str] = []
        self._points: list[TrendPoint] | None = None

    def changeEvent(self, event: QEvent) -> None:
        # A switch of colour scheme (Preferences or the system): redraw in the new scheme's
        # theme, or the axis labels stay in the old one and cannot be read.
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._points is not None:
            self.set_points(self._points)

    def set_points(self, points: Sequence[TrendPoint]) -> None:
        from PySide6.QtCharts import QCategoryAxis, QChart, QLineSeries, QValueAxis

        self._points = list(points)
        if is_dark(self.palette()) != (self.chart.theme() == QChart.ChartTheme.ChartThemeDark):
            self.chart.setTheme(
                QChart.ChartTheme.ChartThemeDark
                if is_dark(self.palette())
                else QChart.ChartTheme.ChartThemeLight
            )
            self.chart.setBackgroundVisible(False)

        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self._values = {}
        text = self.palette().color(self.foregroundRole())
        dark = is_dark(self.palette())

        lines: list[tuple[str, list[float | None], QPen]] = []
        overall_pen = QPen(text, 3)
        lines.append(("Overall", [p.overall.score for p in points], overall_pen))
        functions = list(points[0].overall.children) if points else []
        for i, function in enumerate(functions):
            light, on_dark, style = _FUNCTION_STYLES[i % len(_FUNCTION_STYLES)]
            pen = QPen(QColor(on_dark if dark else light), 2, style)
            scores = []
            for p in points:
                node = next((f for f in p.overall.children if f.id == function.id), None)
                scores.append(node.score if node else None)
            lines.append((function.title, scores, pen))

        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self._labels = []
        seen: set[str] = set()
        for i, p in enumerate(points):
            label = f"{_short(p.assessment.name)}<br>{cycle_date(p.assessment).isoformat()}"
            if label in seen:
                label = f"{label} #{p.assessment.id}"
            seen.add(label)
            self._labels.append(label.replace("<br>", " "))
            x_axis.append(label, float(i))
        x_axis.setRange(-0.3, max(0.3, len(points) - 1 + 0.3))
        x_axis.setTitleText("Cycle (oldest first)")
        y_axis = QValueAxis()
        y_axis.setRange(1, 5)
        y_axis.setTickCount(5)
        y_axis.setLabelFormat("%d")
        y_axis.setTitleText("Score (1–5)")
        for axis in (x_axis, y_axis):
            axis.setLabelsColor(text)
            axis.setTitleBrush(text)
            grid = QColor(text)
            grid.setAlphaF(0.18)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

        for name, scores, pen in lines:
            series = QLineSeries()
            series.setName(name)
            series.setPen(pen)
            series.setPointsVisible(True)
            series.setMarkerSize(8.0 if name == "Overall" else 6.0)
            values = [(float(i), s) for i, s in enumerate(scores) if s is not None]
            for x, y in values:
                series.append(QPointF(x, y))
            self.chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
            self._values[name] = values
        self.chart.legend().setLabelColor(text)

        self.setAccessibleDescription(self.describe(points))
        self.setToolTip(
            "Overall and per-function scores of each cycle, from 1 (Minimal) to 5 (Leading). A "
            "function with nothing rated in a cycle has no point for that cycle; the table above "
            "lists every number."
        )

    @staticmethod
    def describe(points: Sequence[TrendPoint]) -> str:
        """A text equivalent of the chart for screen readers."""
        parts = []
        for p in points:
            funcs = ", ".join(f"{f.id} {format_score(f.score)}" for f in p.overall.children)
            parts.append(
                f"{p.assessment.name} ({cycle_date(p.assessment).isoformat()}): overall "
                f"{format_score(p.overall.score)}; {funcs}"
            )
        return ". ".join(parts)

    def series_values(self) -> dict[str, Any]:
        """What the chart draws (for tests): series name -> [(cycle index, score)], labels."""
        return {"series": dict(self._values), "labels": list(self._labels)}
