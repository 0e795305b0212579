"""What the page needs to show one assessment, read through the services (off the UI thread)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.assessment import Answer, Assessment, Status
from app.domain.framework import Framework, Profile
from app.domain.rating import RatingScheme
from app.domain.scoring import NodeScore, aggregate, score_assessment, score_subcategory
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext

GENAI_PROFILE = "nist-ai-600-1"


@dataclass(frozen=True)
class LoadedAssessment:
    """One assessment with its framework, rating scheme, stored answers and score tree."""

    assessment: Assessment
    framework: Framework
    scheme: RatingScheme
    answers: dict[str, Answer]
    score: NodeScore
    # The version of each stored answer (absent: 0), read before the answers: the base of the
    # window's saves (AnswerService.record), never newer than the answer shown.
    versions: dict[str, int] = field(default_factory=dict)

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
    versions = AnswerService(ctx).versions(assessment_id)  # first: see AnswerService.versions
    assessment, answers = service.open(assessment_id)
    framework = service.framework_for(assessment)
    scheme = service.scheme_for(assessment)
    return LoadedAssessment(
        assessment=assessment,
        framework=framework,
        scheme=scheme,
        answers=answers,
        versions=versions,
        # Scored from the answers just read (what ScoringService does, without reading again).
        score=score_assessment(framework, scheme, answers, assessment.default_target),
    )


class SavedScores:
    """The open assessment's answers and score tree as last saved, to rescore after a save
    without reading the assessment again. Fed in the order saves land (their results are
    delivered in the order the writer thread committed them)."""

    def __init__(self) -> None:
        self._loaded: LoadedAssessment | None = None
        self._answers: dict[str, Answer] = {}
        self._tree: NodeScore | None = None

    def reset(self, loaded: LoadedAssessment) -> None:
        self._loaded = loaded
        self._answers = dict(loaded.answers)
        self._tree = loaded.score

    def after(self, answer: Answer) -> NodeScore:
        """Note a stored answer and return the assessment's new score.

        Only the path from the answer's subcategory up to the overall node is recomputed (with
        the domain's own rules): the same tree as ``score_assessment`` over all answers, at a
        fraction of the cost of rescoring every subcategory after each click.
        """
        assert self._loaded is not None, "an assessment is loaded before any save"
        self._answers[answer.subcategory_id] = answer
        data = self._loaded
        tree = self._tree
        rescored = None if tree is None else _rescore_path(data, tree, answer)
        if rescored is None:  # not in the tree as loaded: score everything
            rescored = score_assessment(
                data.framework, data.scheme, self._answers, data.assessment.default_target
            )
        self._tree = rescored
        return rescored


def _rescore_path(data: LoadedAssessment, tree: NodeScore, answer: Answer) -> NodeScore | None:
    """``tree`` with the subcategory of ``answer`` rescored, and its category, function and the
    overall score rolled up again; None if the tree does not hold that subcategory."""
    framework, scheme = data.framework, data.scheme
    sub_id = answer.subcategory_id
    if not framework.has_subcategory(sub_id):
        return None
    function, category = framework.parents(sub_id)
    f_at = _position(tree.children, function.id)
    if f_at is None:
        return None
    f_node = tree.children[f_at]
    c_at = _position(f_node.children, category.id)
    if c_at is None:
        return None
    c_node = f_node.children[c_at]
    s_at = _position(c_node.children, sub_id)
    if s_at is None:
        return None
    sub = framework.subcategory(sub_id)
    s_node = score_subcategory(sub.id, sub.text, scheme, answer, data.assessment.default_target)
    # aggregate is the domain's roll-up rule, used exactly as score_assessment uses it.
    c_node = aggregate(
        category.id, "category", category.title, scheme, _replaced(c_node.children, s_at, s_node)
    )
    f_node = aggregate(
        function.id, "function", function.title, scheme, _replaced(f_node.children, c_at, c_node)
    )
    return aggregate(tree.id, tree.kind, tree.title, scheme, _replaced(tree.children, f_at, f_node))


def _position(nodes: tuple[NodeScore, ...], node_id: str) -> int | None:
    for i, node in enumerate(nodes):
        if node.id == node_id:
            return i
    return None


def _replaced(nodes: tuple[NodeScore, ...], at: int, node: NodeScore) -> list[NodeScore]:
    return [*nodes[:at], node, *nodes[at + 1 :]]
