"""Stale evidence and unsupported ratings of an assessment, judged on the user's local day.

The rule is ``app.domain.freshness``; this reads the assessment and the clock, so that the
window, ``airmf verify`` and ``airmf score --json`` report the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.assessment import Answer, Assessment
from app.domain.days import local_day
from app.domain.freshness import AnswerFreshness, FreshnessSummary, answer_freshness, summarize
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext


class FreshnessService:
    """Freshness of evidence and support of ratings. Raises NotFound for an unknown
    assessment (or its framework or scheme)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)

    def summary(self, assessment_id: int) -> FreshnessSummary:
        """Counts and subcategory ids of expired, expiring and unsupported, today."""
        assessment, answers = self.assessments.open(assessment_id)
        return self.summary_of(assessment, answers)

    def summary_of(self, assessment: Assessment, answers: Mapping[str, Answer]) -> FreshnessSummary:
        """``summary`` for an assessment and answers already read."""
        framework = self.assessments.framework_for(assessment)
        scheme = self.assessments.scheme_for(assessment)
        return summarize(scheme, answers, framework.subcategory_ids(), local_day(self.ctx.clock()))

    def by_subcategory(
        self, assessment: Assessment, answers: Mapping[str, Answer]
    ) -> dict[str, AnswerFreshness]:
        """Each answered subcategory's evidence state today (absent: nothing to flag)."""
        scheme = self.assessments.scheme_for(assessment)
        today = local_day(self.ctx.clock())
        out = {}
        for sub, answer in answers.items():
            state = answer_freshness(scheme, answer, today)
            if state.stale or state.unsupported:
                out[sub] = state
        return out
