"""The dashboard's chart and heat map as tables (WCAG 2.2 SC 1.1.1: a text equivalent of
every graphic, reachable by keyboard and read by screen readers), and the "Show as table"
switch that puts the table in the graphic's place.

The figures are written by ``app.domain.numbers`` like every other surface, so the table says
exactly what the cards, the report and ``airmf score`` say.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QStackedWidget, QTableView, QVBoxLayout, QWidget

from app.domain.numbers import format_percent, format_score
from app.domain.scoring import NodeScore
from app.ui.dashboard.gaps import SUBCATEGORY_ROLE
from app.ui.progress.widgets import read_only_table
from app.ui.table_model import Index, ReadOnlyTableModel


def _score(value: float | None) -> str:
    return "–" if value is None else format_score(value)


def _state(node: NodeScore) -> str:
    """What the heat map's cell shows, in words."""
    if node.not_applicable and node.kind == "subcategory":
        return "Not applicable"
    if node.score is None:
        return "Not answered"
    return f"{node.level} {node.level_name}"


class _Headed(ReadOnlyTableModel):
    """A read-only table whose column titles are ``headers``."""

    headers: tuple[str, ...] = ()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section] if 0 <= section < self.column_count else None
        return None


class FunctionTableModel(_Headed):
    """One row per function (then Overall): score, level, target, gap, completion."""

    headers = ("Function", "Score", "Level", "Target", "Gap", "Completion")
    column_count = len(headers)

    def set_tree(self, tree: NodeScore) -> None:
        self.set_rows([*tree.children, tree])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid(index) or role != Qt.ItemDataRole.DisplayRole:
            return None
        node: NodeScore = self._rows[index.row()]
        name = "Overall" if node.kind == "overall" else node.id
        return (
            name,
            _score(node.score),
            "–" if node.score is None else f"{node.level} {node.level_name}",
            _score(node.target),
            _score(node.gap),
            format_percent(node.completion),
        )[index.column()]


class HeatMapTableModel(_Headed):
    """One row per subcategory, in framework order: what each heat-map cell shows, in words."""

    headers = ("Subcategory", "Level", "Score", "Target", "Gap", "Outcome")
    column_count = len(headers)

    def set_tree(self, tree: NodeScore) -> None:
        self.set_rows(tree.subcategories())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.valid(index):
            return None
        node: NodeScore = self._rows[index.row()]
        if role == SUBCATEGORY_ROLE:
            return node.id
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return node.title
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            node.id,
            _state(node),
            _score(node.score),
            _score(node.target),
            _score(node.gap) if node.score is not None else "–",
            node.title,
        )[index.column()]


class FigureOrTable(QWidget):
    """A graphic and its table, one shown at a time, switched by a "Show as table" check box
    (keyboard-reachable, before the graphic in Tab order). The choice is kept in QSettings under
    ``settings_key`` so that a screen-reader user finds the table again next time.

    ``set_figure`` puts the graphic in (it may be built later, e.g. a lazily loaded chart).
    """

    def __init__(
        self,
        model: ReadOnlyTableModel,
        object_name: str,
        table_name: str,
        settings_key: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.settings_key = settings_key
        self.toggle = QCheckBox("Show as &table", self)
        self.toggle.setObjectName(f"{object_name}Toggle")
        self.toggle.setAccessibleName(f"Show {table_name.lower()} as a table")
        self.toggle.setToolTip("The same figures as a table, for the keyboard and screen readers")
        self.table: QTableView = read_only_table(self, f"{object_name}Table", table_name)
        self.table.setModel(model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.stack = QStackedWidget(self)
        self.placeholder = QWidget(self.stack)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.stack, 1)
        value = QSettings().value(settings_key, False)
        self.toggle.setChecked(value in (True, "true", "1", 1))
        self.toggle.toggled.connect(self._switch)
        self._switch(self.toggle.isChecked(), remember=False)

    def set_figure(self, figure: QWidget) -> None:
        """Show ``figure`` as the graphic (replacing the placeholder)."""
        self.stack.removeWidget(self.placeholder)
        self.placeholder.deleteLater()
        self.placeholder = figure
        self.stack.insertWidget(0, figure)
        self._switch(self.toggle.isChecked(), remember=False)

    def showing_table(self) -> bool:
        return self.stack.currentWidget() is self.table

    def _switch(self, table: bool, remember: bool = True) -> None:
        self.stack.setCurrentWidget(self.table if table else self.placeholder)
        QWidget.setTabOrder(self.toggle, self.stack.currentWidget())
        if remember:
            QSettings().setValue(self.settings_key, table)
