"""Scores up the tree: subcategory -> category -> function -> overall, with completion and gaps.

Rules (the method printed in reports and the README):
- A subcategory's score comes from its rating scheme (1..5); N/A and unanswered have none.
- A category's score is the mean of its rated subcategories; a function's, the mean of its
  categories that have a score; overall, the mean of the functions that have a score.
- An answer carried over from the previous cycle (``Answer.carried_over``) is "not yet
  reviewed" until someone confirms or changes it in this cycle. Its rating still counts in the
  score (the best estimate there is), but not in completion, and it keeps the score provisional.
- Completion = (rated + N/A - not yet reviewed) / total subcategories beneath the node: the share
  answered or reviewed in this cycle.
- A score is provisional while any subcategory beneath it is unanswered or not yet reviewed.
- Target: the subcategory's override or the assessment's default. A node's target is the mean
  target of the rated subcategories beneath it (N/A and unanswered ones have no score to compare).
- Gap, at every node: max(0, target - score), from the node's own score and target (so a function
  at score 3.0 and target 3.0 has gap 0, whatever its subcategories' gaps).
- Below target: the count of rated subcategories beneath the node whose score is under their
  target, the shortfall a mean can hide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from app.domain.answer_rules import answer_score
from app.domain.assessment import Answer
from app.domain.framework import Framework
from app.domain.numbers import mean
from app.domain.rating import RatingScheme, level_of


@dataclass(frozen=True, slots=True)
class NodeScore:
    """Score of one node of the tree (overall, function, category or subcategory).

    A plain dataclass rather than a Pydantic model: thousands are built for every list, and
    they are computed here, never parsed from outside.
    """

    id: str
    kind: str  # "overall" | "function" | "category" | "subcategory"
    title: str
    score: float | None
    level: int | None
    level_name: str
    completion: float
    total: int
    rated: int
    not_applicable: int
    provisional: bool
    target: float | None
    gap: float | None
    # Rated subcategories beneath this node (itself, for a subcategory) whose score is under their
    # target: an int, so ``if node.below_target`` still reads "something here is below target".
    below_target: int = 0
    # Answered (rated or N/A) but carried over and not yet reviewed in this cycle; these are
    # counted in ``rated``/``not_applicable`` but not in ``completion``.
    unreviewed: int = 0
    children: tuple[NodeScore, ...] = ()

    @property
    def answered(self) -> int:
        return self.rated + self.not_applicable

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def reviewed(self) -> int:
        """Answered in this cycle, or carried over and confirmed: what completion counts."""
        return self.answered - self.unreviewed

    @property
    def review_note(self) -> str:
        """ "3 not yet reviewed" (answers carried over, not confirmed yet), or "" if none."""
        return f"{self.unreviewed} not yet reviewed" if self.unreviewed else ""

    @property
    def provisional_reason(self) -> str:
        """Why the score is provisional: "2 unanswered, 3 not yet reviewed" ("" if it is not)."""
        parts = [f"{self.unanswered} unanswered"] if self.unanswered else []
        return ", ".join([*parts, self.review_note] if self.unreviewed else parts)

    def walk(self) -> Iterable[NodeScore]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, node_id: str) -> NodeScore | None:
        for node in self.walk():
            if node.id == node_id:
                return node
        return None

    def subcategories(self) -> list[NodeScore]:
        return [n for n in self.walk() if n.kind == "subcategory"]


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


def _gap(score: float | None, target: float | None) -> float | None:
    """max(0, target - score); None when either is missing."""
    if score is None or target is None:
        return None
    gap = target - score
    # Means carry binary noise (a target of 3.0000000000000004 over a score of 3.0): no gap.
    return gap if gap > 1e-9 else 0.0


def aggregate(
    node_id: str, kind: str, title: str, scheme: RatingScheme, children: list[NodeScore]
) -> NodeScore:
    """Roll children up into one node.

    Score: the mean of the scored children. Target: the mean target of the rated subcategories
    beneath (each child's mean target weighted by its rated count). Gap: max(0, target - score)
    of this node. Counts (total, rated, N/A, below target) are summed.
    """
    scored = [c for c in children if c.score is not None]
    score = _mean(c.score for c in scored)
    # A child's target is already the mean over its rated subcategories, so weighting it by their
    # count gives the mean over all rated subcategories beneath this node.
    weighted = [(c.target, c.rated) for c in scored if c.target is not None and c.rated]
    weight = sum(n for _t, n in weighted)
    target = sum(t * n for t, n in weighted) / weight if weight else None
    total = sum(c.total for c in children)
    rated = sum(c.rated for c in children)
    na = sum(c.not_applicable for c in children)
    unreviewed = sum(c.unreviewed for c in children)
    return NodeScore(
        id=node_id,
        kind=kind,
        title=title,
        score=score,
        level=level_of(score),
        level_name=scheme.level_name(score),
        completion=(rated + na - unreviewed) / total if total else 0.0,
        total=total,
        rated=rated,
        not_applicable=na,
        provisional=rated + na - unreviewed < total,
        target=target,
        gap=_gap(score, target),
        below_target=sum(c.below_target for c in children),
        unreviewed=unreviewed,
        children=tuple(children),
    )


def score_subcategory(
    subcategory_id: str,
    text: str,
    scheme: RatingScheme,
    answer: Answer | None,
    default_target: int,
) -> NodeScore:
    value = answer_score(scheme, answer)
    score = None if value is None else float(value)
    na = answer is not None and answer.not_applicable
    target = None if na else float(answer.target if answer and answer.target else default_target)
    answered = na or score is not None
    # Carried over and not yet confirmed: scored, but not complete (see the module docstring).
    unreviewed = answered and answer is not None and answer.unreviewed
    return NodeScore(
        id=subcategory_id,
        kind="subcategory",
        title=text,
        score=score,
        level=level_of(score),
        level_name=scheme.level_name(score),
        completion=1.0 if answered and not unreviewed else 0.0,
        total=1,
        rated=1 if score is not None else 0,
        not_applicable=1 if na else 0,
        provisional=not answered or unreviewed,
        target=target,
        gap=_gap(score, target),
        below_target=1 if score is not None and target is not None and score < target else 0,
        unreviewed=1 if unreviewed else 0,
    )


def score_assessment(
    framework: Framework,
    scheme: RatingScheme,
    answers: Mapping[str, Answer],
    default_target: int,
) -> NodeScore:
    """Score a whole assessment. ``answers``: subcategory id -> answer (missing = unanswered)."""
    functions = []
    for function in framework.functions:
        categories = []
        for category in function.categories:
            subs = [
                score_subcategory(s.id, s.text, scheme, answers.get(s.id), default_target)
                for s in category.subcategories
            ]
            categories.append(aggregate(category.id, "category", category.title, scheme, subs))
        functions.append(aggregate(function.id, "function", function.title, scheme, categories))
    return aggregate("OVERALL", "overall", "Overall", scheme, functions)


# 3: gap and target rule of issue 11 (node target = mean over rated subcategories), below_target.
# 4: with the count of answers not yet reviewed.
SUMMARY_VERSION = 4
# Compact rows (lists, not objects) keep the cache small and quick to parse for long lists.
_FIELDS = tuple(f.name for f in fields(NodeScore) if f.name != "children")


def summary_of(tree: NodeScore) -> dict[str, object]:
    """The cached form of a score: overall and functions (categories and below dropped)."""
    row = lambda n: [getattr(n, k) for k in _FIELDS]  # noqa: E731
    return {
        "version": SUMMARY_VERSION,
        "overall": row(tree),
        "functions": [row(f) for f in tree.children],
    }


def summary_tree(summary: object) -> NodeScore | None:
    """Rebuild the overall node (with function children) from a cached summary, if usable."""
    if not isinstance(summary, dict) or summary.get("version") != SUMMARY_VERSION:
        return None
    try:
        functions = tuple(NodeScore(*f) for f in summary["functions"])
        return NodeScore(*summary["overall"], children=functions)
    except (KeyError, TypeError, ValueError):
        return None
