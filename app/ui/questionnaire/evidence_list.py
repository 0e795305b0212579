"""Evidence of one answer: a list model and the panel to add links, attach files, date, open
and remove them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import EvidenceItem, EvidenceStatus
from app.domain.days import format_day, local_day
from app.domain.freshness import Freshness, freshness_on
from app.ui.questionnaire.date_field import DateField
from app.ui.style import error_color, error_label, muted
from app.ui.wheel_guard import guard_wheel

Index = QModelIndex | QPersistentModelIndex
# The date fields' hint while no item is selected (short: it must fit the field at 1366 wide;
# the tooltips say the rest).
SELECT_TO_DATE = "Select an item"
INTEGRITY_TEXT = {
    "ok": "integrity ok",
    "missing": "file missing from the evidence store",
    "changed": "file changed since it was attached (SHA-256 differs)",
    "checking": "checking…",
}


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _today() -> dt.date:
    return local_day(dt.datetime.now(dt.UTC))


def dates_text(item: EvidenceItem, today: dt.date) -> str:
    """The item's dates and, when it lapses soon or has lapsed, its state: "as of 2027-01-31,
    valid until 2027-12-31 · Expires within 30 days" ("" for an undated item)."""
    parts = []
    if item.as_of is not None:
        parts.append(f"as of {format_day(item.as_of)}")
    if item.valid_until is not None:
        parts.append(f"valid until {format_day(item.valid_until)}")
    text = ", ".join(parts)
    state = freshness_on(item, today)
    if state is not Freshness.CURRENT:
        text += f" · {state.label.upper() if state is Freshness.EXPIRED else state.label}"
    return text[:1].upper() + text[1:]


class EvidenceListModel(QAbstractListModel):
    """Items of one answer; file items show the integrity of their stored copy, every item
    its dates and whether it has expired or expires soon (``app.domain.freshness``)."""

    def __init__(self, parent: Any = None, today: Callable[[], dt.date] = _today) -> None:
        super().__init__(parent)
        self._items: list[EvidenceItem] = []
        self._integrity: dict[str, str] = {}
        # The user's local day, asked for on each read (the window may stay open overnight).
        self.today = today

    def set_items(self, items: list[EvidenceItem]) -> None:
        if list(items) == self._items:
            return  # most saves do not change the evidence: no reset, no relayout
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[EvidenceItem]:
        return list(self._items)

    def set_integrity(self, sha256: str, state: str) -> None:
        self._integrity[sha256] = state
        for row, item in enumerate(self._items):
            if item.sha256 == sha256:
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx)

    def integrity(self, sha256: str) -> str:
        return self._integrity.get(sha256, "checking")

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            lines = [item.title]
            # An item titled by its file name or link (no title given) names it once.
            if item.is_file:
                name = "" if item.file_name == item.title else f"{item.file_name}, "
                detail = f"{name}{_size(item.size)}, "
                lines.append(detail + INTEGRITY_TEXT[self.integrity(item.sha256)])
            elif item.url != item.title:
                lines.append(item.url)
            if dates := dates_text(item, self.today()):
                lines.append(dates)
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            kind = "File" if item.is_file else "Link"
            return f"{kind}: {self.data(index)}".replace("\n", ", ")
        if role == Qt.ItemDataRole.ToolTipRole:
            if item.is_file:
                return f"SHA-256 {item.sha256}\nEnter or double-click to open"
            return f"{item.url}\nEnter or double-click to open in the browser"
        if role == Qt.ItemDataRole.ForegroundRole:
            if freshness_on(item, self.today()) is Freshness.EXPIRED:
                return QColor(error_color())
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            from PySide6.QtWidgets import QApplication

            style = QApplication.style()
            if freshness_on(item, self.today()) is not Freshness.CURRENT:
                return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            if item.is_file:
                state = self.integrity(item.sha256)
                pixmap = (
                    QStyle.StandardPixmap.SP_FileIcon
                    if state in ("ok", "checking")
                    else QStyle.StandardPixmap.SP_MessageBoxWarning
                )
                return style.standardIcon(pixmap)
            return style.standardIcon(QStyle.StandardPixmap.SP_DirLinkIcon)
        return None


