"""The Actions view: every remediation action of the open assessment in one sortable table,
filtered by owner, status, priority, overdue (the local calendar day) and function, with a
bulk change of owner or status on a multi-selection; a double-click opens the subcategory."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.actions import ActionPriority, ActionStatus, matches
from app.services.actions import ListedAction
from app.services.context import ServiceContext
from app.ui.actions.model import SORT_ROLE, ActionsTableModel
from app.ui.dialogs.messages import show_error
from app.ui.style import muted
from app.ui.wheel_guard import guard_wheel
from app.ui.workers import Background, LatestLoad

ANY = "Any"
NO_ACTIONS = (
    "No remediation actions in this assessment yet.\n\nPlan them in the questionnaire: the "
    "Plan tab beside each subcategory, or “Create action” on a Playbook suggested "
    "action or an AI 600-1 action."
)
NONE_MATCH = "No actions match these filters. Choose “Any” to see more."


def _combo(name: str, accessible: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    guard_wheel(combo)
    return combo


def _labelled(text: str, widget: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(widget)
    return label


class ActionsPage(QWidget):
    """``load(assessment id)`` reads the actions off the UI thread; writes go on the write
    queue. ``subcategory_requested(id)``: a row was opened (double-click or Enter)."""

    subcategory_requested = Signal(str)
    status_message = Signal(str)
    changed = Signal()

    def __init__(
        self, ctx: ServiceContext, background: Background, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from app.services.actions import ActionService

        self.ctx = ctx
        self.service = ActionService(ctx)
        self.background = background
        self._load = LatestLoad(self, background)
        self.assessment_id: int | None = None
        self.read_only = False
        self._all: list[ListedAction] = []
        self.setObjectName("actionsPage")
        self.setAccessibleName("Remediation actions of the assessment")

        self.owner = _combo("actionsOwnerFilter", "Filter by owner", self)
        self.status = _combo("actionsStatusFilter", "Filter by status", self)
        self.status.addItem(ANY, None)
        self.status.addItem("Open (planned or in progress)", "open")
        for s in ActionStatus:
            self.status.addItem(s.label, s)
        self.priority = _combo("actionsPriorityFilter", "Filter by priority", self)
        self.priority.addItem(ANY, None)
        for p in ActionPriority:
            self.priority.addItem(p.label, p)
        self.function = _combo("actionsFunctionFilter", "Filter by function", self)
        self.function.addItem(ANY, None)
        self.overdue = QCheckBox("Overdue onl&y", self)
        self.overdue.setObjectName("actionsOverdueFilter")
        self.overdue.setAccessibleName("Only overdue actions")
        self.overdue.setToolTip("Open actions due before today (your local calendar day)")
        for combo in (self.owner, self.status, self.priority, self.function):
            combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        self.overdue.toggled.connect(lambda _on: self._apply_filters())

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            ("&Owner:", self.owner),
            ("&Status:", self.status),
            ("&Priority:", self.priority),
            ("Fun&ction:", self.function),
        ):
            filters.addWidget(_labelled(text, widget, self))
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addWidget(self.overdue)
        filters.addStretch(1)

        self.model = ActionsTableModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("actionsTable")
        self.table.setAccessibleName("Remediation actions")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.model.keys.index("due"), Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(self.model.column_count):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.model.keys.index("title"), QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open_row)
        self.table.activated.connect(self._open_row)  # Enter on a row
        self.empty = muted(QLabel(NO_ACTIONS, self))
        self.empty.setObjectName("actionsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)

        self.count = QLabel(self)
        self.count.setObjectName("actionsCount")
        self.set_owner = QToolButton(self)
        self.set_owner.setObjectName("actionsSetOwner")
        self.set_owner.setText("Set o&wner…")
        self.set_owner.setAccessibleName("Set the owner of the selected actions")
        self.set_owner.setToolTip("Give the selected actions one owner")
        self.set_owner.clicked.connect(self.bulk_owner)
        self.set_status = QToolButton(self)
        self.set_status.setObjectName("actionsSetStatus")
        self.set_status.setText("Set stat&us")
        self.set_status.setAccessibleName("Set the status of the selected actions")
        self.set_status.setToolTip("Give the selected actions one status")
        self.set_status.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.set_status.setMinimumWidth(
            self.set_status.sizeHint().width() + self.fontMetrics().height()
        )
        menu = QMenu(self.set_status)
        for s in ActionStatus:
            act = menu.addAction(s.label + ("…" if s is ActionStatus.RISK_ACCEPTED else ""))
            act.setObjectName(f"bulkStatus_{s.value}")
            act.triggered.connect(lambda _c=False, status=s: self.bulk_status(status))
        self.set_status.setMenu(menu)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.set_owner)
        bottom.addWidget(self.set_status)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.body, 1)
        layout.addLayout(bottom)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------------
    def load(self, assessment_id: int, read_only: bool = False) -> None:
        """Read the assessment's actions (queued behind pending saves, so that what was just
        planned in the questionnaire is there)."""
        if assessment_id != self.assessment_id:
            self._all = []
            self._show([])
        self.assessment_id = assessment_id
        self.read_only = read_only
        self._update_buttons()
        self._load.cancel()  # an older read still running delivers nothing

        def read() -> None:
            self._load.run(
                lambda: self._read(assessment_id),
                self._loaded,
                lambda exc: self.status_message.emit(f"The actions could not be read: {exc}"),
            )

        self.background.after_writes(read)  # after pending saves

    def _read(self, assessment_id: int) -> tuple[list[ListedAction], list[str]]:
        assessments = self.service.assessments
        framework = assessments.framework_for(assessments.get(assessment_id))
        return self.service.listed(assessment_id), [f.id for f in framework.functions]

    def _loaded(self, result: tuple[list[ListedAction], list[str]]) -> None:
        self._all, functions = result
        self._refill(self.function, [(f, f) for f in functions])
        owners = sorted({x.action.owner for x in self._all if x.action.owner}, key=str.casefold)
        self._refill(self.owner, [(o, o) for o in owners] + [("(no owner)", "")])
        self._apply_filters()

    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        """Replace a filter's choices, keeping the chosen one when it is still there."""
        chosen = combo.currentData()
        blocked = combo.blockSignals(True)
        combo.clear()
        combo.addItem(ANY, None)
        for text, value in items:
            combo.addItem(text, value)
        at = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(at, 0))
        combo.blockSignals(blocked)

    def _apply_filters(self) -> None:
        now = self.ctx.clock()
        # Qt keeps combo data of a str enum as plain text: converted back here.
        status = self.status.currentData()
        statuses = (
            (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
            if status == "open"
            else ((ActionStatus(status),) if status is not None else ())
        )
        priority = self.priority.currentData()
        priority = ActionPriority(priority) if priority is not None else None
        shown = [
            x
            for x in self._all
            if matches(
                x.action,
                now,
                owner=self.owner.currentData(),
                statuses=statuses,
                priorities=(priority,) if priority is not None else (),
                overdue=self.overdue.isChecked(),
                function=self.function.currentData(),
                function_of={x.action.subcategory_id: x.function},
            )
        ]
        self._show(shown)

    def _show(self, rows: list[ListedAction]) -> None:
        selected = {a.uid for a in self.selected()}
        self.model.set_rows(rows)
        self.empty.setText(NO_ACTIONS if not self._all else NONE_MATCH)
        self.body.setCurrentWidget(self.table if rows else self.empty)
        selection = self.table.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.model.action(self.proxy.mapToSource(index).row()).uid in selected:
                selection.select(index, flags)
        overdue = sum(1 for x in self._all if x.overdue)
        open_count = sum(1 for x in self._all if x.action.is_open)
        self.count.setText(
            f"{len(rows)} of {len(self._all)} actions shown · {open_count} open · {overdue} overdue"
        )
        self._update_buttons()

    # -- selection and writes -----------------------------------------------------------------
    def selected(self) -> list[Any]:
        model = self.table.selectionModel()
        if model is None:
            return []
        rows = sorted(self.proxy.mapToSource(i).row() for i in model.selectedRows())
        return [self.model.action(r) for r in rows]

    def _update_buttons(self) -> None:
        has = bool(self.selected()) and not self.read_only
        self.set_owner.setEnabled(has)
        self.set_status.setEnabled(has)

    def _open_row(self, index: Any) -> None:
        if index.isValid():
            source = self.proxy.mapToSource(index)
            self.subcategory_requested.emit(self.model.action(source.row()).subcategory_id)

    def bulk_owner(self) -> None:
        chosen = self.selected()
        if not chosen or self.read_only:
            return
        owners = sorted({a.owner for a in chosen})
        owner, ok = QInputDialog.getText(
            self,
            "Set owner",
            f"Owner of the {len(chosen)} selected action(s) (empty: none):",
            text=owners[0] if len(owners) == 1 else "",
        )
        if ok:
            self._bulk(chosen, {"owner": owner}, f"Owner set on {len(chosen)} action(s)")

    def bulk_status(self, status: ActionStatus) -> None:
        chosen = self.selected()
        if not chosen or self.read_only:
            return
        changes: dict[str, Any] = {"status": status}
        if status is ActionStatus.RISK_ACCEPTED:
            rationale, ok = QInputDialog.getMultiLineText(
                self,
                "Accept the risk",
                f"Why is the risk of the {len(chosen)} selected action(s) accepted?",
            )
            if not ok:
                return
            changes["rationale"] = rationale
        self._bulk(chosen, changes, f"{status.label}: {len(chosen)} action(s)")

    def _bulk(self, chosen: list[Any], changes: dict[str, Any], done: str) -> None:
        aid = self.assessment_id
        if aid is None:
            return
        uids = [a.uid for a in chosen]

        def succeeded(_result: Any) -> None:
            self.status_message.emit(done)
            self.changed.emit()
            self.load(aid, self.read_only)

        def failed(exc: Exception) -> None:
            show_error(self.window(), "The actions were not changed", str(exc))
            self.load(aid, self.read_only)

        self.background.write(
            lambda: self.service.update_many(aid, uids, **changes), succeeded, failed
        )
