"""Item delegates of the home list: the completion column painted as a bar with its percentage."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.domain.numbers import format_percent
from app.ui.home.model import COMPLETION_ROLE

TEXT_WIDTH = 40


class CompletionDelegate(QStyledItemDelegate):
    """A slim bar (palette colours, so light and dark themes work) and the percentage beside it.

    The percentage sits next to the bar, not over it, so it stays readable when the row is
    selected and in grayscale.
    """

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(COMPLETION_ROLE)
        label = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if value is None:
            super().paint(painter, option, index)
            return
        widget = option.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""  # type: ignore[attr-defined]
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, widget)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        pal: QPalette = option.palette  # type: ignore[attr-defined]
        rect: QRect = option.rect  # type: ignore[attr-defined]
        fraction = max(0.0, min(1.0, float(value)))
        text_color = pal.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        # The text ("45%", or "0% · 72 to review") sets the room left for the bar.
        text_width = min(
            max(TEXT_WIDTH, option.fontMetrics.horizontalAdvance(label) + 4),  # type: ignore[attr-defined]
            max(TEXT_WIDTH, rect.width() - 40),
        )
        bar = QRectF(rect.left() + 6, rect.center().y() - 4, rect.width() - text_width - 12, 8)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        groove = QRectF(bar)
        groove_color = pal.color(QPalette.ColorRole.Mid)
        groove_color.setAlpha(110)
        painter.setBrush(groove_color)
        painter.drawRoundedRect(groove, 4, 4)
        if fraction > 0:
            chunk = QRectF(bar.left(), bar.top(), max(8.0, bar.width() * fraction), bar.height())
            painter.setBrush(
                pal.color(QPalette.ColorRole.HighlightedText)
                if selected
                else pal.color(QPalette.ColorRole.Highlight)
            )
            painter.drawRoundedRect(chunk, 4, 4)
        painter.setPen(text_color)
        painter.drawText(
            QRect(rect.right() - text_width - 2, rect.top(), text_width, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            label or format_percent(fraction),
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 120), max(hint.height(), 26))
