"""The navigator's item model: function -> category -> subcategory, with status and scores.

The values of every cell are computed here and stored in Qt items (a QStandardItemModel), so
that the tree paints without calling back into Python: a Python model answers index(), parent()
and data() for each cell at each repaint, which made a save's repaint of three rows cost more
than a millisecond. A change (a save, new scores) recomputes the rows it touches and announces
each changed row once.

Values are put in the items with setItemData (it returns a value) rather than with
QStandardItem.setData and the like: PySide6 6.12.0 drops a reference to None at each call of a
method that returns nothing, and the process aborts once None's count reaches zero.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QStandardItem, QStandardItemModel

from app.domain.actions import RemediationAction
from app.domain.assessment import Answer
from app.domain.days import local_day
from app.domain.framework import Framework
from app.domain.freshness import EXPIRING_WITHIN_DAYS, AnswerFreshness, answer_freshness
from app.domain.numbers import format_percent, format_score
from app.domain.rating import RatingScheme
from app.domain.review import ReviewState
from app.domain.scoring import NodeScore
from app.domain.search import fold
from app.ui.questionnaire.status_icons import status_icon

Index = QModelIndex | QPersistentModelIndex


class Role(enum.IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2  # "function" | "category" | "subcategory"
    STATUS = Qt.ItemDataRole.UserRole + 3  # "not_started" | "rated" | "na" (subcategories)
    FLAGGED = Qt.ItemDataRole.UserRole + 4
    CARRIED_OVER = Qt.ItemDataRole.UserRole + 5
    BELOW_TARGET = Qt.ItemDataRole.UserRole + 6
    SEARCH_TEXT = Qt.ItemDataRole.UserRole + 7  # folded id, statement, notes, owner, evidence
    NODE_SCORE = Qt.ItemDataRole.UserRole + 8  # the NodeScore of the node
    FRESHNESS = Qt.ItemDataRole.UserRole + 9  # AnswerFreshness (subcategories)
    REVIEW = Qt.ItemDataRole.UserRole + 10  # the ReviewState value (subcategories)


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACC_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
_ACC_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# What a change of an answer or a score can alter.
CHANGED_ROLES = [
    _DISPLAY,
    _DECORATION,
    _TOOLTIP,
    _ACC_TEXT,
    _ACC_DESCRIPTION,
    *(int(r) for r in Role if r not in (Role.ID, Role.KIND)),
]
STATUS_TEXT = {"not_started": "Not started", "rated": "Rated", "na": "Not applicable"}
# Before a subcategory's score: its review state at a glance (draft: nothing; the tooltip and
# the accessible text say it in words).
REVIEW_MARKERS = {
    ReviewState.DRAFT: "",
    ReviewState.READY: "◐ ",
    ReviewState.REVIEWED: "✓ ",
    ReviewState.RETURNED: "↩ ",
}
COLUMNS = ("Subcategory", "Score")

Values = dict[int, Any]  # role -> value of one cell


@dataclass(eq=False)
class _Node:
    kind: str
    id: str
    title: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    row: int = 0
    values: tuple[Values, Values] = field(default_factory=lambda: ({}, {}))  # in the items


def _today() -> dt.date:
    return local_day(dt.datetime.now(dt.UTC))


class NavigatorModel(QStandardItemModel):
    """Read-only tree. Column 0: id and text with a status icon; column 1: score/completion,
    marked when the subcategory's evidence is stale or its rating unsupported."""

    # Review states changed (set_reviews / set_review): the filter re-applies, as it does
    # after a save, since review states are not part of an answer.
    reviews_changed = Signal()
    # The remediation actions changed (set_actions): owners, overdue and search follow them.
    actions_changed = Signal()

    def __init__(self, parent: Any = None, today: Callable[[], dt.date] = _today) -> None:
        super().__init__(parent)
        # The user's local day: what "overdue", "expired" and "expiring" are judged on.
        self.today = today
        self._root = _Node("root", "", "")
        self._by_id: dict[str, _Node] = {}
        self._answers: dict[str, Answer] = {}
        self._scores: dict[str, NodeScore] = {}
        self._scheme: RatingScheme | None = None
        self._subcategory_ids: list[str] = []
        self._search: dict[str, str] = {}
        self._reviews: dict[str, ReviewState] = {}  # absent: draft
        self._actions: dict[str, tuple[RemediationAction, ...]] = {}  # absent: none
        self._bold = QFont()
        self._bold.setBold(True)
        prototype = QStandardItem()  # read-only items: new rows are made from it
        prototype.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.setItemPrototype(prototype)
        self.setHorizontalHeaderLabels(list(COLUMNS))

    # -- feeding ------------------------------------------------------------------------------
    def set_assessment(
        self,
        framework: Framework,
        scheme: RatingScheme,
        answers: dict[str, Answer],
        score: NodeScore,
    ) -> None:
        self.beginResetModel()
        blocked = self.blockSignals(True)  # one reset for the whole tree
        try:
            self.removeRows(0, self.rowCount())
            self._scheme = scheme
            self._answers = dict(answers)
            self._reviews = {}  # read after the tree (ReviewPanel.load): set_reviews
            self._actions = {}  # read after the tree (QuestionnairePage): set_actions
            self._scores = {n.id: n for n in score.walk()}
            self._root = _Node("root", "", "")
            self._by_id, self._search = {}, {}
            for f in framework.functions:
                fn = self._add(self._root, "function", f.id, f.title)
                for c in f.categories:
                    cn = self._add(fn, "category", c.id, c.title)
                    for s in c.subcategories:
                        self._add(cn, "subcategory", s.id, s.text)
            self._subcategory_ids = [n.id for n in self._by_id.values() if n.kind == "subcategory"]
            self._fill(QModelIndex(), self._root.children)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()

    def _fill(self, parent: QModelIndex, nodes: list[_Node]) -> None:
        # Rows are inserted empty and their items made from the prototype when their values
        # are set (calls that return a value: see the module note on PySide6 6.12).
        if parent.isValid():
            self.insertColumns(0, len(COLUMNS), parent)
        self.insertRows(0, len(nodes), parent)
        for node in nodes:
            first, second = self.index(node.row, 0, parent), self.index(node.row, 1, parent)
            node.values = self._values(node)
            self.setItemData(first, node.values[0])
            self.setItemData(second, node.values[1])
            if node.children:
                self._fill(first, node.children)

    def clear(self) -> None:
        """No assessment: an empty tree (the column headers stay)."""
        self.beginResetModel()
        blocked = self.blockSignals(True)
        try:
            self.removeRows(0, self.rowCount())
        finally:
            self.blockSignals(blocked)
        self._root = _Node("root", "", "")
        self._by_id, self._answers, self._scores = {}, {}, {}
        self._reviews, self._actions = {}, {}
        self._subcategory_ids, self._search = [], {}
        self.endResetModel()

    def _add(self, parent: _Node, kind: str, node_id: str, title: str) -> _Node:
        node = _Node(kind, node_id, title, parent, row=len(parent.children))
        parent.children.append(node)
        self._by_id[node_id] = node
        return node

    def set_answer(self, answer: Answer) -> None:
        self.update(answer, None)

    def set_reviews(self, states: dict[str, ReviewState]) -> None:
        """Every subcategory's review state (absent: draft), e.g. when an assessment opens."""
        # Through a queued signal a dict's enum values arrive as their text: convert back.
        after = {sub: ReviewState(state) for sub, state in states.items()}
        before, self._reviews = self._reviews, after
        changed = False
        for sub in set(before) | set(after):
            node = self._by_id.get(sub)
            if node is not None and before.get(sub) != after.get(sub):
                self._store(node)
                changed = True
        if changed:
            self.reviews_changed.emit()

    def set_review(self, subcategory_id: str, state: ReviewState) -> None:
        """One subcategory's review state changed (its marker and tooltip follow)."""
        node = self._by_id.get(subcategory_id)
        state = ReviewState(state)
        if node is None or self.review(subcategory_id) is state:
            return
        self._reviews[subcategory_id] = state
        self._store(node)
        self.reviews_changed.emit()

    def review(self, subcategory_id: str) -> ReviewState:
        return self._reviews.get(subcategory_id, ReviewState.DRAFT)

    def set_actions(self, actions: list[RemediationAction]) -> None:
        """Every remediation action of the assessment (any status), e.g. when it opens and
        after an action is added, changed or removed.

        The navigator's owner filter, "Overdue" filter and search cover the actions as well as
        the answers (issue 14: a subcategory whose open action Dana owns is Dana's; one whose
        open action is past its due day is overdue).
        """
        after: dict[str, list[RemediationAction]] = {}
        for action in actions:
            after.setdefault(action.subcategory_id, []).append(action)
        before, self._actions = self._actions, {s: tuple(a) for s, a in after.items()}
        changed = False
        for sub in set(before) | set(self._actions):
            node = self._by_id.get(sub)
            if node is not None and before.get(sub, ()) != self._actions.get(sub, ()):
                self._search.pop(sub, None)
                self._store(node)
                changed = True
        if changed:
            self.actions_changed.emit()

    def actions(self, subcategory_id: str) -> tuple[RemediationAction, ...]:
        """The subcategory's remediation actions as last set (any status)."""
        return self._actions.get(subcategory_id, ())

    def owned_by(self, subcategory_id: str) -> list[str]:
        """Who owns the subcategory: its answer's owner and the owners of its open actions
        (as written, blank names left out)."""
        names = [self.answer(subcategory_id).owner, *(a.owner for a in self._open(subcategory_id))]
        return [n.strip() for n in names if n.strip()]

    def _open(self, subcategory_id: str) -> list[RemediationAction]:
        return [a for a in self.actions(subcategory_id) if a.is_open]

    def overdue_actions(self, subcategory_id: str) -> list[RemediationAction]:
        """The subcategory's open actions due before the user's local day."""
        today = self.today()
        return [a for a in self._open(subcategory_id) if a.due_date and a.due_date < today]

    def set_score(self, score: NodeScore) -> None:
        self.update(None, score)

    def update(self, answer: Answer | None, score: NodeScore | None) -> None:
        """A new answer and/or new scores: each row whose values changed is announced once
        (a save touches a subcategory, its category and its function)."""
        changed: dict[str, _Node] = {}
        if answer is not None:
            node = self._by_id.get(answer.subcategory_id)
            if node is not None:
                old = self._answers.get(answer.subcategory_id)
                self._answers[answer.subcategory_id] = answer
                if old is None or _searched(old) != _searched(answer):
                    self._search.pop(answer.subcategory_id, None)
                if old is None or _shown(old) != _shown(answer):
                    changed[node.id] = node
        if score is not None:
            old_scores, self._scores = self._scores, {n.id: n for n in score.walk()}
            for node_id, node_score in self._scores.items():
                node = self._by_id.get(node_id)
                if node is not None and not _same_score(old_scores.get(node_id), node_score):
                    changed[node_id] = node
        for node in changed.values():
            self._store(node)

    def _store(self, node: _Node) -> None:
        """Put the node's current values in its items; announce the row if any changed."""
        new = self._values(node)
        indexes = (self._index(node, 0), self._index(node, 1))
        roles: set[int] = set()
        blocked = self.blockSignals(True)  # one dataChanged for the row, not one per item
        try:
            for index, before, values in zip(indexes, node.values, new, strict=True):
                changed = {r: v for r, v in values.items() if not _same(before.get(r), v)}
                if changed:
                    self.setItemData(index, changed)
                    roles.update(changed)
        finally:
            self.blockSignals(blocked)
        node.values = new
        if roles:
            self.dataChanged.emit(indexes[0], indexes[1], sorted(roles))

    def _values(self, node: _Node) -> tuple[Values, Values]:
        score = self._scores.get(node.id)
        answer = self.answer(node.id) if node.kind == "subcategory" else None
        state = self._state_text(score, answer)
        common: Values = {
            int(Role.ID): node.id,
            int(Role.KIND): node.kind,
            _TOOLTIP: f"{node.id}: {node.title}\n{state}",
            _ACC_DESCRIPTION: f"{node.id}: {node.title}\n{state}",
            _ACC_TEXT: f"{node.id}: {state}",
            int(Role.NODE_SCORE): score,
        }
        if node.kind == "function":
            common[_FONT] = self._bold
        if answer is not None:
            common[int(Role.STATUS)] = status_of(answer)
            common[int(Role.FLAGGED)] = answer.flagged
            common[int(Role.CARRIED_OVER)] = answer.carried_over
            common[int(Role.BELOW_TARGET)] = bool(score and score.below_target)
            common[int(Role.SEARCH_TEXT)] = self.search_text(node.id)
            common[int(Role.FRESHNESS)] = self.freshness(node.id)
            common[int(Role.REVIEW)] = self.review(node.id).value
            icon = status_icon(status_of(answer), score.level if score else None, answer.flagged)
        else:
            icon = status_icon("group", None, False, score.completion if score else 0.0)
        first = {**common, _DISPLAY: self._display(node, 0), _DECORATION: icon}
        second = {**common, _DISPLAY: self._display(node, 1), _ALIGN: _RIGHT}
        if answer is not None:
            # A warning beside the score (which stays as printed everywhere) when the evidence
            # has lapsed or lapses soon, or the rating is unsupported; the tooltip says which.
            fresh = common[int(Role.FRESHNESS)]
            second[_DECORATION] = stale_icon() if fresh.stale or fresh.unsupported else None
        return first, second

    # -- lookups ------------------------------------------------------------------------------
    def index_of(self, node_id: str, column: int = 0) -> QModelIndex:
        node = self._by_id.get(node_id)
        if node is None or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        return self._index(node, column)

    def _index(self, node: _Node, column: int = 0) -> QModelIndex:
        # Indexes are looked up, never kept: no Python wrapper may outlive the items it wraps
        # (the model deletes them on reset, and a stale wrapper could be handed out again).
        parent = node.parent
        above = QModelIndex() if parent is None or parent is self._root else self._index(parent)
        return self.index(node.row, column, above)

    def subcategory_ids(self) -> list[str]:
        return self._subcategory_ids

    def node_at(self, row: int, parent: Index) -> tuple[str, str]:
        """(kind, id) of a row (the filter calls this for every row it checks)."""
        owner = self._by_id[parent.data(Role.ID)] if parent.isValid() else self._root
        node = owner.children[row]
        return node.kind, node.id

    def node_score(self, node_id: str) -> NodeScore | None:
        return self._scores.get(node_id)

    def search_text(self, subcategory_id: str) -> str:
        """Id, statement, the user's notes, the owner, the evidence titles and the titles and
        owners of its remediation actions, folded (``app.domain.search.fold``): what the search
        box looks in."""
        text = self._search.get(subcategory_id)
        if text is None:
            node = self._by_id[subcategory_id]
            actions = self.actions(subcategory_id)
            words = "\n".join(
                (
                    *_searched(self.answer(subcategory_id)),
                    *(f"{a.title}\n{a.owner}" for a in actions),
                )
            )
            text = self._search[subcategory_id] = fold(f"{node.id}\n{node.title}\n{words}")
        return text

    def freshness(self, subcategory_id: str) -> AnswerFreshness:
        """The subcategory's expired and expiring evidence and whether its rating is
        unsupported, on the user's local day."""
        if self._scheme is None:
            return AnswerFreshness()
        return answer_freshness(self._scheme, self.answer(subcategory_id), self.today())

    def is_overdue(self, subcategory_id: str) -> bool:
        """Whether the subcategory's due day, or the due day of one of its open remediation
        actions, is before the user's local day."""
        due = self.answer(subcategory_id).due_date
        answer_late = due is not None and due < self.today()
        return answer_late or bool(self.overdue_actions(subcategory_id))

    def owners(self) -> list[str]:
        """The distinct owners named in the answers and open remediation actions, in
        case-blind order; spellings that differ only in case, accents' encoding or outer
        spaces are one owner (the filter compares them so), listed as first written in
        framework order."""
        seen: dict[str, str] = {}
        for sub in self._subcategory_ids:
            for name in self.owned_by(sub):
                seen.setdefault(fold(name), name)
        return [seen[key] for key in sorted(seen)]

    def subcategories_under(self, node_id: str) -> list[str]:
        """The subcategory ids at or below a node (function, category or subcategory)."""
        node = self._by_id.get(node_id)
        if node is None:
            return []
        if node.kind == "subcategory":
            return [node.id]
        return [s for child in node.children for s in self.subcategories_under(child.id)]

    def overall(self) -> NodeScore | None:
        return self._scores.get("OVERALL")

    def answer(self, subcategory_id: str) -> Answer:
        found = self._answers.get(subcategory_id)
        if found is None:  # unanswered: remember the blank answer (validation is not free)
            found = self._answers[subcategory_id] = Answer(subcategory_id=subcategory_id)
        return found

    # -- presentation -------------------------------------------------------------------------
    def _display(self, node: _Node, col: int) -> str:
        if col == 0:
            return node.id if node.kind == "function" else f"{node.id}  {node.title}"
        score = self._scores.get(node.id)
        if score is None:
            return ""
        if node.kind == "subcategory":
            answer = self.answer(node.id)
            marker = REVIEW_MARKERS[self.review(node.id)]
            if answer.not_applicable:
                return f"{marker}N/A"
            return marker + (format_score(score.score) if score.score is not None else "")
        return f"{format_score(score.score)}  {format_percent(score.completion)}"

    def _state_text(self, score: NodeScore | None, answer: Answer | None) -> str:
        if answer is not None:
            parts = [STATUS_TEXT[status_of(answer)]]
            if score and score.score is not None:
                parts[0] = f"Rated {format_score(score.score)} {score.level_name}"
                if score.below_target:
                    parts.append(f"below target {format_score(score.target)}")
            if answer.flagged:
                parts.append("flagged for review")
            if answer.carried_over:
                parts.append("carried over, not yet reviewed")
            if answer.due_date is not None and answer.due_date < self.today():
                parts.append("overdue")
            if late := len(self.overdue_actions(answer.subcategory_id)):
                parts.append(f"{late} overdue action" + ("" if late == 1 else "s"))
            parts.extend(freshness_notes(self.freshness(answer.subcategory_id)))
            review = self.review(answer.subcategory_id)
            if review is not ReviewState.DRAFT:
                parts.append(f"review: {review.label.lower()}")
            return ", ".join(parts)
        if score is None:
            return ""
        text = (
            f"{score.answered} of {score.total} answered "
            f"({score.rated} rated, {score.not_applicable} not applicable)"
        )
        if score.unreviewed:
            text += f"; {score.review_note}"
        if score.score is None:
            return text + "; no score yet"
        text += f"; score {format_score(score.score)} {score.level_name}"
        if score.provisional:
            text += " (provisional)"
        if score.gap:
            text += f"; gap to target {format_score(score.gap)}"
        if score.below_target:
            text += f"; {score.below_target} below target"
        return text


