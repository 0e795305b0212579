"""Walk a widget tree and list the interactive widgets a screen reader could not name."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QTabBar,
)


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology reads for ``widget`` (Qt's own derivation: the explicit
    accessible name, else a button's text, a buddy label's text...)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def unnamed(root: QWidget) -> list[str]:
    """Every visible interactive widget under ``root`` (root included) with no accessible name,
    as "Class 'objectName' in parent/chain" strings. Scroll bars are Qt's own and named by Qt;
    header views are read as their view's header cells; the line edit inside a spin box or
    combo box is named by its owner."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(root.window()):
            continue
        if not widget.isVisible():
            continue
        parent = widget.parentWidget()
        if isinstance(widget, QLineEdit) and isinstance(parent, (QAbstractSpinBox, QComboBox)):
            continue
        if type(widget).__name__ == "QScrollBar":
            continue
        if isinstance(widget, QHeaderView) and isinstance(parent, QAbstractItemView):
            continue  # read as the column/row header cells of its view's table interface
        if accessible_name(widget):
            continue
        chain = []
        p = parent
        while p is not None and len(chain) < 4:
            chain.append(p.objectName() or type(p).__name__)
            p = p.parentWidget()
        where = "/".join(chain)
        found.append(f"{type(widget).__name__} {widget.objectName()!r} in {where}")
    return found


def focus_chain(start: QWidget, limit: int = 80) -> list[QWidget]:
    """The widgets Tab visits from ``start`` (which gets focus first), in order, until focus
    comes back to a widget already visited or leaves ``start``'s window. Real key presses."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    start.setFocus(Qt.FocusReason.TabFocusReason)
    chain: list[QWidget] = []
    widget = QApplication.focusWidget()
    while widget is not None and widget not in chain and len(chain) < limit:
        if widget.window() is not start.window():
            break
        chain.append(widget)
        QTest.keyClick(widget, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
    return chain


def out_of_reading_order(chain: list[QWidget], root: QWidget) -> list[str]:
    """Pairs of consecutive widgets in ``chain`` where Tab goes against the visual order:
    backwards within a row (left instead of right), or up to an earlier row other than the top
    of a next column (a widget wholly to the right: side-by-side groups are read column by
    column). Two widgets are in one row when they overlap vertically by half the smaller
    height."""
    from PySide6.QtCore import QPoint, QRect

    def rect(w: QWidget) -> QRect:
        return QRect(w.mapTo(root, QPoint(0, 0)), w.size())

    wrong: list[str] = []
    for a, b in zip(chain, chain[1:], strict=False):
        ra, rb = rect(a), rect(b)
        overlap = min(ra.bottom(), rb.bottom()) - max(ra.top(), rb.top())
        same_row = overlap >= min(ra.height(), rb.height()) / 2
        next_column = rb.left() >= ra.right()
        backwards = rb.left() < ra.left() if same_row else rb.top() < ra.top() and not next_column
        if backwards:
            wrong.append(f"{_name(a)} {ra.getRect()} -> {_name(b)} {rb.getRect()}")
    return wrong


def _name(w: QWidget) -> str:
    return w.objectName() or accessible_name(w) or type(w).__name__
