"""Filtering of the navigator: by answer state, by review state, by owner (of the answer or of
an open remediation action), and by words found in ids, statements, notes, owners, evidence
titles and remediation actions' titles and owners."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from app.domain.framework import Framework
from app.domain.review import ReviewState
from app.domain.search import fold, matches_all, search_terms
from app.ui.questionnaire.navigator_model import NavigatorModel, status_of

# filterAcceptsRow reads the model itself, so no role is filtered on. The filter role is set to
# one the model never announces: with recursive filtering, a change of the filter role makes the
# proxy forward a row's change to every ancestor as well (each one more repaint); the model
# announces the ancestors whose scores changed itself.
_UNANNOUNCED_ROLE = int(Qt.ItemDataRole.UserRole) + 1000


class FilterMode(enum.Enum):
    ALL = "All subcategories"
    UNANSWERED = "Unanswered"
    FLAGGED = "Flagged for review"
    BELOW_TARGET = "Below target"
    NOT_APPLICABLE = "Not applicable"
    CARRIED_OVER = "Carried over, not yet reviewed"
    OVERDUE = "Overdue"
    NO_EVIDENCE = "No evidence"
    STALE_EVIDENCE = "Expired or expiring evidence"
    UNSUPPORTED = "Unsupported rating"
    # Review states, named as the review section names them.
    READY_FOR_REVIEW = ReviewState.READY.label
    RETURNED = ReviewState.RETURNED.label
    REVIEWED = ReviewState.REVIEWED.label


# What each state filter keeps: (model, subcategory id) -> shown. A new state (e.g. a review
# state) is one FilterMode member and one entry here.
MODE_TESTS: dict[FilterMode, Callable[[NavigatorModel, str], bool]] = {
    FilterMode.UNANSWERED: lambda m, s: status_of(m.answer(s)) == "not_started",
    FilterMode.FLAGGED: lambda m, s: m.answer(s).flagged,
    FilterMode.NOT_APPLICABLE: lambda m, s: m.answer(s).not_applicable,
    # The answers counted "not yet reviewed" everywhere (a carried note alone is unanswered).
    FilterMode.CARRIED_OVER: lambda m, s: m.answer(s).unreviewed,
    FilterMode.BELOW_TARGET: lambda m, s: bool((n := m.node_score(s)) and n.below_target),
    FilterMode.OVERDUE: lambda m, s: m.is_overdue(s),
    FilterMode.NO_EVIDENCE: lambda m, s: not m.answer(s).evidence,
    FilterMode.STALE_EVIDENCE: lambda m, s: m.freshness(s).stale,
    FilterMode.UNSUPPORTED: lambda m, s: m.freshness(s).unsupported,
    FilterMode.READY_FOR_REVIEW: lambda m, s: m.review(s) is ReviewState.READY,
    FilterMode.RETURNED: lambda m, s: m.review(s) is ReviewState.RETURNED,
    FilterMode.REVIEWED: lambda m, s: m.review(s) is ReviewState.REVIEWED,
}
ANY_OWNER: str | None = None  # ``set_owner``: no owner filter
NO_OWNER = ""  # ``set_owner``: the subcategories nobody owns


def ids_named_by(framework: Framework, text: str) -> frozenset[str]:
    """Subcategories that ``text`` names by id: one subcategory, or all of a category."""
    sub = framework.resolve_subcategory_id(text)
    if sub is not None:
        return frozenset({sub})
    wanted = " ".join(fold(text).split())
    for category in framework.categories():
        if fold(category.id) == wanted:
            return frozenset(s.id for s in category.subcategories)
    return frozenset()


class NavigatorFilter(QSortFilterProxyModel):
    """Shows the subcategories that pass the filter and the search, with their parents.

    The subcategory being edited stays visible ("pinned") even when an edit makes it leave the
    filter, so that the selection never jumps away under the user's hands; a change of the
    filter or the search itself lists only what matches. Decisions read the
    source model's answers directly (fast enough to re-filter on every keystroke). Filtering is
    not dynamic: the page calls ``refilter()`` once after a save instead of the proxy
    re-checking the tree on every dataChanged.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._mode = FilterMode.ALL
        self._owner: str | None = ANY_OWNER
        self._terms: list[str] = []
        self._ids: frozenset[str] = frozenset()
        self._pinned = ""
        self.setRecursiveFilteringEnabled(True)
        self.setFilterRole(_UNANNOUNCED_ROLE)
        self.setDynamicSortFilter(False)

    def navigator(self) -> NavigatorModel:
        return cast(NavigatorModel, self.sourceModel())

    @property
    def mode(self) -> FilterMode:
        return self._mode

    def set_mode(self, mode: FilterMode) -> None:
        """Show the subcategories in one state (the user chose a filter)."""
        if mode is not self._mode:

            def apply() -> None:
                self._mode = mode
                self._unpin_unless_matching()

            self._change(apply)

    @property
    def owner(self) -> str | None:
        return self._owner

    def set_owner(self, owner: str | None) -> None:
        """Show only the subcategories of one owner (``NO_OWNER``: of none; ``ANY_OWNER``:
        all). Owners are compared as the search compares words (case and accents folded)."""
        if owner != self._owner:

            def apply() -> None:
                self._owner = owner
                self._unpin_unless_matching()

            self._change(apply)

    def set_search(self, text: str, ids: frozenset[str] = frozenset()) -> None:
        """Words to find; ``ids``: the search names these subcategories by id ("MAP 2.1",
        "MP-2.1", or a category "MAP 2"), so exactly these are shown."""
        terms = search_terms(text)
        if terms != self._terms or ids != self._ids:

            def apply() -> None:
                self._terms, self._ids = terms, ids
                self._unpin_unless_matching()

            self._change(apply)

    def _unpin_unless_matching(self) -> None:
        # The pin keeps the subcategory being edited in place while an edit makes it leave the
        # filter; when the user changes the filter or the search, only what matches is listed.
        if self._pinned and not self.matches(self._pinned):
            self._pinned = ""

    def set_pinned(self, subcategory_id: str) -> None:
        if subcategory_id != self._pinned:
            self._change(lambda: setattr(self, "_pinned", subcategory_id))

    def refilter(self) -> None:
        """Answers changed: re-apply the filter (nothing to do when it shows everything)."""
        if self.is_filtering():
            self._change(lambda: None)

    def _change(self, apply: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            apply()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            apply()
            self.invalidateRowsFilter()

    def is_filtering(self) -> bool:
        return self._mode is not FilterMode.ALL or self._owner is not ANY_OWNER or bool(self._terms)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        kind, node_id = self.navigator().node_at(source_row, source_parent)
        if kind != "subcategory":
            return not self.is_filtering()
        return node_id == self._pinned or self.matches(node_id)

    def matches(self, subcategory_id: str) -> bool:
        """Whether a subcategory passes the filter and the search (ignoring the pin)."""
        model = self.navigator()
        test = MODE_TESTS.get(self._mode)
        if test is not None and not test(model, subcategory_id):
            return False
        if self._owner is not ANY_OWNER:
            # An owner owns the subcategory through its answer or one of its open actions;
            # "no owner" is a subcategory that neither names.
            owners = {fold(name) for name in model.owned_by(subcategory_id)}
            wanted = fold(self._owner.strip())
            if (wanted not in owners) if wanted else bool(owners):
                return False
        if self._ids:
            return subcategory_id in self._ids
        haystack = model.search_text(subcategory_id)
        return matches_all(self._terms, haystack)

    def matching_subcategories(self) -> list[str]:
        """Subcategories that really match, in order (the pinned one only if it does)."""
        return [s for s in self.navigator().subcategory_ids() if self.matches(s)]

    def visible_subcategories(self) -> list[str]:
        """Subcategory ids in the order shown."""
        return [
            s
            for s in self.navigator().subcategory_ids()
            if s == self._pinned or not self.is_filtering() or self.matches(s)
        ]
