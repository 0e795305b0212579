"""File > Import changes from workbook: the preview of every field a workbook would change
(before and after, conflicts marked), applied only when the user says so.

Public API::

    ImportPreviewDialog(plan, parent) -> QDialog   # accepted: apply the plan's changes
    ChangesModel(changes)                          # the table's Qt model
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.history.history_model import FIELD_NAMES, readable
from app.ui.style import heading

_HEADERS = ("Row", "Subcategory", "Field", "In the app now", "In the workbook", "Result")
# The Actions sheet's fields as the Actions view names them (answer fields: FIELD_NAMES).
_ACTION_FIELDS = {
    "title": "Title",
    "description": "Description",
    "owner": "Owner",
    "due_date": "Due date",
    "status": "Status",
    "priority": "Priority",
    "rationale": "Rationale",
    "notes": "Milestone notes",
}


def _row_text(change: Any) -> str:
    """The sheet row of a change; "Actions 3" for a row of the Actions sheet."""
    action_id = getattr(change, "action_id", "")
    return f"Actions {change.sheet_row}" if action_id else str(change.sheet_row)


def _field_text(change: Any) -> str:
    """The field's name; an action's field with the action's id ("Action 3f9a0c12: Status")."""
    action_id = getattr(change, "action_id", "")
    if action_id:
        return f"Action {action_id}: {_ACTION_FIELDS.get(change.field, change.field)}"
    return FIELD_NAMES.get(change.field, change.field)


_CONFLICT = "Conflict: app's value kept"
_CONFLICT_TIP = (
    "Changed in the app after the export as well: the app's value is kept and the workbook's "
    "is not imported; settle it in the questionnaire or the Actions view"
)
_CHANGE = "Will change"
_Index = QModelIndex | QPersistentModelIndex


class ChangesModel(QAbstractTableModel):
    """One row per field change of an ImportPlan (``FieldChange`` items), read-only."""

    def __init__(self, changes: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._changes = list(changes)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(_HEADERS)
        ):
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._changes):
            return None
        change = self._changes[index.row()]
        column = index.column()
        action_id = getattr(change, "action_id", "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                _row_text(change),
                change.subcategory_id,
                _field_text(change),
                change.before or "(empty)" if action_id else readable(change.field, change.before),
                change.after or "(empty)" if action_id else readable(change.field, change.after),
                _CONFLICT if change.conflict else _CHANGE,
            )
            if role == Qt.ItemDataRole.ToolTipRole and column in (3, 4):
                return change.before if column == 3 else change.after  # the whole text
            if role == Qt.ItemDataRole.ToolTipRole and column == 5 and change.conflict:
                return _CONFLICT_TIP
            return values[column] if 0 <= column < len(values) else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.FontRole and change.conflict:
            font = QFont()
            font.setBold(True)  # a conflict reads apart from the changes, in any palette
            return font
        return None


class ImportPreviewDialog(QDialog):
    """Shows what importing a workbook would change; "Apply" accepts (the caller applies)."""

    def __init__(self, plan: Any, assessment_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle("Import changes from workbook")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        applicable, conflicts = len(plan.applicable), len(plan.conflicts)
        layout = QVBoxLayout(self)
        title = heading(f"Changes from {plan.workbook}", factor=1.2, parent=self)
        title.setObjectName("importPreviewTitle")
        layout.addWidget(title)
        self.summary = QLabel(self)
        self.summary.setObjectName("importPreviewSummary")
        self.summary.setWordWrap(True)
        text = _summary(assessment_name, plan.rows_read, applicable, conflicts)
        if getattr(plan, "actions_checked", None) is not None:
            from app.services.interchange.service import actions_note

            text += " " + actions_note(plan.actions_checked) + "."
        self.summary.setText(text)
        layout.addWidget(self.summary)
        self.model = ChangesModel(plan.changes, self)
        self.table = QTableView(self)
        self.table.setObjectName("importPreviewTable")
        self.table.setAccessibleName("Fields the workbook would change")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the buttons; arrows move in it
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Interactive,
            )
        ):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(5, 190)
        self.table.setVisible(bool(plan.changes))
        layout.addWidget(self.table, 1)
        if not plan.changes:
            layout.addStretch(1)
        self.buttons = QDialogButtonBox(self)
        self.buttons.setObjectName("importPreviewButtons")
        self.apply_button = self.buttons.addButton(
            f"Apply {applicable} change{'s' if applicable != 1 else ''}",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.apply_button.setObjectName("importApplyButton")
        self.apply_button.setAccessibleName("Apply the changes")
        self.apply_button.setEnabled(applicable > 0)
        self.apply_button.setVisible(applicable > 0)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("importCancelButton")
        cancel.setAccessibleName("Cancel: change nothing")
        if applicable == 0:
            cancel.setText("Close")
            cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(1100, 560 if plan.changes else 180)


def _summary(name: str, rows: int, applicable: int, conflicts: int) -> str:
    if applicable == 0 and conflicts == 0:
        return (
            f"The workbook's {rows} rows match “{name}”: nothing to import. A respondent's "
            "changes appear here once they have edited and saved the workbook."
        )
    parts = [
        f"{applicable} field{'s' if applicable != 1 else ''} of “{name}” will change "
        f"(rows matched by subcategory or action id, {rows} questionnaire rows read)."
    ]
    if conflicts:
        parts.append(
            f"{conflicts} field{'s were' if conflicts != 1 else ' was'} changed in the app "
            "after the export as well: the app's values are kept; settle them in the "
            "questionnaire or the Actions view."
        )
    parts.append(
        "Nothing is written until you apply; all changes are then saved together, each in "
        "the change history with the workbook's name."
    )
    return " ".join(parts)
