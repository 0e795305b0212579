"""Small status icons for the navigator, drawn for the current palette and screen density."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication

from app.ui.style import level_color

SIZE = 16
WIDTH = 28  # a status circle, then room for the review flag
FLAG_COLOR = "#e07000"


def status_icon(status: str, level: int | None, flagged: bool, completion: float = 0.0) -> QIcon:
    """``status``: "not_started", "rated", "na" or "group" (a completion pie)."""
    text = QApplication.palette().text().color().name()
    return _icon(status, level, flagged, round(completion * 24), text)


@lru_cache(maxsize=256)
def _icon(status: str, level: int | None, flagged: bool, pie: int, text: str) -> QIcon:
    icon = QIcon()
    for ratio in (1.0, 2.0):
        icon.addPixmap(_pixmap(status, level, flagged, pie, QColor(text), ratio))
    return icon


def _pixmap(
    status: str, level: int | None, flagged: bool, pie: int, text: QColor, ratio: float
) -> QPixmap:
    pm = QPixmap(round(WIDTH * ratio), round(SIZE * ratio))
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    circle = QRectF(2.5, 2.5, 11, 11)
    outline = QPen(text, 1.2)
    if status == "rated":
        fill = level_color(level) or QColor("#41b6c4")
        p.setPen(QPen(text, 1.0))
        p.setBrush(fill)
        p.drawEllipse(circle)
    elif status == "na":
        muted = QColor(text)
        muted.setAlphaF(0.55)
        p.setPen(QPen(muted, 1.2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(circle)
        p.drawLine(QPointF(4.5, 11.5), QPointF(11.5, 4.5))
    elif status == "group":
        p.setPen(outline)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(circle)
        if pie:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#41b6c4"))
            p.drawPie(circle, 90 * 16, -round(pie / 24 * 360 * 16))
    else:  # not started: a dashed, lighter outline, unlike the solid rim of a rated answer
        muted = QColor(text)
        muted.setAlphaF(0.6)
        pen = QPen(muted, 1.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(circle)
    if flagged:
        flag = QColor(FLAG_COLOR)
        p.setPen(QPen(text, 1.2))
        p.drawLine(QPointF(18.5, 2), QPointF(18.5, 14.5))
        path = QPainterPath()
        path.moveTo(19, 2)
        path.lineTo(27, 5)
        path.lineTo(19, 8.5)
        path.closeSubpath()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(flag)
        p.drawPath(path)
    p.end()
    return pm