def _shown(answer: Answer) -> tuple[Any, ...]:
    """What the navigator shows (or filters on) of an answer, besides its score."""
    return (
        status_of(answer),
        answer.flagged,
        answer.carried_over,
        answer.notes,
        answer.owner,
        answer.due_date,
        answer.evidence_status,
        tuple(answer.evidence),
    )


@functools.cache
def stale_icon() -> QIcon:
    """The style's warning icon (made once, after the application exists)."""
    from PySide6.QtWidgets import QApplication, QStyle

    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


def _searched(answer: Answer) -> tuple[str, ...]:
    """The user's words of an answer the search looks in: notes, owner, evidence titles."""
    return (answer.notes, answer.owner, *(e.title for e in answer.evidence))


def freshness_notes(state: AnswerFreshness) -> list[str]:
    """How a subcategory's evidence state is told in the navigator's tooltips."""
    notes = []
    if state.unsupported:
        notes.append("unsupported rating (Advanced or Leading without current evidence)")
    if state.expired:
        noun = "item" if state.expired == 1 else "items"
        notes.append(f"{state.expired} evidence {noun} expired")
    if state.expiring:
        noun = "item" if state.expiring == 1 else "items"
        notes.append(
            f"{state.expiring} evidence {noun} expiring within {EXPIRING_WITHIN_DAYS} days"
        )
    return notes


def _same(old: Any, new: Any) -> bool:
    return old is new or old == new


# A node's own values, without its children (which are compared through their own nodes).
_score_values = attrgetter(*(f.name for f in fields(NodeScore) if f.name != "children"))


def _same_score(old: NodeScore | None, new: NodeScore) -> bool:
    return old is new or (old is not None and _score_values(old) == _score_values(new))


def status_of(answer: Answer) -> str:
    """ "not_started", "rated" or "na"."""
    if answer.not_applicable:
        return "na"
    return "rated" if answer.is_rated else "not_started"
