"""What the page needs to show one assessment, read through the services (off the UI thread)."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.assessment import Answer, Assessment, Status
from app.domain.framework import Framework, Profile
from app.domain.rating import RatingScheme
from app.domain.scoring import NodeScore, score_assessment
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.scoring import ScoringService

GENAI_PROFILE = "nist-ai-600-1"


@dataclass(frozen=True)
class LoadedAssessment:
    """One assessment with its framework, rating scheme, stored answers and score tree."""

    assessment: Assessment
    framework: Framework
    scheme: RatingScheme
    answers: dict[str, Answer]
    score: NodeScore

    @property
    def read_only(self) -> bool:
        return self.assessment.status is Status.FINALIZED

    def genai(self) -> tuple[Profile, set[str] | None] | None:
        """The GenAI profile overlay and its selected risks (None = all), or None if off."""
        selection = self.assessment.profile_selection(GENAI_PROFILE)
        if selection is None:
            return None
        try:
            profile = self.framework.profile(GENAI_PROFILE)
        except KeyError:
            return None
        return profile, (set(selection.risks) or None)

    def start_subcategory(self) -> str:
        last = self.assessment.last_subcategory
        if last and self.framework.has_subcategory(last):
            return last
        return self.framework.subcategory_ids()[0]


def load_assessment(ctx: ServiceContext, assessment_id: int) -> LoadedAssessment:
    """Read everything in one go; runs on a worker thread."""
    service = AssessmentService(ctx)
    assessment = service.get(assessment_id)
    return LoadedAssessment(
        assessment=assessment,
        framework=service.framework_for(assessment),
        scheme=service.scheme_for(assessment),
        answers=service.answers(assessment_id),
        score=ScoringService(ctx).score(assessment_id),
    )


class WriterScores:
    """The open assessment's answers as the writer thread last stored them, to rescore after a
    save without reading the whole assessment again (saves run in order on that one thread)."""

    def __init__(self) -> None:
        self._loaded: LoadedAssessment | None = None
        self._answers: dict[str, Answer] = {}

    def reset(self, loaded: LoadedAssessment) -> None:
        self._loaded = loaded
        self._answers = dict(loaded.answers)

    def after(self, answer: Answer) -> NodeScore:
        """Note a stored answer and return the assessment's new score."""
        assert self._loaded is not None, "an assessment is loaded before any save"
        self._answers[answer.subcategory_id] = answer
        data = self._loaded
        return score_assessment(
            data.framework, data.scheme, self._answers, data.assessment.default_target
        )
