"""The assessment-wide history page: every entry of the open assessment's hash chain (answers,
edits of the assessment, sign-off, and whatever other features record), filtered by person,
local date range, field kind and subcategory. Loading and filtering run off the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import HistoryEntry
from app.domain.history import ASSESSMENT_EVENT
from app.services.answers import AnswerService
from app.services.context import ServiceContext
from app.ui.history.filters import FilterChoices, HistoryFilter, apply_filter, choices
from app.ui.history.history_view import HistoryView, _Loaded
from app.ui.style import muted
from app.ui.wheel_guard import guard_wheel
from app.ui.workers import Background, LatestLoad

ANY = "Anyone"
ANY_FIELD = "Any field"
ANY_SUBCATEGORY = "Any subcategory"
WHOLE_ASSESSMENT = "Whole assessment"


@dataclass(frozen=True)
class _AllLoaded:
    loaded: _Loaded
    choices: FilterChoices


def _fetch_all(ctx: ServiceContext, assessment_id: int) -> _AllLoaded:
    answers = AnswerService(ctx)
    assessment = answers.assessments.get(assessment_id)
    entries = answers.history(assessment_id)
    return _AllLoaded(_Loaded(assessment.name, None, entries), choices(entries))


class AssessmentHistoryPage(HistoryView):
    """The history view of a whole assessment with its filter bar (see the module docstring).

    ``load(assessment_id)`` reads the history; ``set_filter`` (or the bar) shows the entries
    that match. ``filtered`` is emitted each time the table shows a new selection.
    """

    def __init__(
        self,
        ctx: ServiceContext,
        background: Background | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, background, parent)
        self.setObjectName("assessmentHistoryPage")
        self.setAccessibleName("Assessment history")
        self.intro.setText(
            "Every change to this assessment, appended to a hash chain and never edited: "
            "answers, remediation actions, reviews and comments, edits of its details and "
            "profile, sign-off and reopening. Filter by "
            "person, date, field or subcategory; hover a value to read it in full."
        )
        self._all: list[HistoryEntry] = []
        self._filters = LatestLoad(self, self.background)
        self._filling = False
        self._pending_subcategory: str | None = None

        self.actor_filter = self._combo("historyActorFilter", "Filter by person")
        self.kind_filter = self._combo("historyFieldFilter", "Filter by field")
        self.subcategory_filter = self._combo("historySubcategoryFilter", "Filter by subcategory")
        self.dates = QCheckBox("&Between", self)
        self.dates.setObjectName("historyDatesFilter")
        self.dates.setAccessibleName("Filter by date")
        self.dates.setToolTip("Only entries recorded on these local calendar days (inclusive)")
        self.since = self._date("historySince", "From day")
        self.until = self._date("historyUntil", "To day")
        self.clear_button = QPushButton("&Clear filters", self)
        self.clear_button.setObjectName("historyClearFilters")
        self.clear_button.setAccessibleName("Clear the history filters")
        self.count = muted(QLabel(self))
        self.count.setObjectName("historyCount")

        bar = QHBoxLayout()
        for text, widget in (
            ("&Who", self.actor_filter),
            ("Fie&ld", self.kind_filter),
            ("S&ubcategory", self.subcategory_filter),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addSpacing(8)
        bar.addWidget(self.dates)
        bar.addWidget(self.since)
        and_label = QLabel("and", self)  # no mnemonic: Alt+D is the Dashboard tab's
        bar.addWidget(and_label)
        bar.addWidget(self.until)
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout = cast(QVBoxLayout, self.layout())
        layout.insertLayout(2, bar)  # below the title and introduction

        for combo in (self.actor_filter, self.kind_filter, self.subcategory_filter):
            combo.currentIndexChanged.connect(self._changed)
        self.dates.toggled.connect(self._dates_toggled)
        self.since.dateChanged.connect(self._changed)
        self.until.dateChanged.connect(self._changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self._dates_toggled(False)
        self._set_choices(FilterChoices((), (), (), None, None))

    # -- building ---------------------------------------------------------------------------
    def _combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        guard_wheel(combo)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(12)
        return combo

    def _date(self, name: str, accessible: str) -> QDateEdit:
        edit = QDateEdit(self)
        guard_wheel(edit)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    # -- loading ----------------------------------------------------------------------------
    def load(self, assessment_id: int, subcategory_id: str | None = None) -> None:  # type: ignore[override]
        """Read the whole history of ``assessment_id`` (off the UI thread), keeping the
        filters that still apply. ``subcategory_id``: start filtered to it."""
        self.assessment_id, self.subcategory = assessment_id, None
        self._verifies.cancel()
        self.result.setVisible(False)
        self.last_result = None
        self._pending_subcategory = subcategory_id
        self._say("Loading the history…")
        ctx = self.ctx
        self._loads.run(lambda: _fetch_all(ctx, assessment_id), self._all_loaded, self._failed)

    def _all_loaded(self, found: _AllLoaded) -> None:
        wanted = self.current_filter()
        if self._pending_subcategory is not None:
            wanted = HistoryFilter(subcategory=self._pending_subcategory)
            self._pending_subcategory = None
        self._all = found.loaded.entries
        self.title.setText(f"Change history: {found.loaded.name}")
        self._set_choices(found.choices, wanted)
        self.verify_button.setEnabled(True)
        self._apply(emit_loaded=True)

    def _set_choices(self, found: FilterChoices, keep: HistoryFilter | None = None) -> None:
        keep = keep or HistoryFilter()
        self._filling = True
        try:
            self._fill(
                self.actor_filter, [(ANY, None), *((a, a) for a in found.actors)], keep.actor
            )
            self._fill(self.kind_filter, [(ANY_FIELD, None), *found.kinds], keep.kind)
            subs = [
                (WHOLE_ASSESSMENT if s == ASSESSMENT_EVENT else s, s) for s in found.subcategories
            ]
            self._fill(self.subcategory_filter, [(ANY_SUBCATEGORY, None), *subs], keep.subcategory)
            if found.first_day is not None and found.last_day is not None:
                first = QDate(found.first_day.year, found.first_day.month, found.first_day.day)
                last = QDate(found.last_day.year, found.last_day.month, found.last_day.day)
                if not self.dates.isChecked():
                    self.since.setDate(first)
                    self.until.setDate(last)
            self.dates.setChecked(keep.since is not None or keep.until is not None)
            if keep.since is not None:
                self.since.setDate(QDate(keep.since.year, keep.since.month, keep.since.day))
            if keep.until is not None:
                self.until.setDate(QDate(keep.until.year, keep.until.month, keep.until.day))
        finally:
            self._filling = False

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str | None]], keep: str | None) -> None:
        combo.clear()
        for text, value in items:
            combo.addItem(text, value)
        index = combo.findData(keep) if keep is not None else 0
        if index < 0:  # the value is not in this history: shown as an option with no entry
            combo.addItem(f"{keep} (no entry)", keep)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    # -- filtering --------------------------------------------------------------------------
    def current_filter(self) -> HistoryFilter:
        """The filter the bar shows."""
        dated = self.dates.isChecked()
        return HistoryFilter(
            actor=self.actor_filter.currentData(),
            kind=self.kind_filter.currentData(),
            subcategory=self.subcategory_filter.currentData(),
            since=self.since.date().toPython() if dated else None,  # type: ignore[arg-type]
            until=self.until.date().toPython() if dated else None,  # type: ignore[arg-type]
        )

    def set_filter(self, wanted: HistoryFilter) -> None:
        """Show the entries matching ``wanted`` (values not in the history match nothing)."""
        self._set_choices(choices(self._all), wanted)
        self._apply()

    def clear_filters(self) -> None:
        self.set_filter(HistoryFilter())

    def _dates_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self._changed()

    def _changed(self, *_args: object) -> None:
        if not self._filling and self.assessment_id is not None:
            self._apply()

    def _apply(self, emit_loaded: bool = False) -> None:
        wanted, everything = self.current_filter(), self._all

        def shown(entries: list[HistoryEntry]) -> None:
            self._show(entries, wanted)
            if emit_loaded:
                self.loaded.emit()

        self._filters.run(lambda: apply_filter(everything, wanted), shown, self._failed)

    def _show(self, entries: list[HistoryEntry], wanted: HistoryFilter) -> None:
        self.model.set_entries(entries)
        if self.last_result is not None and self.last_result.broken is not None:
            self.model.mark_broken(self.last_result.broken.seq)
        total = len(self._all)
        self.clear_button.setEnabled(not wanted.is_empty)
        noun = "entry" if total == 1 else "entries"
        if wanted.is_empty:
            self.count.setText(f"{total} {noun}")
        else:
            self.count.setText(f"Showing {len(entries)} of {total} {noun}")
        if not total:
            self._say(
                "No change has been recorded for this assessment yet: answers, edits of its "
                "details and its sign-off appear here as they are made."
            )
        elif not entries:
            self._say("No entry matches these filters. Choose Clear filters to see every entry.")
        else:
            self._say("")
