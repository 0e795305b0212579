"""Issue 11 §3: an answer carried over from the previous cycle is not complete until reviewed."""

from __future__ import annotations

import json

from app.domain.assessment import Answer
from app.domain.scoring import score_assessment, summary_of, summary_tree

H = {"coverage": "H", "robustness": "H", "input_diversity": "H"}  # 5
M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}  # 3


def _answers(carried: bool) -> dict[str, Answer]:
    return {
        "GOVERN 1.1": Answer(subcategory_id="GOVERN 1.1", metrics=H, carried_over=carried),
        "GOVERN 1.2": Answer(subcategory_id="GOVERN 1.2", metrics=M),
        "MAP 1.1": Answer(
            subcategory_id="MAP 1.1", not_applicable=True, na_rationale="x", carried_over=carried
        ),
        # Carried over but never answered: unanswered, not "not yet reviewed".
        "MAP 1.2": Answer(subcategory_id="MAP 1.2", notes="draft", carried_over=carried),
    }


def test_carried_answers_score_but_do_not_complete(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    fresh = score_assessment(framework, rubric, _answers(False), 3)
    carried = score_assessment(framework, rubric, _answers(True), 3)
    # The score is the same: the carried rating is the best estimate there is...
    assert carried.score == fresh.score and carried.find("GOVERN 1.1").score == 5.0
    assert carried.rated == fresh.rated == 2 and carried.not_applicable == 1
    # ...but only answers made or confirmed in this cycle are complete.
    assert fresh.unreviewed == 0 and fresh.completion == 3 / 72
    assert carried.unreviewed == 2 and carried.reviewed == 1 and carried.completion == 1 / 72
    assert carried.find("MAP 1").unreviewed == 1 and carried.find("MAP 1").completion == 0.0
    assert carried.find("MAP 1.2").unreviewed == 0 and carried.find("MAP 1.2").unanswered == 1
    sub = carried.find("GOVERN 1.1")
    assert sub.completion == 0.0 and sub.provisional and sub.unreviewed == 1


def test_all_carried_is_provisional_even_when_every_subcategory_is_answered(
    framework, rubric
) -> None:  # type: ignore[no-untyped-def]
    every = {
        s.id: Answer(subcategory_id=s.id, metrics=M, carried_over=True)
        for s in framework.subcategories()
    }
    tree = score_assessment(framework, rubric, every, 3)
    assert tree.unanswered == 0 and tree.completion == 0.0 and tree.provisional
    assert all(f.provisional and f.unreviewed == f.total for f in tree.children)
    confirmed = {k: a.model_copy(update={"carried_over": False}) for k, a in every.items()}
    done = score_assessment(framework, rubric, confirmed, 3)
    assert done.completion == 1.0 and not done.provisional and done.score == tree.score


def test_cached_summary_keeps_the_count(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    tree = score_assessment(framework, rubric, _answers(True), 3)
    back = summary_tree(json.loads(json.dumps(summary_of(tree))))
    assert back is not None
    assert back.unreviewed == 2 and back.completion == tree.completion
    assert [f.unreviewed for f in back.children] == [f.unreviewed for f in tree.children]
    # A summary cached before the count existed is not trusted (it is rescored).
    old = summary_of(tree) | {"version": 2}
    assert summary_tree(old) is None
