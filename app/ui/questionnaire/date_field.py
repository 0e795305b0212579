"""A date typed as YYYY-MM-DD (or picked from a calendar), reported only when complete and valid.

A QDateEdit cannot hold an impossible date: typing 2027-02-31 into one silently becomes
another date, and every keystroke that happens to form a valid date is reported as a change.
This field keeps the text as typed, checks it with the domain's one date rule when the user
finishes (Enter, Tab, focus out), shows a refused date as such beside the field and reports
nothing for it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.domain.date_input import InvalidDate, format_date, parse_date
from app.ui.style import error_label


class DateField(QWidget):
    """Line edit + calendar button + message line; ``committed`` carries a ``date | None``.

    Empty text means "no date". ``committed`` is emitted only for a complete, valid date
    that differs from the one last shown or committed; a refused text stays in the field with
    a message and is never reported.
    """

    committed = Signal(object)  # dt.date | None

    def __init__(
        self, object_name: str, accessible: str, empty_hint: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._value: dt.date | None = None
        self._empty_hint = empty_hint
        self.edit = QLineEdit(self)
        self.edit.setObjectName(object_name)
        self.edit.setAccessibleName(accessible)
        self.edit.setPlaceholderText(empty_hint)
        self.edit.setToolTip("Type a date as YYYY-MM-DD and press Enter, or pick one; empty: none")
        self.edit.setMaxLength(40)
        self.pick = QToolButton(self)
        self.pick.setObjectName(f"{object_name}Pick")
        self.pick.setText("Pick…")
        self.pick.setAccessibleName(f"Pick the {accessible.lower()} from a calendar")
        self.pick.setToolTip("Choose the date on a calendar")
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Room for the menu arrow, which the style draws over the text's right edge.
        self.pick.setMinimumWidth(self.pick.sizeHint().width() + self.fontMetrics().height())
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName(f"{object_name}Calendar")
        self.calendar.setGridVisible(True)
        menu = QMenu(self.pick)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._calendar_to_value)
        self.pick.setMenu(menu)
        self.message = error_label(self, f"{object_name}Error")

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setFocusProxy(self.edit)

        self.edit.editingFinished.connect(self.finish)
        self.edit.textEdited.connect(lambda _t: self._show_error(""))
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    # -- showing ------------------------------------------------------------------------------
    def set_date(self, value: dt.date | None) -> None:
        """Show ``value`` as the stored date (not reported; clears a refused text's message)."""
        self._value = value
        self._show_error("")
        if self.edit.text() != format_date(value):
            self.edit.setText(format_date(value))

    def date(self) -> dt.date | None:
        """The date last shown or committed (never a refused text)."""
        return self._value

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.edit.setPlaceholderText("None." if read_only else self._empty_hint)
        self.pick.setEnabled(not read_only)

    # -- reading ------------------------------------------------------------------------------
    def uncommitted(self) -> tuple[bool, dt.date | None]:
        """(True, date) when the text holds a valid date not yet committed, else (False, None).

        Used when the user leaves the answer without finishing the field (a navigation
        shortcut): a valid date is still saved, a refused one is not.
        """
        try:
            value = parse_date(self.edit.text())
        except InvalidDate:
            return False, None
        return value != self._value, value

    def finish(self) -> None:
        """Check the text (the user finished editing it) and commit it if it is a new date."""
        if self.edit.isReadOnly():
            return
        try:
            value = parse_date(self.edit.text())
        except InvalidDate as exc:
            self._show_error(f"Not saved: {exc}.")
            return
        self._show_error("")
        if self.edit.text() != format_date(value):
            self.edit.setText(format_date(value))  # " 2027-03-01 " -> "2027-03-01"
        if value != self._value:
            self._value = value
            self.committed.emit(value)

    def has_error(self) -> bool:
        return self.message.isVisibleTo(self)

    # -- internals ----------------------------------------------------------------------------
    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _calendar_to_value(self) -> None:
        try:
            shown = parse_date(self.edit.text()) or dt.date.today()
        except InvalidDate:
            shown = self._value or dt.date.today()
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))

    def _picked(self, picked: QDate) -> None:
        self.pick.menu().hide()
        self.edit.setText(format_date(dt.date(picked.year(), picked.month(), picked.day())))
        self.finish()
        self.edit.setFocus()
