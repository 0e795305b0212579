"""The navigator's item model: function -> category -> subcategory, with status and scores."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.assessment import Answer
from app.domain.framework import Framework
from app.domain.rating import RatingScheme, format_score
from app.domain.scoring import NodeScore
from app.ui.questionnaire.status_icons import status_icon

Index = QModelIndex | QPersistentModelIndex


class Role(enum.IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    KIND = Qt.ItemDataRole.UserRole + 2  # "function" | "category" | "subcategory"
    STATUS = Qt.ItemDataRole.UserRole + 3  # "not_started" | "rated" | "na" (subcategories)
    FLAGGED = Qt.ItemDataRole.UserRole + 4
    CARRIED_OVER = Qt.ItemDataRole.UserRole + 5
    BELOW_TARGET = Qt.ItemDataRole.UserRole + 6
    SEARCH_TEXT = Qt.ItemDataRole.UserRole + 7  # lower-case id, statement and notes
    NODE_SCORE = Qt.ItemDataRole.UserRole + 8  # the NodeScore of the node


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACC_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
_ACC_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
# Roles answered without looking at the answer (the view asks for these on every paint).
_PLAIN_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
        Qt.ItemDataRole.StatusTipRole,
        Qt.ItemDataRole.WhatsThisRole,
    )
)
_ID, _KIND = int(Role.ID), int(Role.KIND)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
STATUS_TEXT = {"not_started": "Not started", "rated": "Rated", "na": "Not applicable"}
COLUMNS = ("Subcategory", "Score")


@dataclass(eq=False)
class _Node:
    kind: str
    id: str
    title: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    row: int = 0


class NavigatorModel(QAbstractItemModel):
    """Read-only tree. Column 0: id and text with a status icon; column 1: score/completion."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node("root", "", "")
        self._by_id: dict[str, _Node] = {}
        self._answers: dict[str, Answer] = {}
        self._scores: dict[str, NodeScore] = {}
        self._scheme: RatingScheme | None = None
        self._subcategory_ids: list[str] = []
        self._search: dict[str, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- feeding ------------------------------------------------------------------------------
    def set_assessment(
        self,
        framework: Framework,
        scheme: RatingScheme,
        answers: dict[str, Answer],
        score: NodeScore,
    ) -> None:
        self.beginResetModel()
        self._scheme = scheme
        self._answers = dict(answers)
        self._scores = {n.id: n for n in score.walk()}
        self._root = _Node("root", "", "")
        self._by_id = {}
        for f in framework.functions:
            fn = self._add(self._root, "function", f.id, f.title)
            for c in f.categories:
                cn = self._add(fn, "category", c.id, c.title)
                for s in c.subcategories:
                    self._add(cn, "subcategory", s.id, s.text)
        self._subcategory_ids = [n.id for n in self._by_id.values() if n.kind == "subcategory"]
        self._search = {}
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._root = _Node("root", "", "")
        self._by_id, self._answers, self._scores = {}, {}, {}
        self._subcategory_ids, self._search = [], {}
        self.endResetModel()

    def _add(self, parent: _Node, kind: str, node_id: str, title: str) -> _Node:
        node = _Node(kind, node_id, title, parent, row=len(parent.children))
        parent.children.append(node)
        self._by_id[node_id] = node
        return node

    def set_answer(self, answer: Answer) -> None:
        node = self._by_id.get(answer.subcategory_id)
        if node is None:
            return
        self._answers[answer.subcategory_id] = answer
        self._search.pop(answer.subcategory_id, None)
        self._changed(node)

    def set_score(self, score: NodeScore) -> None:
        """New scores: only the nodes whose score changed are announced (a save touches a
        subcategory, its category and its function)."""
        old, self._scores = self._scores, {n.id: n for n in score.walk()}
        for node_id, node_score in self._scores.items():
            node = self._by_id.get(node_id)
            if node is not None and old.get(node_id) != node_score:
                self._changed(node)

    def _changed(self, node: _Node) -> None:
        left, right = self.createIndex(node.row, 0, node), self.createIndex(node.row, 1, node)
        self.dataChanged.emit(left, right)

    # -- lookups ------------------------------------------------------------------------------
    def index_of(self, node_id: str, column: int = 0) -> QModelIndex:
        node = self._by_id.get(node_id)
        return QModelIndex() if node is None else self.createIndex(node.row, column, node)

    def subcategory_ids(self) -> list[str]:
        return self._subcategory_ids

    def node_at(self, row: int, parent: Index) -> tuple[str, str]:
        """(kind, id) of a row, without building an index (the filter calls this a lot)."""
        node = self._node(parent).children[row]
        return node.kind, node.id

    def node_score(self, node_id: str) -> NodeScore | None:
        return self._scores.get(node_id)

    def search_text(self, subcategory_id: str) -> str:
        """Lower-case id, statement and the user's notes: what the search box looks in."""
        text = self._search.get(subcategory_id)
        if text is None:
            node = self._by_id[subcategory_id]
            notes = self.answer(subcategory_id).notes
            text = self._search[subcategory_id] = f"{node.id}\n{node.title}\n{notes}".casefold()
        return text

    def overall(self) -> NodeScore | None:
        return self._scores.get("OVERALL")

    def answer(self, subcategory_id: str) -> Answer:
        found = self._answers.get(subcategory_id)
        if found is None:  # unanswered: remember the blank answer (validation is not free)
            found = self._answers[subcategory_id] = Answer(subcategory_id=subcategory_id)
        return found

    # -- QAbstractItemModel -------------------------------------------------------------------
    def _node(self, index: Index) -> _Node:
        if not index.isValid():
            return self._root
        return index.internalPointer()  # type: ignore[no-any-return]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._node(index).parent
        if node is None or node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, 0, node)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        role = int(role)
        if role == _ID:
            return node.id
        if role == _KIND:
            return node.kind
        col = index.column()
        if role == _DISPLAY:
            return self._display(node, col)
        if role in _PLAIN_ROLES:
            if role == _FONT and node.kind == "function":
                return self._bold
            if role == _ALIGN and col == 1:
                return _RIGHT
            return None
        score = self._scores.get(node.id)
        answer = self.answer(node.id) if node.kind == "subcategory" else None
        if role == _DECORATION:
            if col != 0:
                return None
            if answer is not None:
                level = score.level if score else None
                return status_icon(status_of(answer), level, answer.flagged)
            return status_icon("group", None, False, score.completion if score else 0.0)
        if role in (_TOOLTIP, _ACC_DESCRIPTION):
            return f"{node.id}: {node.title}\n{self._state_text(score, answer)}"
        if role == _ACC_TEXT:
            return f"{node.id}: {self._state_text(score, answer)}"
        if role == Role.NODE_SCORE:
            return score
        if answer is None:
            return None
        if role == Role.STATUS:
            return status_of(answer)
        if role == Role.FLAGGED:
            return answer.flagged
        if role == Role.CARRIED_OVER:
            return answer.carried_over
        if role == Role.BELOW_TARGET:
            return bool(score and score.below_target)
        if role == Role.SEARCH_TEXT:
            return self.search_text(node.id)
        return None

    # -- presentation -------------------------------------------------------------------------
    def _display(self, node: _Node, col: int) -> str:
        if col == 0:
            return node.id if node.kind == "function" else f"{node.id}  {node.title}"
        score = self._scores.get(node.id)
        if score is None:
            return ""
        if node.kind == "subcategory":
            answer = self.answer(node.id)
            if answer.not_applicable:
                return "N/A"
            return format_score(score.score) if score.score is not None else ""
        return f"{format_score(score.score)}  {round(score.completion * 100)}%"

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
            return ", ".join(parts)
        if score is None:
            return ""
        text = (
            f"{score.answered} of {score.total} answered "
            f"({score.rated} rated, {score.not_applicable} not applicable)"
        )
        if score.score is None:
            return text + "; no score yet"
        text += f"; score {format_score(score.score)} {score.level_name}"
        if score.provisional:
            text += " (provisional)"
        if score.gap:
            text += f"; gap to target {format_score(score.gap)}"
        return text


def status_of(answer: Answer) -> str:
    """ "not_started", "rated" or "na"."""
    if answer.not_applicable:
        return "na"
    return "rated" if answer.is_rated else "not_started"
