"""Filtering of the navigator: by answer state and by words found in ids, statements and notes."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from app.ui.questionnaire.navigator_model import Role


class FilterMode(enum.Enum):
    ALL = "All subcategories"
    UNANSWERED = "Unanswered"
    FLAGGED = "Flagged for review"
    BELOW_TARGET = "Below target"
    NOT_APPLICABLE = "Not applicable"
    CARRIED_OVER = "Carried over, not yet reviewed"


def _matches_mode(mode: FilterMode, index: QModelIndex) -> bool:
    if mode is FilterMode.ALL:
        return True
    if mode is FilterMode.UNANSWERED:
        return index.data(Role.STATUS) == "not_started"
    if mode is FilterMode.FLAGGED:
        return bool(index.data(Role.FLAGGED))
    if mode is FilterMode.BELOW_TARGET:
        return bool(index.data(Role.BELOW_TARGET))
    if mode is FilterMode.NOT_APPLICABLE:
        return index.data(Role.STATUS) == "na"
    return bool(index.data(Role.CARRIED_OVER))


class NavigatorFilter(QSortFilterProxyModel):
    """Shows the subcategories that pass the filter and the search, with their parents.

    The subcategory being edited stays visible ("pinned") even when an edit makes it leave the
    filter, so that the selection never jumps away under the user's hands.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._mode = FilterMode.ALL
        self._terms: list[str] = []
        self._pinned = ""
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)

    @property
    def mode(self) -> FilterMode:
        return self._mode

    def set_mode(self, mode: FilterMode) -> None:
        if mode is not self._mode:
            self._mode = mode
            self.invalidateRowsFilter()

    def set_search(self, text: str) -> None:
        terms = text.casefold().split()
        if terms != self._terms:
            self._terms = terms
            self.invalidateRowsFilter()

    def set_pinned(self, subcategory_id: str) -> None:
        if subcategory_id != self._pinned:
            self._pinned = subcategory_id
            self.invalidateRowsFilter()

    def is_filtering(self) -> bool:
        return self._mode is not FilterMode.ALL or bool(self._terms)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if index.data(Role.KIND) != "subcategory":
            return not self.is_filtering()
        if self._pinned and index.data(Role.ID) == self._pinned:
            return True
        return self.matches(index)

    def matches(self, source_index: QModelIndex) -> bool:
        """Whether a subcategory passes the filter and the search (ignoring the pin)."""
        if not _matches_mode(self._mode, source_index):
            return False
        haystack = source_index.data(Role.SEARCH_TEXT) or ""
        return all(term in haystack for term in self._terms)

    def matching_subcategories(self) -> list[str]:
        """The visible subcategories that really match (the pinned one only if it does)."""
        source = self.sourceModel()
        return [s for s in self.visible_subcategories() if self.matches(source.index_of(s))]

    def visible_subcategories(self) -> list[str]:
        """Subcategory ids in the order shown."""
        out: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.rowCount(parent)):
                idx = self.index(row, 0, parent)
                if idx.data(Role.KIND) == "subcategory":
                    out.append(idx.data(Role.ID))
                walk(idx)

        walk(QModelIndex())
        return out
