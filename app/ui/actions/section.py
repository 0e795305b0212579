"""The questionnaire's "Plan" tab: the actions planned for the shown subcategory, with
add, edit, status and remove. Every read and write runs off the UI thread (writes on the one
write queue, behind pending answer saves)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.actions import ActionStatus, RemediationAction
from app.domain.assessment import EvidenceItem
from app.services.context import ServiceContext
from app.ui.actions.model import SECTION_COLUMNS, ActionsTableModel
from app.ui.dialogs.messages import show_error
from app.ui.style import muted
from app.ui.workers import Background, LatestLoad

EMPTY_TEXT = (
    "No remediation actions for this subcategory yet. Use “Add action…”, or create one from a "
    "Playbook suggested action (Actions tab) or an AI 600-1 action."
)


def _button(text: str, name: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.setToolTip(tip)
    return button


class ActionsSection(QWidget):
    """Shows ``show(assessment id, subcategory id, read-only)``; ``changed`` after a write."""

    changed = Signal()
    status_message = Signal(str)
    count_changed = Signal(int)  # how many actions the subcategory has (for the tab's title)
    # The assessment's stored actions may have changed (a write here, or ``reload`` called
    # after a change elsewhere): views that show every action read them again.
    plan_changed = Signal()

    def __init__(self, ctx: ServiceContext, background: Background, parent: QWidget | None = None):
        super().__init__(parent)
        from app.services.actions import ActionService
        from app.services.answers import AnswerService

        self.service = ActionService(ctx)
        self.answers = AnswerService(ctx)
        self.background = background
        self._load = LatestLoad(self, background)
        self.assessment_id: int | None = None
        self.subcategory_id: str | None = None
        self.read_only = False
        self.dialog: Any = None  # the open ActionDialog, if any
        self.confirm: Any = None  # the open removal confirmation, if any
        self.setObjectName("actionsSection")
        self.setAccessibleName("Remediation actions of this subcategory")

        self.model = ActionsTableModel(SECTION_COLUMNS, self)
        self.table = QTableView(self)
        self.table.setObjectName("sectionActionsTable")
        self.table.setAccessibleName("Remediation actions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.column_count):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.empty = muted(QLabel(EMPTY_TEXT, self))
        self.empty.setObjectName("sectionActionsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.add_button = _button("Add act&ion…", "addActionButton", "Plan a new action", self)
        self.edit_button = _button(
            "Edit…", "editActionButton", "Change the selected action (or double-click it)", self
        )
        self.status_button = QToolButton(self)
        self.status_button.setObjectName("actionStatusButton")
        self.status_button.setText("&Status")
        self.status_button.setAccessibleName("Set the status of the selected action")
        self.status_button.setToolTip("Set the status of the selected action")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Room for the menu arrow, which the style draws over the text's right edge.
        self.status_button.setMinimumWidth(
            self.status_button.sizeHint().width() + self.fontMetrics().height()
        )
        menu = QMenu(self.status_button)
        for status in ActionStatus:
            act = menu.addAction(
                status.label + ("…" if status is ActionStatus.RISK_ACCEPTED else "")
            )
            act.setObjectName(f"setStatus_{status.value}")
            act.triggered.connect(lambda _c=False, s=status: self.set_status(s))
        self.status_button.setMenu(menu)
        self.remove_button = _button(
            "Remove",
            "removeActionButton",
            "Remove the selected action (the history keeps it)",
            self,
        )
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for widget in (self.add_button, self.edit_button, self.status_button, self.remove_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._show_rows([])

    # -- showing ------------------------------------------------------------------------------
    def show_subcategory(self, assessment_id: int, subcategory_id: str, read_only: bool) -> None:
        """Show the actions of one subcategory (read off the UI thread)."""
        changed = (assessment_id, subcategory_id) != (self.assessment_id, self.subcategory_id)
        self.assessment_id, self.subcategory_id = assessment_id, subcategory_id
        self.read_only = read_only
        if changed:
            self._show_rows([])
        self._read()

    def reload(self) -> None:
        """The stored actions may have changed (a write here or in another view): read the
        subcategory's again and announce ``plan_changed``."""
        self._read()
        self.plan_changed.emit()

    def _read(self) -> None:
        aid, sub = self.assessment_id, self.subcategory_id
        if aid is None or sub is None:
            return
        self._load.run(
            lambda: self.service.listed(aid, sub),
            self._show_rows,
            lambda exc: self.status_message.emit(f"The actions could not be read: {exc}"),
        )

    def _show_rows(self, rows: list[Any]) -> None:
        selected = self.selected()
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if selected is not None:
            for row in range(self.model.rowCount()):
                if self.model.action(row).uid == selected.uid:
                    self.table.selectRow(row)
        self._update_buttons()
        self.count_changed.emit(len(rows))

    def selected(self) -> RemediationAction | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.action(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.add_button.setEnabled(not self.read_only and self.subcategory_id is not None)
        for button in (self.edit_button, self.status_button, self.remove_button):
            button.setEnabled(has and not self.read_only)

    # -- writing ------------------------------------------------------------------------------
    def _write(self, fn: Callable[[], Any], done: str) -> None:
        def succeeded(_result: Any) -> None:
            self.status_message.emit(done)
            self.reload()
            self.changed.emit()

        self.background.write(fn, succeeded, self._failed)

    def _failed(self, exc: Exception) -> None:
        show_error(self.window(), "The action was not saved", str(exc))
        self.reload()

    def _with_evidence(self, then: Callable[[list[EvidenceItem]], None]) -> None:
        """Read the subcategory's evidence (for linking) off the UI thread, then ``then``."""
        aid, sub = self.assessment_id, self.subcategory_id
        if aid is None or sub is None:
            return
        self.background.write(
            lambda: self.answers.get(aid, sub).evidence,  # behind pending saves: current
            then,
            lambda exc: show_error(self.window(), "The evidence could not be read", str(exc)),
        )

    def add(self) -> None:
        if self.read_only or self.subcategory_id is None:
            return
        self._with_evidence(lambda evidence: self._open_dialog(evidence, None))

    def edit_selected(self, status: ActionStatus | None = None) -> None:
        action = self.selected()
        if action is None or self.read_only:
            return
        self._with_evidence(lambda evidence: self._open_dialog(evidence, action, status))

    def _open_dialog(
        self,
        evidence: list[EvidenceItem],
        action: RemediationAction | None,
        status: ActionStatus | None = None,
    ) -> None:
        from app.ui.actions.dialog import ActionDialog

        aid, sub = self.assessment_id, self.subcategory_id
        if aid is None or sub is None:
            return
        dialog = ActionDialog(sub, evidence, action, self.window())
        if status is not None:
            dialog.status.setCurrentIndex(dialog.status.findData(status))
            dialog.rationale.setFocus()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            values = dialog.values()
            if action is None:
                title = values.pop("title")
                self._write(
                    lambda: self.service.add(aid, sub, title=title, **values), "Action added"
                )
            elif values:
                self._write(lambda: self.service.update(aid, action.uid, **values), "Action saved")

        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()
        self.dialog = dialog  # the open dialog (None when closed): for tests

    def set_status(self, status: ActionStatus) -> None:
        action = self.selected()
        if action is None or self.read_only or action.status is status:
            return
        if status is ActionStatus.RISK_ACCEPTED and not action.rationale.strip():
            self.edit_selected(status)  # a rationale is needed: the dialog asks for it
            return
        aid = self.assessment_id
        assert aid is not None
        self._write(
            lambda: self.service.update(aid, action.uid, status=status),
            f"Action set to {status.label.lower()}",
        )

    def create_from_suggestion(self, source: str) -> None:
        """One click on a suggested action: an action with its verbatim text and reference."""
        aid, sub = self.assessment_id, self.subcategory_id
        if aid is None or sub is None or self.read_only:
            return
        self._write(
            lambda: self.service.add(aid, sub, suggestion=source),
            "Action created (Plan tab)",
        )

    def remove_selected(self) -> None:
        action = self.selected()
        aid = self.assessment_id
        if action is None or aid is None or self.read_only:
            return
        box = QMessageBox(self.window())
        box.setObjectName("removeActionBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Remove action")
        box.setText(f"Remove the action “{action.title}”?")
        box.setInformativeText(
            "Its fields stay in the change history, but the action leaves the plan."
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Remove")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: Any) -> None:
            if box.standardButton(button) == QMessageBox.StandardButton.Yes:
                self._write(lambda: self.service.remove(aid, action.uid), "Action removed")

        box.buttonClicked.connect(answered)
        box.open()
        self.confirm = box