class EvidencePanel(QWidget):
    """Evidence status, the list, and the controls to change it. Behaviour lives in the page."""

    status_chosen = Signal(object)  # EvidenceStatus | None
    link_requested = Signal(str, str)  # title, url
    attach_requested = Signal()
    date_requested = Signal(int, str, object)  # row, "as_of" or "valid_until", date | None
    open_requested = Signal(int)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox(self)
        self.status.setObjectName("evidenceStatus")
        self.status.setAccessibleName("Evidence status")
        guard_wheel(self.status)
        self.status.addItem("Not stated", None)
        for value in EvidenceStatus:
            self.status.addItem(value.label, value)
        status_label = QLabel("&Evidence status", self)
        status_label.setBuddy(self.status)

        self.model = EvidenceListModel(self)
        self.list = QListView(self)
        self.list.setObjectName("evidenceList")
        self.list.setAccessibleName("Evidence items")
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setIconSize(QSize(16, 16))
        self.list.setMinimumHeight(64)
        self.list.setMaximumHeight(170)  # three items of three lines (title, detail, dates)
        self.empty = muted(QLabel("No evidence yet: add a link or attach a file.", self))
        self.empty.setObjectName("evidenceEmpty")

        # Made before the buttons: Tab follows the reading order (list, dates, buttons).
        # The dates of the selected item: each saved when the user finishes typing it.
        self.as_of = DateField("evidenceAsOf", "As-of date", SELECT_TO_DATE, self)
        self.as_of.edit.setToolTip(
            "The day the selected evidence is as of (the period it supports), YYYY-MM-DD; "
            "empty: not stated"
        )
        self.valid_until = DateField("evidenceValidUntil", "Valid-until date", SELECT_TO_DATE, self)
        self.valid_until.edit.setToolTip(
            "The last day the selected evidence holds, YYYY-MM-DD; empty: it does not lapse"
        )
        as_of_label = QLabel("As of", self)  # no mnemonic: the free letters clash with menus
        as_of_label.setBuddy(self.as_of.edit)
        until_label = QLabel("Valid until", self)
        until_label.setBuddy(self.valid_until.edit)

        self.open_button = QPushButton("&Open", self)
        self.open_button.setObjectName("evidenceOpen")
        self.open_button.setToolTip("Open the selected item (Enter in the list)")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setObjectName("evidenceRemove")
        self.remove_button.setToolTip("Remove the selected item from this answer (Delete)")
        self.attach_button = QPushButton("Attach &file…", self)
        self.attach_button.setObjectName("evidenceAttach")
        self.attach_button.setToolTip(
            "Copy a file into the evidence store (fingerprinted with SHA-256) and cite it"
        )
        for b in (self.open_button, self.remove_button, self.attach_button):
            b.setAccessibleName(b.text().replace("&", ""))

        self.url = QLineEdit(self)
        self.url.setObjectName("evidenceUrl")
        self.url.setAccessibleName("Link address")
        self.url.setPlaceholderText("https://… link to a policy, ticket, report")
        self.link_title = QLineEdit(self)
        self.link_title.setObjectName("evidenceTitle")
        self.link_title.setAccessibleName("Link title")
        self.link_title.setPlaceholderText("Title (optional)")
        self.add_link_button = QPushButton("Add &link", self)
        self.add_link_button.setObjectName("evidenceAddLink")
        self.add_link_button.setAccessibleName("Add link")
        self.add_link_button.setToolTip("Cite the link typed on the left (Enter)")
        self.message = error_label(self, "evidenceMessage")
        # It may name where a copy is (no viewer installed): let the path be copied.
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = muted(QLabel(self))
        self.progress.setObjectName("evidenceProgress")
        self.progress.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(status_label)
        top.addWidget(self.status, 1)
        link_row = QHBoxLayout()
        link_row.addWidget(self.url, 3)
        link_row.addWidget(self.link_title, 2)
        link_row.addWidget(self.add_link_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.attach_button)
        dates = QHBoxLayout()
        dates.addWidget(as_of_label)
        dates.addWidget(self.as_of, 1)
        dates.addWidget(until_label)
        dates.addWidget(self.valid_until, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addLayout(dates)
        layout.addLayout(buttons)
        layout.addLayout(link_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)

        self.status.activated.connect(lambda _i: self.status_chosen.emit(self.status.currentData()))
        self.add_link_button.clicked.connect(self._add_link)
        self.url.returnPressed.connect(self._add_link)
        self.link_title.returnPressed.connect(self._add_link)
        self.attach_button.clicked.connect(self.attach_requested)
        self.as_of.committed.connect(lambda d: self._date_committed("as_of", d))
        self.valid_until.committed.connect(lambda d: self._date_committed("valid_until", d))
        self.open_button.clicked.connect(self._open)
        self.remove_button.clicked.connect(self._remove)
        self._read_only = False
        self.list.activated.connect(lambda idx: self.open_requested.emit(idx.row()))
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    # -- view state ---------------------------------------------------------------------------
    def show_evidence(self, status: EvidenceStatus | None, items: list[EvidenceItem]) -> None:
        self.status.setCurrentIndex(max(0, self.status.findData(status)))
        row = self.selected_row()
        if list(items) == self.model.items():
            return  # unchanged: a date being typed is left alone
        self.model.set_items(items)
        if 0 <= row < self.model.rowCount() and self.selected_row() != row:
            # The item just dated (or its neighbour) stays selected across the save.
            self.list.setCurrentIndex(self.model.index(row, 0))
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        """Finalized assessments: items can still be opened, nothing can be changed."""
        self._read_only = read_only
        for w in (self.status, self.url, self.link_title, self.add_link_button, self.attach_button):
            w.setEnabled(not read_only)
        self._update_buttons()

    def selected_row(self) -> int:
        rows = self.list.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:  # e.g. a date refused by the store: the fields show the dates as stored
            self._update_buttons()

    def open_url(self, url: QUrl) -> bool:
        """Open a link or an evidence file's private copy with the system's program for it;
        when there is none (``QDesktopServices.openUrl`` fails), say so and where it is."""
        if QDesktopServices.openUrl(url):
            return True  # a warning shown before (e.g. a changed file) stays
        if url.isLocalFile():
            path = url.toLocalFile()
            self.show_message(
                f"No program is set up to open “{Path(path).name}”. Install a viewer for this "
                f"kind of file, or open the copy yourself: {path}"
            )
        else:
            self.show_message(
                f"No web browser is set up to open {url.toString()}; copy the address from the "
                "list instead."
            )
        return False

    def set_busy(self, text: str) -> None:
        self.progress.setText(text)
        self.progress.setVisible(bool(text))

    def clear_link_inputs(self) -> None:
        self.url.clear()
        self.link_title.clear()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Delete and self.list.hasFocus() and not self._read_only:
            self._remove()
            return
        super().keyPressEvent(event)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        has = row >= 0
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has and not self._read_only)
        self.empty.setVisible(self.model.rowCount() == 0)
        self.list.setVisible(self.model.rowCount() > 0)
        item = self.model.items()[row] if has else None
        for field, value in (
            (self.as_of, item.as_of if item else None),
            (self.valid_until, item.valid_until if item else None),
        ):
            field.set_date(value)
            field.set_read_only(self._read_only or item is None)
            field.edit.setPlaceholderText(
                SELECT_TO_DATE if item is None else "None." if self._read_only else "YYYY-MM-DD"
            )

    def _date_committed(self, field: str, value: dt.date | None) -> None:
        if (row := self.selected_row()) >= 0 and not self._read_only:
            self.show_message("")
            self.date_requested.emit(row, field, value)

    def _add_link(self) -> None:
        url = self.url.text().strip()
        if not url:
            self.show_message("Type the link's address first (e.g. https://intranet/policy).")
            self.url.setFocus()
            return
        self.show_message("")
        self.link_requested.emit(self.link_title.text().strip(), url)

    def _open(self) -> None:
        if (row := self.selected_row()) >= 0:
            self.open_requested.emit(row)

    def _remove(self) -> None:
        if (row := self.selected_row()) >= 0:
            self.remove_requested.emit(row)
