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
