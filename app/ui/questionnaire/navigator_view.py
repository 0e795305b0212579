"""The left panel: filter, search box, the tree of subcategories and a progress summary."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.framework import Framework
from app.domain.numbers import format_score
from app.ui.questionnaire.navigator_filter import (
    ANY_OWNER,
    NO_OWNER,
    FilterMode,
    NavigatorFilter,
    ids_named_by,
)
from app.ui.questionnaire.navigator_model import NavigatorModel, Role
from app.ui.questionnaire.stable_text import StableText
from app.ui.questionnaire.status_icons import SIZE, WIDTH
from app.ui.style import muted
from app.ui.wheel_guard import guard_wheel


class NavigatorPanel(QWidget):
    """Emits ``subcategory_selected`` when the user moves to a subcategory in the tree, and
    ``review_requested(ids, what)`` when the user asks (context menu) to mark the carried-over
    answers ``ids`` of a subcategory, category, function or of the filtered list reviewed;
    ``what`` names them for the confirmation ("GOVERN 1", "the 3 shown subcategories")."""

    subcategory_selected = Signal(str)
    rows_changed = Signal()  # the visible rows changed (coalesced: once per burst)
    review_requested = Signal(list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionnaireNavigator")
        self.model = NavigatorModel(self)
        self.proxy = NavigatorFilter(self)
        self.proxy.setSourceModel(self.model)
        self.framework: Framework | None = None  # set by the page: searches by id use it
        self._current_id = ""  # the subcategory in the editor
        self._filtering = False  # applying the user's filter or search
        self._owners: list[str] = []  # listed in the owner filter

        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("navigatorFilter")
        guard_wheel(self.filter_combo)
        self.filter_combo.setAccessibleName("Show")
        self.filter_combo.setToolTip("Show only the subcategories in one state")
        for mode in FilterMode:
            self.filter_combo.addItem(mode.value, mode)

        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("navigatorOwner")
        guard_wheel(self.owner_combo)
        self.owner_combo.setAccessibleName("Owner")
        self.owner_combo.setToolTip(
            "Show only the subcategories of one owner (of the answer or of an open action)"
        )
        self._fill_owners([])

        self.search = QLineEdit(self)
        self.search.setObjectName("navigatorSearch")
        self.search.setAccessibleName("Search subcategories")
        self.search.setPlaceholderText("Search ids, statements, notes, owners, evidence")
        self.search.setToolTip(
            "Finds words in ids, statements, your notes, owners, evidence titles and "
            "remediation actions"
        )
        self.search.setClearButtonEnabled(True)

        self.tree = QTreeView(self)
        self.tree.setObjectName("navigatorTree")
        self.tree.setAccessibleName("Subcategories")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setIconSize(QSize(WIDTH, SIZE))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A fixed width: sizing to contents would re-measure every row after each save.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.tree.fontMetrics().horizontalAdvance("5.0  100%") + 14)
        self.tree.setIndentation(14)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.context_menu: QMenu | None = None  # the last one shown (tests read it)

        self.summary = muted(QLabel(self))
        self.summary.setObjectName("navigatorSummary")
        self.summary.setToolTip(
            "Answers carried over from the previous cycle are not yet reviewed until you change "
            "or confirm them: right-click a subcategory, category or function to mark them "
            "reviewed"
        )
        self.summary.setWordWrap(True)
        # Two lines reserved: the tree must not change height when the summary text changes.
        self.summary.setMinimumHeight(self.summary.fontMetrics().lineSpacing() * 2 + 2)
        self.empty = muted(QLabel(NOTHING_MATCHES, self))
        self.empty.setObjectName("navigatorEmpty")
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_combo)
        layout.addWidget(self.owner_combo)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        self.summary_holder = StableText(self.summary, self)  # changes after most saves
        layout.addWidget(self.summary_holder)

        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        self.owner_combo.currentIndexChanged.connect(self._owner_changed)
        # Owners are named in answers and actions: the list follows them (a reset, a changed
        # row, or new actions).
        self.model.modelReset.connect(self.refresh_owners)
        self.model.dataChanged.connect(self.refresh_owners)
        self.model.reviews_changed.connect(self._reviews_changed)
        self.model.actions_changed.connect(self._actions_changed)
        self.search.textChanged.connect(self._search_changed)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        # Row changes come in bursts (one per range): refresh the labels once after a burst.
        self._state_timer = QTimer(self)
        self._state_timer.setSingleShot(True)
        self._state_timer.setInterval(0)
        self._state_timer.timeout.connect(self._update_state)
        self.proxy.rowsInserted.connect(self._rows_inserted)
        self.proxy.rowsRemoved.connect(self._state_timer.start)
        self.proxy.modelReset.connect(self.tree.expandAll)
        self.proxy.modelReset.connect(self._state_timer.start)

    # -- user actions -------------------------------------------------------------------------
    def _filter_changed(self) -> None:
        self._refilter_by_user(lambda: self.proxy.set_mode(self.filter_combo.currentData()))

    def _owner_changed(self) -> None:
        self._refilter_by_user(lambda: self.proxy.set_owner(self.owner_combo.currentData()))

    def _reviews_changed(self) -> None:
        """Review states arrived or changed: a review-state filter lists what is in that state
        now (the subcategory being edited stays, pinned)."""
        self.proxy.refilter()
        self._state_timer.start()

    def _actions_changed(self) -> None:
        """Remediation actions arrived or changed: their owners join the owner list, and the
        owner, "Overdue" and search filters list what matches now."""
        self.refresh_owners()
        self.proxy.refilter()
        self._state_timer.start()

    def refresh_owners(self) -> None:
        """List the owners the answers and open actions name now (the one chosen stays while
        it is chosen)."""
        owners = self.model.owners()
        chosen = self.owner_combo.currentData()
        if chosen and chosen not in owners:
            owners = sorted([*owners, chosen], key=str.casefold)
        if owners != self._owners:
            self._fill_owners(owners)

    def _fill_owners(self, owners: list[str]) -> None:
        chosen = self.owner_combo.currentData() if self.owner_combo.count() else ANY_OWNER
        blocked = self.owner_combo.blockSignals(True)  # the filter itself does not change
        try:
            self.owner_combo.clear()
            self.owner_combo.addItem("Any owner", ANY_OWNER)
            self.owner_combo.addItem("No owner", NO_OWNER)
            for owner in owners:
                self.owner_combo.addItem(f"Owner: {owner}", owner)
            found = 0 if chosen is ANY_OWNER else self.owner_combo.findData(chosen)
            self.owner_combo.setCurrentIndex(max(0, found))
        finally:
            self.owner_combo.blockSignals(blocked)
        self._owners = owners

    def _search_changed(self, text: str) -> None:
        ids = ids_named_by(self.framework, text) if self.framework else frozenset()
        self._refilter_by_user(lambda: self.proxy.set_search(text, ids))

    def _refilter_by_user(self, change: Callable[[], None]) -> None:
        """Apply a new filter or search without moving the editor to another subcategory.

        When the subcategory being edited no longer matches, its row leaves the tree and Qt
        moves the tree's current row to a neighbour: that is not the user choosing it.
        """
        self._filtering = True
        try:
            change()
            self._show_current_row()
        finally:
            self._filtering = False
        self._update_state()

    def _show_current_row(self) -> None:
        """Mark the edited subcategory's row as current if it is listed, else no row."""
        index = self.proxy.mapFromSource(self.model.index_of(self._current_id))
        selection = self.tree.selectionModel()
        if index.isValid():
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.setCurrentIndex(index, flags)
        else:
            selection.clear()

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        """Rows brought back by a filter open expanded, like everything else."""
        for row in range(first, last + 1):
            self._expand(self.proxy.index(row, 0, parent))
        self._state_timer.start()

    def _expand(self, index: QModelIndex) -> None:
        if self.proxy.hasChildren(index):
            self.tree.expand(index)
            for row in range(self.proxy.rowCount(index)):
                self._expand(self.proxy.index(row, 0, index))

    def _update_state(self) -> None:
        self._state_timer.stop()
        self.empty.setVisible(self.proxy.is_filtering() and not self.proxy.matching_subcategories())
        self.refresh_summary()
        self.rows_changed.emit()

    def carried_over(self, subcategory_ids: list[str]) -> list[str]:
        """Those of ``subcategory_ids`` whose answer is carried over and not yet reviewed."""
        return [s for s in subcategory_ids if self.model.answer(s).unreviewed]

    def review_choices(self, index: QModelIndex) -> list[tuple[str, list[str], str]]:
        """(menu text, carried-over ids, what they are) offered for the row at ``index``: its
        node, and with a filter or search on, every subcategory it shows."""
        node_id = index.siblingAtColumn(0).data(Role.ID)
        choices = []
        mine = self.carried_over(self.model.subcategories_under(node_id))
        kind = index.siblingAtColumn(0).data(Role.KIND)
        if kind == "subcategory":
            choices.append((f"Mark {node_id} reviewed", mine, node_id))
        else:
            n = len(mine)
            noun = "answer" if n == 1 else "answers"
            choices.append((f"Mark reviewed: {n} carried-over {noun} in {node_id}…", mine, node_id))
        if self.proxy.is_filtering():
            shown = self.carried_over(self.proxy.matching_subcategories())
            n = len(shown)
            what = f"the {n} shown subcategor{'y' if n == 1 else 'ies'}"
            noun = "answer" if n == 1 else "answers"
            choices.append((f"Mark reviewed: {n} carried-over {noun} shown…", shown, what))
        return choices

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.setObjectName("navigatorContextMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for text, ids, what in self.review_choices(index):
            action = menu.addAction(text)
            action.setEnabled(bool(ids))
            if not ids:
                action.setText(f"{text.rstrip('…')} (none carried over)")
            action.triggered.connect(
                lambda _c=False, i=ids, w=what: self.review_requested.emit(i, w)
            )
        self.context_menu = menu
        menu.destroyed.connect(lambda *_: setattr(self, "context_menu", None))
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._filtering:
            return
        if current.isValid() and current.data(Role.KIND) == "subcategory":
            self.subcategory_selected.emit(current.data(Role.ID))

    # -- driven by the page -------------------------------------------------------------------
    def select(self, subcategory_id: str) -> None:
        self._current_id = subcategory_id
        self.proxy.set_pinned(subcategory_id)
        index = self.proxy.mapFromSource(self.model.index_of(subcategory_id))
        if not index.isValid():
            return
        if self.tree.currentIndex() != index:
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.tree.selectionModel().setCurrentIndex(index, flags)
        viewport = self.tree.viewport().rect()
        if not viewport.contains(self.tree.visualRect(index)):
            self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def refresh_summary(self) -> None:
        overall = self.model.overall()
        if overall is None:
            self.summary_holder.setText("")
            return
        text = (
            f"{overall.answered} of {overall.total} answered "
            f"({overall.rated} rated, {overall.not_applicable} not applicable)."
        )
        if overall.unreviewed:  # carried over: answered, but not complete until reviewed
            text += f" {overall.review_note}."
        if overall.score is not None:
            text += f" Overall {format_score(overall.score)} {overall.level_name}"
            text += ", provisional." if overall.provisional else "."
        if overall.answered == 0:
            text += " Rate each subcategory or mark it not applicable; all is saved as you go."
        if self.proxy.is_filtering() and (count := len(self.proxy.matching_subcategories())):
            text += " " + matches_text(count)  # (none: the empty-state line says so)
        self.summary_holder.setText(text)


NOTHING_MATCHES = (
    "No subcategory matches this filter and search. Clear the search box or choose "
    "“All subcategories” above."
)


def matches_text(count: int) -> str:
    """How many subcategories pass the filter and search, as a sentence ("1 match.")."""
    if count == 0:
        return "No subcategory matches."
    return f"{count} match." if count == 1 else f"{count} matches."
