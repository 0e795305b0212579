"""The cached score summary of an assessment computed from its stored answer values alone.

Listing a database whose cached summaries are empty (after an upgrade or a large import)
rescored every assessment through ``scoring.score_assessment``: an Answer model per stored
answer and a NodeScore per node, 72 subcategories and 19 categories per assessment, to keep
only the overall and function rows (``scoring.summary_of``). ``Summarizer`` computes the same
summary from the few stored values scoring reads, with the categories as bare numbers; its
results are equal to ``summary_of(score_assessment(...))`` (tests/domain/test_summaries.py),
because each step is the full scorer's own arithmetic in the same order, and the function and
overall nodes are built by ``scoring.aggregate`` itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from app.domain.answer_rules import answer_score
from app.domain.framework import Framework
from app.domain.numbers import mean
from app.domain.rating import RatingScheme
from app.domain.scoring import NodeScore, aggregate, summary_of


class ScoreRow(NamedTuple):
    """The stored values of one answer that its score depends on. ``metrics``: the stored JSON
    text (None or "{}": none); ``not_applicable`` and ``carried_over``: truthy (SQLite stores
    0/1)."""

    metrics: str | None
    level: int | None
    not_applicable: Any
    target: int | None
    carried_over: Any


class _Rated(NamedTuple):
    """What ``answer_score`` reads of an answer (``Answer.is_rated`` included)."""

    metrics: dict[str, str]
    level: int | None
    is_rated: bool


class _Category:
    """The numbers ``aggregate`` reads of a child node; a category needs no more here."""

    __slots__ = ("score", "target", "rated", "total", "not_applicable", "unreviewed")
    __slots__ += ("below_target",)

    def __init__(self, *values: Any) -> None:
        (
            self.score,
            self.target,
            self.rated,
            self.total,
            self.not_applicable,
            self.unreviewed,
            self.below_target,
        ) = values


class Summarizer:
    """Summaries of assessments of one framework and rating scheme. Keeps the score of each
    distinct (metrics, level) pair it met: a database holds a few dozen across thousands of
    answers. Not thread-safe; make one per batch."""

    def __init__(self, framework: Framework, scheme: RatingScheme) -> None:
        self.framework = framework
        self.scheme = scheme
        self._scores: dict[tuple[str | None, int | None], int | None] = {}

    def _score(self, metrics: str | None, level: int | None) -> int | None:
        """``answer_score`` of a rated-or-not answer that is not N/A with these values."""
        key = (metrics, level)
        try:
            return self._scores[key]
        except KeyError:
            decoded = (json.loads(metrics) if metrics else None) or {}
            rated = _Rated(decoded, level, bool(decoded) or level is not None)
            value = self._scores[key] = answer_score(self.scheme, rated)  # type: ignore[arg-type]
            return value

    def summary(
        self, rows: Mapping[str, ScoreRow | tuple[Any, ...]], default_target: int
    ) -> dict[str, object]:
        """``summary_of(score_assessment(framework, scheme, answers, default_target))`` for
        the answers whose stored values are ``rows`` (subcategory id -> values, a ScoreRow or
        a plain tuple in its order: a database read need not build one per answer)."""
        scheme = self.scheme
        functions: list[NodeScore] = []
        for function in self.framework.functions:
            categories = []
            for category in function.categories:
                scores: list[float] = []
                targets: list[float] = []
                total = na = unreviewed = below = 0
                for sub in category.subcategories:
                    total += 1
                    row = rows.get(sub.id)
                    if row is None:  # unanswered: no score, not complete
                        continue
                    metrics, level, not_applicable, own_target, carried_over = row
                    if not_applicable:
                        na += 1
                        if carried_over:
                            unreviewed += 1
                        continue
                    value = self._score(metrics, level)
                    if value is None:
                        continue
                    score = float(value)
                    target = float(own_target if own_target else default_target)
                    scores.append(score)
                    targets.append(target)
                    if carried_over:
                        unreviewed += 1
                    if score < target:
                        below += 1
                # As aggregate() over the subcategories, whose scored ones each have a target
                # and a rated count of 1: its weighted mean sum(t * 1) / n adds the same floats
                # in the same order as sum(targets) / n.
                categories.append(
                    _Category(
                        mean(scores) if scores else None,
                        sum(targets) / len(targets) if targets else None,
                        len(scores),
                        total,
                        na,
                        unreviewed,
                        below,
                    )
                )
            functions.append(
                aggregate(function.id, "function", function.title, scheme, categories)  # type: ignore[arg-type]
            )
        return summary_of(aggregate("OVERALL", "overall", "Overall", scheme, functions))
