"""The home page: every assessment with its completion and score, and what can be done to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import AssessmentMeta, Status
from app.services.assessments import AssessmentService, AssessmentSummary
from app.services.context import ServiceContext
from app.ui.dialogs.messages import show_error
from app.ui.home.delegates import CompletionDelegate
from app.ui.home.empty_state import EmptyState
from app.ui.home.model import ID_ROLE, AssessmentFilterModel, AssessmentListModel, Column
from app.ui.shell.changes import Change, Kind
from app.ui.shell.navigation import HOME
from app.ui.style import heading, muted
from app.ui.wheel_guard import guard_wheel
from app.ui.workers import Background

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from app.services.assessments import DeletePlan
    from app.services.evidence import Cleanup
    from app.ui.dialogs.new_assessment import NewAssessmentDialog
    from app.ui.dialogs.rename import RenameDialog

# Dialogs, import/export and the sample are imported where used: start-up does not need them.

ALL_SYSTEMS = "All AI systems"
EXPORT_FILTER = "AI RMF Assessor export (*.json);;All files (*)"


def with_shortcut(text: str, shortcut: QKeySequence | str | None) -> str:
    """Tooltip text that shows the shortcut, e.g. "Duplicate (Ctrl+D)"."""
    if not shortcut:
        return text
    seq = shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut)
    native = seq.toString(QKeySequence.SequenceFormat.NativeText)
    return f"{text} ({native})" if native else text


def make_action(
    parent: QWidget,
    name: str,
    text: str,
    tip: str,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    seq: QKeySequence | None = None
    if shortcut is not None:
        seq = QKeySequence(shortcut)
        action.setShortcut(seq)
        action.setShortcutContext(context)
    action.setToolTip(with_shortcut(tip, seq))
    action.setStatusTip(tip)
    return action


def default_export_name(name: str) -> str:
    slug = re.sub(r"[^\w\-]+", "-", name, flags=re.UNICODE).strip("-").lower() or "assessment"
    return f"{slug[:60]}.json"


class HomePage(QWidget):
    """Lists assessments (loaded off the UI thread) and runs the list's actions."""

    open_requested = Signal(int)
    edit_requested = Signal(int)  # "Edit details…" on the selected assessment (its id)
    deleted = Signal(int)
    # What a write made here changed (``app.ui.shell.changes.Change``), for the window's
    # other views; the list itself is re-read by the operation (keeping the selection).
    changed = Signal(object)
    status_message = Signal(str)
    loaded = Signal()
    # (done, total) of a listing that rescores summaries, emitted on the loading thread.
    rescoring = Signal(int, int)

    def __init__(
        self, ctx: ServiceContext, background: Background, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.background = background
        self.setObjectName("homePage")
        self.service = AssessmentService(ctx)
        self.new_dialog: NewAssessmentDialog | None = None
        self.rename_dialog: RenameDialog | None = None
        self.delete_box: QMessageBox | QDialog | None = None
        self._pending_select: int | None = None
        self._loaded_once = False

        self.model = AssessmentListModel(self)
        self.proxy = AssessmentFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self._build_actions()
        self._empty: EmptyState | None = None  # the welcome, built when first needed
        self.loading = muted(QLabel("Loading assessments…", self))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_panel = self._build_list_panel()

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("homeStack")
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.list_panel)
        self.rescoring.connect(self._show_rescoring)  # queued: emitted off the UI thread
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._selection_changed()

    # -- construction -----------------------------------------------------------------------
    @property
    def empty(self) -> EmptyState:
        """The welcome shown while there is no assessment (most starts never need it)."""
        if self._empty is None:
            empty = EmptyState(self.ctx.location.display, self)
            empty.new_requested.connect(self.new_assessment)
            empty.sample_requested.connect(self.open_sample)
            empty.import_requested.connect(self.import_file)
            self.stack.addWidget(empty)
            self._empty = empty
        return self._empty

    def _build_actions(self) -> None:
        local = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.new_action = make_action(
            self, "newAction", "&New assessment…", "Create a new assessment", QKeySequence.New
        )
        self.new_action.triggered.connect(self.new_assessment)
        self.sample_action = make_action(
            self,
            "sampleAction",
            "Open &sample assessment",
            "Create and open a partly filled sample assessment to explore",
        )
        self.sample_action.triggered.connect(self.open_sample)
        self.import_action = make_action(
            self,
            "importAction",
            "&Import…",
            "Open an assessment exported as JSON",
            QKeySequence.Open,
        )
        self.import_action.triggered.connect(self.import_file)
        self.open_action = make_action(
            self, "openAction", "&Open", "Open the selected assessment (Enter or double-click)"
        )
        self.open_action.triggered.connect(self.open_selected)
        self.duplicate_action = make_action(
            self,
            "duplicateAction",
            "D&uplicate",
            "Copy the selected assessment and its answers into a new draft",
            "Ctrl+D",
            local,
        )
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.rename_action = make_action(
            self, "renameAction", "&Rename…", "Rename the selected assessment", "F2", local
        )
        self.rename_action.triggered.connect(self.rename_selected)
        self.edit_action = make_action(
            self,
            "editDetailsHomeAction",
            "Edit detai&ls…",
            "Edit the selected assessment's details and AI-system profile",
        )
        self.edit_action.triggered.connect(self._edit_selected)
        self.delete_action = make_action(
            self,
            "deleteAction",
            "&Delete…",
            "Delete the selected assessment, its answers and history",
            QKeySequence.Delete,
            local,
        )
        self.delete_action.triggered.connect(self.delete_selected)
        self.export_action = make_action(
            self,
            "exportJsonAction",
            "&Export JSON…",
            "Save the selected assessment as a JSON file (lossless, re-importable)",
        )
        self.export_action.triggered.connect(self.export_selected)
        for a in (self.duplicate_action, self.rename_action, self.delete_action):
            self.addAction(a)

    def _build_list_panel(self) -> QWidget:
        panel = QWidget(self)
        title = heading("Assessments", 1.4, panel)
        title.setObjectName("homeTitle")

        self.system_filter = QComboBox(panel)
        guard_wheel(self.system_filter)
        self.system_filter.setObjectName("systemFilter")
        self.system_filter.setAccessibleName("Show assessments of AI system")
        self.system_filter.setToolTip("Show only the assessments of one AI system")
        self.system_filter.setMinimumContentsLength(18)
        self.system_filter.addItem(ALL_SYSTEMS, None)
        self.system_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_system(self.system_filter.currentData())
        )
        system_label = QLabel("AI &system:", panel)
        system_label.setBuddy(self.system_filter)
        self.search = QLineEdit(panel)
        self.search.setObjectName("homeSearch")
        self.search.setAccessibleName("Filter assessments")
        self.search.setPlaceholderText("Filter by name, system or assessor")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.textChanged.connect(self.proxy.set_text)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(system_label)
        top.addWidget(self.system_filter)
        top.addWidget(self.search)

        self.toolbar = QToolBar("Assessment actions", panel)
        self.toolbar.setObjectName("homeToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (
            self.new_action,
            self.open_action,
            self.duplicate_action,
            self.rename_action,
            self.edit_action,
            self.delete_action,
        ):
            self.toolbar.addAction(a)
        self.toolbar.addSeparator()
        for a in (self.export_action, self.import_action, self.sample_action):
            self.toolbar.addAction(a)
        for button in self.toolbar.findChildren(QToolButton):
            if button.defaultAction() is not None:
                button.setAccessibleName(button.defaultAction().text().replace("&", ""))

        self.table = QTableView(panel)
        self.table.setObjectName("homeTable")
        self.table.setAccessibleName("Assessments")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.UPDATED, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setItemDelegateForColumn(Column.COMPLETION, CompletionDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        widths = {
            Column.SYSTEM: 190,
            Column.ASSESSOR: 120,
            Column.STATUS: 110,
            Column.UPDATED: 140,
            Column.COMPLETION: 170,
            Column.SCORE: 220,
        }
        for col, width in widths.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(False)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

        self.footer = muted(QLabel(panel))
        self.footer.setObjectName("homeFooter")
        self.footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        column = QVBoxLayout(panel)
        column.setContentsMargins(12, 10, 12, 8)
        column.addLayout(top)
        column.addWidget(self.toolbar)
        column.addWidget(self.table, 1)
        column.addWidget(self.footer)
        return panel

    # -- loading ----------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        """Reload the list off the UI thread; then select ``select_id`` (or keep the selection)."""
        self._pending_select = select_id if select_id is not None else self.selected_id()
        emit = self.rescoring.emit
        self.background.run(
            lambda: self.service.list(progress=emit), self._populate, self._load_failed
        )

    def _show_rescoring(self, done: int, total: int) -> None:
        """Progress of a first listing after an upgrade or import (every score recomputed)."""
        text = f"Updating the scores of {total:,} assessments… {done:,} of {total:,} done"
        if self.stack.currentWidget() is self.list_panel:
            self.footer.setText(text)  # a refresh: the list stays usable meanwhile
        else:
            self.loading.setText(text)

    def _populate(self, summaries: list[AssessmentSummary]) -> None:
        wanted = self._pending_select
        self.model.set_rows(summaries)
        self._loaded_once = True
        current_system = self.system_filter.currentData()
        self.system_filter.blockSignals(True)
        self.system_filter.clear()
        self.system_filter.addItem(ALL_SYSTEMS, None)
        for system in self.model.systems():
            self.system_filter.addItem(system, system)
        index = self.system_filter.findData(current_system) if current_system else 0
        self.system_filter.setCurrentIndex(max(0, index))
        self.system_filter.blockSignals(False)
        self.proxy.set_system(self.system_filter.currentData())
        self.stack.setCurrentWidget(self.list_panel if summaries else self.empty)
        n = len(summaries)
        self.footer.setText(
            f"{n} assessment{'s' if n != 1 else ''} · database {self.ctx.location.display}"
        )
        if wanted is not None:
            self.select(wanted)
        elif self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._selection_changed()
        self.loaded.emit()

    def _load_failed(self, exc: Exception) -> None:
        self.loading.setText(f"The assessments could not be loaded: {exc}")
        self.stack.setCurrentWidget(self.loading)
        self.status_message.emit(f"The assessments could not be loaded: {exc}")

    def has_assessments(self) -> bool:
        return self.model.rowCount() > 0

    # -- selection --------------------------------------------------------------------------
    def select(self, assessment_id: int) -> bool:
        row = self.model.row_of(assessment_id)
        if row is None:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not proxy_index.isValid():  # filtered out: show everything, then select it
            self.system_filter.setCurrentIndex(0)
            self.search.clear()
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(proxy_index.row())
        self.table.setCurrentIndex(proxy_index)
        self.table.scrollTo(proxy_index)
        return True

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            rows = self.table.selectionModel().selectedRows()
            if not rows:
                return None
            index = rows[0]
        value = index.data(ID_ROLE)
        return int(value) if value is not None else None

    def selected_summary(self) -> AssessmentSummary | None:
        aid = self.selected_id()
        row = None if aid is None else self.model.row_of(aid)
        return None if row is None else self.model.summary(row)

    def _selection_changed(self, *_args: object) -> None:
        summary = self.selected_summary()
        has = summary is not None
        for a in (self.open_action, self.duplicate_action, self.delete_action, self.export_action):
            a.setEnabled(has)
        finalized = has and summary.assessment.status is Status.FINALIZED  # type: ignore[union-attr]
        self.rename_action.setEnabled(has and not finalized)
        self.edit_action.setEnabled(has and not finalized)
        self.rename_action.setToolTip(
            "A finalized assessment is read-only; reopen it to rename it"
            if finalized
            else "Rename the selected assessment (F2)"
        )

    def _activated(self, index: QModelIndex) -> None:
        value = index.data(ID_ROLE)
        if value is not None:
            self.open_requested.emit(int(value))

    def _context_menu(self, pos: QPoint) -> None:
        if not self.table.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.setObjectName("homeContextMenu")
        for a in (
            self.open_action,
            self.duplicate_action,
            self.rename_action,
            self.edit_action,
            self.export_action,
        ):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # -- actions ----------------------------------------------------------------------------
    def open_selected(self) -> None:
        aid = self.selected_id()
        if aid is not None:
            self.open_requested.emit(aid)

    def new_assessment(self) -> NewAssessmentDialog:
        from app.ui.dialogs.new_assessment import NewAssessmentDialog

        dialog = NewAssessmentDialog(self.ctx, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._create(dialog.meta))
        self.new_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "new_dialog", None))
        dialog.open()
        return dialog

    def _create(self, meta: AssessmentMeta | None) -> None:
        if meta is None:
            return
        self.status_message.emit(f"Creating “{meta.name}”…")
        self.background.write(
            lambda: self.service.create(meta),
            lambda created: self._opened_new(created.id, f"Created “{created.name}”"),
            lambda exc: self._fail("The assessment could not be created", exc),
        )

    def _wrote(self, kinds: Kind, assessment_id: int, select: int | None = None) -> None:
        """A write of this page is done: the list is re-read (selecting ``select``) and the
        window's other views hear what changed."""
        self.refresh(select)
        self.changed.emit(Change.of(kinds, assessment_id, origin=HOME))

    def _opened_new(self, assessment_id: int, message: str) -> None:
        self.status_message.emit(message)
        self._wrote(Kind.ASSESSMENTS, assessment_id, assessment_id)
        self.open_requested.emit(assessment_id)

    def open_sample(self) -> None:
        from app.services.sample import create_sample

        self.status_message.emit("Creating the sample assessment…")
        self.sample_action.setEnabled(False)
        if self._empty is not None:
            self._empty.sample_button.setEnabled(False)

        def done(created: object) -> None:
            self._sample_done()
            self._opened_new(
                created.id,
                "Opened the sample assessment; delete it whenever "  # type: ignore[attr-defined]
                "you like",
            )

        def failed(exc: Exception) -> None:
            self._sample_done()
            self._fail("The sample assessment could not be created", exc)

        self.background.write(lambda: create_sample(self.ctx), done, failed)

    def _sample_done(self) -> None:
        self.sample_action.setEnabled(True)
        if self._empty is not None:
            self._empty.sample_button.setEnabled(True)

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open an exported assessment", "", EXPORT_FILTER
        )
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        from app.services.exchange import ExchangeService

        self.status_message.emit(f"Importing {path.name}…")
        self.import_action.setEnabled(False)

        def done(new_id: int) -> None:
            self.import_action.setEnabled(True)
            self.status_message.emit(f"Imported {path.name}")
            self._wrote(Kind.ASSESSMENTS, new_id, new_id)

        def failed(exc: Exception) -> None:
            self.import_action.setEnabled(True)
            self._fail(f"{path.name} could not be imported", exc)

        self.background.write(lambda: ExchangeService(self.ctx).import_file(path), done, failed)

    def export_selected(self) -> None:
        summary = self.selected_summary()
        if summary is not None:
            self.export_json(summary.assessment.id, summary.assessment.name)

    def export_json(self, aid: int, name: str) -> None:
        """Ask where, then write the export off the UI thread (atomically, by the service)."""
        from app.services.exchange import ExchangeService

        path, _ = QFileDialog.getSaveFileName(
            self, "Export assessment as JSON", default_export_name(name), EXPORT_FILTER
        )
        if not path:
            return
        self.status_message.emit(f"Exporting “{name}”…")
        # The save dialog has asked before replacing an existing file (force); the app's own
        # data is refused by the service whatever force says.
        self.background.write(
            lambda: ExchangeService(self.ctx).export_json(aid, Path(path), force=True),
            lambda written: self.status_message.emit(f"Exported to {written}"),
            lambda exc: self._fail("The assessment could not be exported", exc),
        )

    def duplicate_selected(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        aid = summary.assessment.id
        self.background.write(
            lambda: self.service.duplicate(aid),
            lambda copy: (
                self.status_message.emit(f"Duplicated as “{copy.name}”"),
                self._wrote(Kind.ASSESSMENTS, copy.id, copy.id),
            ),
            lambda exc: self._fail("The assessment could not be duplicated", exc),
        )

    def _edit_selected(self) -> None:
        aid = self.selected_id()
        if aid is not None and self.edit_action.isEnabled():
            self.edit_requested.emit(aid)

    def rename_selected(self) -> None:
        summary = self.selected_summary()
        if summary is None or not self.rename_action.isEnabled():
            return
        from app.ui.dialogs.rename import RenameDialog

        dialog = RenameDialog(self.service, summary.assessment, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        aid = summary.assessment.id
        dialog.accepted.connect(lambda: self._rename(aid, dialog.new_name))
        self.rename_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "rename_dialog", None))
        dialog.open()

    def _rename(self, aid: int, name: str) -> None:
        self.background.write(
            lambda: self.service.rename(aid, name),
            lambda renamed: (
                self.status_message.emit(f"Renamed to “{renamed.name}”"),
                self._wrote(Kind.DETAILS, aid, aid),
            ),
            lambda exc: self._fail("The assessment could not be renamed", exc),
        )

    def delete_selected(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        aid = summary.assessment.id
        self.background.run(
            lambda: self.service.delete_plan(aid),
            self._confirm_delete,
            lambda exc: self._fail("The assessment could not be deleted", exc),
        )

    def _confirm_delete(self, plan: DeletePlan) -> None:
        """One confirmation, or the typed name for what others rely on (finalized, a previous
        cycle); both say what is lost, evidence files included."""
        from app.ui.dialogs.confirm import TypedNameDialog, confirm_delete_box, files_message

        aid, name = plan.assessment.id, plan.assessment.name
        if plan.why_confirm:
            dialog = TypedNameDialog(plan, self.window())
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.delete_box = dialog
            dialog.destroyed.connect(lambda *_: setattr(self, "delete_box", None))
            dialog.accepted.connect(lambda: self._delete(aid, name, dialog.typed_name()))
            dialog.open()
            return
        box = confirm_delete_box(
            self.window(), name, plan.answers, plan.history, files_message(plan)
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.delete_box = box
        box.destroyed.connect(lambda *_: setattr(self, "delete_box", None))

        def finished(_result: int) -> None:
            if box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.DestructiveRole:
                self._delete(aid, name)

        box.finished.connect(finished)
        box.open()

    def _delete(self, aid: int, name: str, confirm_name: str | None = None) -> None:
        def deleted(done: Cleanup) -> None:
            files = f"; {len(done.removed)} evidence file(s) removed" if done.removed else ""
            self.status_message.emit(f"Deleted “{name}”{files}")
            self.deleted.emit(aid)
            self._wrote(Kind.ASSESSMENTS, aid)

        self.background.write(
            lambda: self.service.delete(aid, confirm_name=confirm_name),
            deleted,
            lambda exc: self._fail("The assessment could not be deleted", exc),
        )

    def _fail(self, title: str, exc: Exception) -> None:
        self.status_message.emit(f"{title}: {exc}")
        show_error(self.window(), title, str(exc))
