"""Compare two scored assessments of the same framework: per-node deltas and their direction."""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict

from app.domain import numbers
from app.domain.scoring import NodeScore


class Change(enum.StrEnum):
    IMPROVED = "improved"
    REGRESSED = "regressed"
    SAME = "same"
    NEWLY_RATED = "newly rated"
    NO_LONGER_RATED = "no longer rated"
    NOT_RATED = "not rated"

    @property
    def is_change(self) -> bool:
        return self not in (Change.SAME, Change.NOT_RATED)


class NodeDelta(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    title: str
    before: float | None
    after: float | None
    state_before: str
    state_after: str
    delta: float | None
    change: Change


def _state(node: NodeScore) -> str:
    if node.kind != "subcategory":
        return "scored" if node.score is not None else "no score"
    if node.not_applicable:
        return "N/A"
    return "rated" if node.score is not None else "unanswered"


def classify(before: float | None, after: float | None, eps: float = 1e-9) -> Change:
    if before is None and after is None:
        return Change.NOT_RATED
    if before is None:
        return Change.NEWLY_RATED
    if after is None:
        return Change.NO_LONGER_RATED
    if after > before + eps:
        return Change.IMPROVED
    if after < before - eps:
        return Change.REGRESSED
    return Change.SAME


def compare_trees(before: NodeScore, after: NodeScore) -> list[NodeDelta]:
    """One delta per node of ``before`` (overall, functions, categories, subcategories)."""
    after_index = {n.id: n for n in after.walk()}
    out = []
    for node in before.walk():
        other = after_index.get(node.id)
        if other is None:
            continue
        delta = None if node.score is None or other.score is None else other.score - node.score
        out.append(
            NodeDelta(
                id=node.id,
                kind=node.kind,
                title=node.title,
                before=node.score,
                after=other.score,
                state_before=_state(node),
                state_after=_state(other),
                delta=delta,
                change=classify(node.score, other.score),
            )
        )
    return out


def format_delta(delta: float | None) -> str:
    """A change of score as printed everywhere: ``numbers.format_delta`` (kept for callers)."""
    return numbers.format_delta(delta)
