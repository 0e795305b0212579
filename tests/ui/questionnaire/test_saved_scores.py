"""The questionnaire's rescoring after a save (only the changed path) equals a full rescoring."""

from __future__ import annotations

import random

import pytest

from app.domain.assessment import Answer
from app.domain.scoring import score_assessment
from app.services.assessments import AssessmentService
from app.ui.questionnaire.loading import SavedScores, load_assessment


@pytest.mark.parametrize("scheme_id", ["rubric", "direct"])
def test_rescoring_the_changed_path_equals_scoring_everything(ctx, scheme_id) -> None:  # type: ignore[no-untyped-def]
    aid = (
        AssessmentService(ctx)
        .create({"name": "Scores", "ai_system": "S", "scheme_id": scheme_id, "default_target": 4})
        .id
    )
    loaded = load_assessment(ctx, aid)
    scores = SavedScores()
    scores.reset(loaded)
    answers: dict[str, Answer] = {}
    subs = loaded.framework.subcategory_ids()
    metrics = [m.id for m in loaded.scheme.metrics]
    rng = random.Random(7)
    for _ in range(150):
        sub = rng.choice(subs)
        roll = rng.random()
        if roll < 0.15:
            answer = Answer(subcategory_id=sub, not_applicable=True, na_rationale="n/a")
        elif roll < 0.3:
            answer = Answer(subcategory_id=sub, target=rng.choice([None, 1, 3, 5]))
        elif roll < 0.4:
            answer = Answer(subcategory_id=sub)
        elif scheme_id == "rubric":
            answer = Answer(subcategory_id=sub, metrics={m: rng.choice("LMH") for m in metrics})
        else:
            answer = Answer(subcategory_id=sub, level=rng.randint(1, 5))
        answers[sub] = answer
        expected = score_assessment(loaded.framework, loaded.scheme, answers, 4)
        assert scores.after(answer) == expected
