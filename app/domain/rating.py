"""Rating schemes as data: how one subcategory is rated and how a rating becomes a score.

Two kinds exist. A ``metrics`` scheme (the default, Dotan et al. 2024) rates several metrics on a
small ordinal scale and maps the sum of their points to a level through a table. A ``direct``
scheme picks one level. Both produce an integer score 1..5 per subcategory.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.domain.numbers import format_score as _format_score
from app.domain.numbers import round_shown


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Level(_Frozen):
    value: int = Field(ge=1, le=5)
    name: str = Field(min_length=1)
    definition: str = ""


class MetricOption(_Frozen):
    code: str = Field(min_length=1, max_length=3)
    name: str = Field(min_length=1)
    points: int = Field(ge=0)


class Metric(_Frozen):
    id: str = Field(min_length=1, pattern=r"^[a-z_]+$")
    name: str = Field(min_length=1)
    explanation: str = ""
    options: tuple[MetricOption, ...] = Field(min_length=2)

    def option(self, code: str) -> MetricOption | None:
        wanted = code.strip().upper()
        for o in self.options:
            if o.code.upper() == wanted or o.name.upper() == wanted:
                return o
        return None


class ScoreBand(_Frozen):
    min_points: int
    max_points: int
    score: int = Field(ge=1, le=5)


class RatingScheme(_Frozen):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9\-]*$")
    name: str = Field(min_length=1)
    kind: Literal["metrics", "direct"]
    description: str = ""
    citation: str = ""
    levels: tuple[Level, ...] = Field(min_length=5, max_length=5)
    metrics: tuple[Metric, ...] = ()
    score_table: tuple[ScoreBand, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> RatingScheme:
        if [lv.value for lv in self.levels] != [1, 2, 3, 4, 5]:
            raise ValueError("levels: must list the values 1, 2, 3, 4, 5 in order")
        if self.kind == "metrics":
            if not self.metrics:
                raise ValueError("metrics: a metrics scheme needs at least one metric")
            lo = sum(min(o.points for o in m.options) for m in self.metrics)
            hi = sum(max(o.points for o in m.options) for m in self.metrics)
            for total in range(lo, hi + 1):
                if sum(1 for b in self.score_table if b.min_points <= total <= b.max_points) != 1:
                    raise ValueError(f"score_table: {total} points must fall in exactly one band")
        return self

    def level(self, value: int) -> Level:
        return self.levels[value - 1]

    def level_name(self, score: float | None) -> str:
        """Name of the level of ``score`` (see ``level_of``; "" when there is no score)."""
        value = level_of(score)
        return "" if value is None else self.level(value).name

    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(metric_id)

    def points_to_score(self, points: int) -> int:
        for band in self.score_table:
            if band.min_points <= points <= band.max_points:
                return band.score
        raise ValueError(f"{points} points are outside the score table of {self.id}")


def level_of(score: float | None) -> int | None:
    """The level a score falls in: the whole part of the score as shown (one decimal, see
    ``numbers.round_shown``), within 1..5. A mean of 2.96 shows as "3.0" and is Established, so
    the number and the level name beside it never disagree."""
    if score is None:
        return None
    if score.is_integer():  # a subcategory's score: shown as itself (most calls, when listing)
        return max(1, min(5, int(score)))
    return max(1, min(5, math.floor(round_shown(score, 1))))


def format_score(score: float | None) -> str:
    """A score at one decimal: ``numbers.format_score`` (kept here for existing callers)."""
    return _format_score(score)
