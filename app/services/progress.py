"""Progress over time: compare two assessments, and the trend of one AI system across cycles."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.assessment import Assessment
from app.domain.comparison import NodeDelta, compare_trees
from app.domain.scoring import NodeScore
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound
from app.services.lifecycle import LifecycleService
from app.services.scoring import ScoringService


@dataclass(frozen=True)
class Comparison:
    before: Assessment
    after: Assessment
    deltas: list[NodeDelta]

    def of_kind(self, kind: str) -> list[NodeDelta]:
        return [d for d in self.deltas if d.kind == kind]


@dataclass(frozen=True)
class TrendPoint:
    assessment: Assessment
    overall: NodeScore  # with functions as children (categories kept too)


class ProgressService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.assessments = AssessmentService(ctx)
        self.scoring = ScoringService(ctx)
        self.lifecycle = LifecycleService(ctx)

    def compare(self, before_id: int, after_id: int) -> Comparison:
        a, b = self.assessments.get(before_id), self.assessments.get(after_id)
        if a.framework_id != b.framework_id:
            raise InvalidInput(
                f"assessments {before_id} and {after_id} use different frameworks "
                f"({a.framework_id}, {b.framework_id}) and cannot be compared"
            )
        return Comparison(a, b, compare_trees(self.scoring.score(a.id), self.scoring.score(b.id)))

    def trend(self, ai_system: str, *, include_copies: bool = False) -> list[TrendPoint]:
        """The cycles of one AI system with their scores, oldest first; copies (duplicates,
        re-imports) and the sample only with ``include_copies``. Raises NotFound."""
        cycles = self.lifecycle.series(ai_system, include_copies=include_copies)
        if not cycles:
            copies = not include_copies and self.lifecycle.series(ai_system, include_copies=True)
            raise NotFound(
                f"there is no cycle of an AI system named {ai_system!r}"
                + (" (only copies or the sample: include them to see them)" if copies else "")
            )
        return [TrendPoint(a, self.scoring.score(a.id)) for a in cycles]

    def previous_cycle(self, assessment_id: int) -> Assessment | None:
        """The cycle before this one: its baseline, else the previous of the same AI system."""
        current = self.assessments.get(assessment_id)
        if current.previous_id is not None:
            try:
                return self.assessments.get(current.previous_id)
            except NotFound:
                pass
        earlier = [
            a
            for a in self.lifecycle.series(current.ai_system)
            if (a.created_at, a.id) < (current.created_at, current.id)
        ]
        return earlier[-1] if earlier else None
