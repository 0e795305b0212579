"""Score an assessment: the scheme's score per subcategory, rolled up with completion and gaps."""

from __future__ import annotations

from app.domain.scoring import NodeScore, score_assessment
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext


class ScoringService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.assessments = AssessmentService(ctx)

    def score(self, assessment_id: int) -> NodeScore:
        assessment = self.assessments.get(assessment_id)
        return score_assessment(
            self.assessments.outline_for(assessment),
            self.assessments.scheme_for(assessment),
            self.assessments.answers(assessment_id),
            assessment.default_target,
        )
