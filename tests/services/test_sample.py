"""The sample assessment: created through the services, partly filled, realistic and deletable."""

from __future__ import annotations

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.sample import GENAI_PROFILE, SAMPLE_RISKS, SAMPLE_SYSTEM, create_sample
from app.services.scoring import ScoringService


def test_sample_is_partly_filled_and_realistic(ctx) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    assert sample.ai_system == SAMPLE_SYSTEM
    assert sample.assessor == "tester"
    selection = sample.profile_selection(GENAI_PROFILE)
    assert selection is not None and selection.risks == list(SAMPLE_RISKS)

    tree = ScoringService(ctx).score(sample.id)
    assert 25 <= tree.rated <= 40
    assert tree.not_applicable == 2
    assert tree.provisional and tree.score is not None
    levels = {n.level for n in tree.subcategories() if n.level is not None}
    assert len(levels) >= 4  # varied ratings, not one level everywhere
    assert all(f.score is not None for f in tree.children)  # every function has something

    answers = AssessmentService(ctx).answers(sample.id).values()
    na = [a for a in answers if a.not_applicable]
    assert all(a.na_rationale.strip() for a in na)
    assert any(a.notes for a in answers)
    assert any(a.owner and a.due_date for a in answers)
    assert any(a.actions_in_place for a in answers)
    assert any(a.flagged for a in answers)
    links = [e for a in answers for e in a.evidence]
    assert links and all(e.url.startswith("https://") for e in links)
    # Made through the ordinary services: every change is in a verifiable history.
    assert AnswerService(ctx).history(sample.id)
    assert AnswerService(ctx).verify_history(sample.id) is None


def test_sample_can_be_deleted(ctx) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    service = AssessmentService(ctx)
    service.delete(sample.id)
    assert [s.assessment.id for s in service.list()] == []


def test_opening_the_sample_twice_makes_no_second_cycle(ctx) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: "Open sample" must not make fake cycles of the sample's AI system."""
    from app.domain.assessment import Origin
    from app.services.progress import ProgressService

    first = create_sample(ctx)
    again = create_sample(ctx)
    assert again.id == first.id and first.origin is Origin.SAMPLE and not first.is_cycle
    assert [s.assessment.id for s in AssessmentService(ctx).list()] == [first.id]
    # The sample is not a cycle of its AI system unless copies are asked for.
    points = ProgressService(ctx).trend(SAMPLE_SYSTEM, include_copies=True)
    assert [p.assessment.id for p in points] == [first.id]
    AssessmentService(ctx).delete(first.id)
    assert create_sample(ctx).id > first.id  # a new one once deleted, never the old id
