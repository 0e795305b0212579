"""Heat map of every subcategory, one row per category, coloured and numbered by level.

Grey with a dash = unanswered; hatched "N/A" = not applicable. The level number is printed in
each cell so the map reads in grayscale. Click, or Enter on the focused cell, opens it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from app.domain.numbers import format_score
from app.domain.rating import RatingScheme
from app.domain.scoring import NodeScore
from app.ui.style import (
    LEVEL_COLORS,
    contrast_text,
    hatch_color,
    level_color,
    unanswered_color,
)

CELL_MIN = QSize(34, 22)
CELL_MAX = QSize(42, 22)
GAP = 2
FUNCTION_GAP = 6
HEADER = 18
BELOW_TARGET = "#d95f02"


@dataclass(frozen=True)
class Cell:
    node: NodeScore
    row: int
    col: int

    @property
    def na(self) -> bool:
        return self.node.not_applicable > 0

    @property
    def label(self) -> str:
        if self.na:
            return "N/A"
        return "–" if self.node.level is None else str(self.node.level)


def describe(node: NodeScore) -> str:
    """One line a screen reader or tooltip can say about a subcategory cell."""
    if node.not_applicable:
        state = "not applicable"
    elif node.score is None:
        state = "unanswered"
    else:
        state = f"level {node.level} {node.level_name}"
    target = "" if node.target is None else f", target {format_score(node.target)}"
    gap = f", gap {format_score(node.gap)}" if node.gap else ""
    return f"{node.id}: {state}{target}{gap}"


class HeatMap(QWidget):
    subcategory_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heatMap")
        self.setAccessibleName("Heat map of subcategory levels")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip("")  # tooltips are per cell
        self._rows: list[tuple[str, str, list[Cell]]] = []  # (category id, function id, cells)
        self._current: tuple[int, int] = (0, 0)
        self._cols = 1

    # -- data -------------------------------------------------------------------------------
    def set_tree(self, tree: NodeScore) -> None:
        rows: list[tuple[str, str, list[Cell]]] = []
        for function in tree.children:
            for category in function.children:
                r = len(rows)
                cells = [Cell(sub, r, c) for c, sub in enumerate(category.children)]
                rows.append((category.id, function.id, cells))
        self._rows = rows
        self._cols = max((len(cells) for _, _, cells in rows), default=1)
        row, col = self._current
        if not self._cell(row, col):
            self._current = (0, 0)
        self.updateGeometry()
        self.update()
        self._announce()

    def cells(self) -> list[Cell]:
        return [cell for _, _, cells in self._rows for cell in cells]

    def cell_for(self, subcategory_id: str) -> Cell | None:
        for cell in self.cells():
            if cell.node.id == subcategory_id:
                return cell
        return None

    def current_subcategory(self) -> str | None:
        cell = self._cell(*self._current)
        return cell.node.id if cell else None

    def _cell(self, row: int, col: int) -> Cell | None:
        if 0 <= row < len(self._rows):
            cells = self._rows[row][2]
            if 0 <= col < len(cells):
                return cells[col]
        return None

    # -- geometry ---------------------------------------------------------------------------
    def _label_width(self) -> int:
        fm = self.fontMetrics()
        widest = max((fm.horizontalAdvance(cid) for cid, _, _ in self._rows), default=60)
        return widest + 12

    def _cell_size(self) -> QSize:
        avail = self.width() - self._label_width()
        w = max(CELL_MIN.width(), min(CELL_MAX.width(), avail // max(1, self._cols) - GAP))
        return QSize(w, CELL_MIN.height())

    def _row_top(self, row: int) -> int:
        size = self._cell_size()
        breaks = sum(1 for r in range(1, row + 1) if self._rows[r][1] != self._rows[r - 1][1])
        return HEADER + row * (size.height() + GAP) + breaks * FUNCTION_GAP

    def cell_rect(self, cell: Cell) -> QRect:
        size = self._cell_size()
        x = self._label_width() + cell.col * (size.width() + GAP)
        return QRect(x, self._row_top(cell.row), size.width(), size.height())

    def sizeHint(self) -> QSize:
        rows = len(self._rows) or 19
        functions = len({f for _, f, _ in self._rows}) or 4
        height = HEADER + rows * (CELL_MIN.height() + GAP) + (functions - 1) * FUNCTION_GAP
        width = self._label_width() + self._cols * (CELL_MAX.width() + GAP)
        return QSize(width, height + 2)

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        width = self._label_width() + self._cols * (CELL_MIN.width() + GAP)
        return QSize(width, hint.height())

    def _cell_at(self, pos: QPoint) -> Cell | None:
        for cell in self.cells():
            if self.cell_rect(cell).contains(pos):
                return cell
        return None

    # -- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        size = self._cell_size()
        painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
        for c in range(self._cols):
            x = self._label_width() + c * (size.width() + GAP)
            painter.drawText(
                QRect(x, 0, size.width(), HEADER - 2),
                Qt.AlignmentFlag.AlignCenter,
                f".{c + 1}",
            )
        for row, (category_id, _function, cells) in enumerate(self._rows):
            top = self._row_top(row)
            painter.setPen(text)
            painter.drawText(
                QRect(0, top, self._label_width() - 8, size.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                category_id,
            )
            for cell in cells:
                self._paint_cell(painter, cell, pal)
        painter.end()

    def _paint_cell(self, painter: QPainter, cell: Cell, pal: QPalette) -> None:
        rect = QRectF(self.cell_rect(cell))
        node = cell.node
        fill = level_color(node.level)
        if cell.na:
            base = pal.color(QPalette.ColorRole.Base)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(base)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setBrush(QBrush(hatch_color(pal), Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(rect, 3, 3)
            fg = pal.color(QPalette.ColorRole.Text)
        elif fill is None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(unanswered_color(pal))
            painter.drawRoundedRect(rect, 3, 3)
            fg = pal.color(QPalette.ColorRole.Text)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 3, 3)
            fg = contrast_text(fill)
        if node.below_target:
            # A small corner mark: below target (also said in the tooltip and gap list). Ringed
            # in the text's colour: orange alone has under 3:1 against levels 2-5 (WCAG 2.2
            # SC 1.4.11; tests/ui/shell/test_text_contrast.py).
            painter.setPen(QPen(fg, 1))
            painter.setBrush(QColor(BELOW_TARGET))
            painter.drawEllipse(QRectF(rect.right() - 8, rect.top() + 2.5, 5, 5))
        painter.setPen(fg)
        font = painter.font()
        font.setBold(not cell.na)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, cell.label)
        font.setBold(False)
        painter.setFont(font)
        if (cell.row, cell.col) == self._current and self.hasFocus():
            pen = QPen(pal.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), 4, 4)

    # -- interaction ------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self._cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPos(),
                    f"<b>{_escape(describe(cell.node))}</b><br>{_escape(cell.node.title)}"
                    "<br><i>Click to open this question</i>",
                    self,
                    self.cell_rect(cell),
                )
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self._cell_at(event.position().toPoint())
        if cell is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._current = (cell.row, cell.col)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.update()
        self._announce()
        self.subcategory_requested.emit(cell.node.id)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self._cell_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row, col = self._current
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            sub = self.current_subcategory()
            if sub:
                self.subcategory_requested.emit(sub)
            return
        moves = {
            Qt.Key.Key_Left: (row, col - 1),
            Qt.Key.Key_Right: (row, col + 1),
            Qt.Key.Key_Up: (row - 1, col),
            Qt.Key.Key_Down: (row + 1, col),
            Qt.Key.Key_Home: (row, 0),
            Qt.Key.Key_End: (row, len(self._rows[row][2]) - 1 if self._rows else 0),
        }
        if key not in moves or not self._rows:
            super().keyPressEvent(event)
            return
        new_row, new_col = moves[key]
        new_row = max(0, min(len(self._rows) - 1, new_row))
        new_col = max(0, min(len(self._rows[new_row][2]) - 1, new_col))
        self._current = (new_row, new_col)
        self.update()
        self._announce()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def _announce(self) -> None:
        cell = self._cell(*self._current)
        self.setAccessibleDescription(
            (describe(cell.node) + ". Press Enter to open it; arrow keys move.") if cell else ""
        )


class LevelLegend(QWidget):
    """Swatches for the five levels, unanswered and N/A, in the order they are read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("heatMapLegend")
        self.setAccessibleName("Heat map legend")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self._levels = QHBoxLayout()
        self._states = QHBoxLayout()
        for row in (self._levels, self._states):
            row.setSpacing(6)
            column.addLayout(row)

    def set_scheme(self, scheme: RatingScheme) -> None:
        for row in (self._levels, self._states):
            while row.count():
                item = row.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
        for level in scheme.levels:
            self._levels.addWidget(_Swatch(str(level.value), QColor(LEVEL_COLORS[level.value])))
            self._levels.addWidget(QLabel(level.name, self))
            self._levels.addSpacing(6)
        self._levels.addStretch(1)
        self._states.addWidget(_Swatch("–", None))
        self._states.addWidget(QLabel("Unanswered", self))
        self._states.addSpacing(6)
        self._states.addWidget(_Swatch("N/A", None, hatched=True))
        self._states.addWidget(QLabel("Not applicable", self))
        self._states.addSpacing(6)
        self._states.addWidget(QLabel(f"<span style='color:{BELOW_TARGET}'>●</span> below target"))
        self._states.addStretch(1)


class _Swatch(QWidget):
    def __init__(self, text: str, color: QColor | None, hatched: bool = False) -> None:
        super().__init__()
        self.text, self.color, self.hatched = text, color, hatched
        self.setFixedSize(QSize(34 if len(text) > 1 else 24, 20))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pal = self.palette()
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        if self.hatched:
            painter.setBrush(pal.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(rect, 3, 3)
            painter.setBrush(QBrush(hatch_color(pal), Qt.BrushStyle.BDiagPattern))
            fg = pal.color(QPalette.ColorRole.Text)
        elif self.color is None:
            painter.setBrush(unanswered_color(pal))
            fg = pal.color(QPalette.ColorRole.Text)
        else:
            painter.setBrush(self.color)
            fg = contrast_text(self.color)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(fg)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)
        painter.end()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
