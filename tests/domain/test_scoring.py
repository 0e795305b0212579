"""Scoring: the rubric table for all 27 combinations, aggregation, provisional marks and gaps."""

from __future__ import annotations

import itertools

import pytest

from app.domain.answer_rules import answer_score
from app.domain.assessment import Answer
from app.domain.rating import format_score, level_of
from app.domain.scoring import score_assessment

POINTS = {"L": 1, "M": 2, "H": 3}
EXPECTED = {3: 1, 4: 2, 5: 2, 6: 3, 7: 3, 8: 4, 9: 5}


@pytest.mark.parametrize("combo", list(itertools.product("LMH", repeat=3)))
def test_rubric_all_27_combinations(rubric, combo) -> None:  # type: ignore[no-untyped-def]
    metrics = dict(zip(("coverage", "robustness", "input_diversity"), combo, strict=True))
    score = answer_score(rubric, Answer(subcategory_id="GOVERN 1.1", metrics=metrics))
    assert score == EXPECTED[sum(POINTS[c] for c in combo)]


def test_level_names_follow_the_shown_score(rubric) -> None:  # type: ignore[no-untyped-def]
    assert [lv.name for lv in rubric.levels] == [
        "Minimal",
        "Developing",
        "Established",
        "Advanced",
        "Leading",
    ]
    assert rubric.level_name(2.94) == "Developing"
    assert rubric.level_name(2.95) == "Established"  # shows as 3.0: never "3.0 Developing"
    assert rubric.level_name(3.0) == "Established"
    assert level_of(None) is None
    assert format_score(2.96) == "3.0" and format_score(2.94) == "2.9"
    assert format_score(3.0) == "3.0" and format_score(2.0 + 0.1 + 0.2) == "2.3"
    assert format_score(4 / 3) == "1.3" and format_score(5.0) == "5.0"
    assert format_score(None) == "–"


def _rated(sub: str, *codes: str, target: int | None = None) -> Answer:
    return Answer(
        subcategory_id=sub,
        metrics=dict(zip(("coverage", "robustness", "input_diversity"), codes, strict=True)),
        target=target,
    )


def test_aggregation_with_na_and_unanswered(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    answers = {
        "GOVERN 1.1": _rated("GOVERN 1.1", "H", "H", "H"),  # 5
        "GOVERN 1.2": _rated("GOVERN 1.2", "L", "L", "L"),  # 1
        "GOVERN 1.3": Answer(subcategory_id="GOVERN 1.3", not_applicable=True, na_rationale="x"),
        "GOVERN 2.1": _rated("GOVERN 2.1", "M", "M", "M"),  # 3
        "MAP 1.1": _rated("MAP 1.1", "H", "H", "M"),  # 8 -> 4
    }
    tree = score_assessment(framework, rubric, answers, default_target=3)
    gv1 = tree.find("GOVERN 1")
    assert gv1 is not None and gv1.score == pytest.approx(3.0)  # mean(5, 1); N/A left out
    assert gv1.rated == 2 and gv1.not_applicable == 1 and gv1.total == 7
    assert gv1.completion == pytest.approx(3 / 7)
    assert gv1.provisional
    govern = tree.find("GOVERN")
    assert govern is not None
    assert govern.score == pytest.approx((3.0 + 3.0) / 2)  # categories with a score only
    assert tree.find("GOVERN 3") is not None and tree.find("GOVERN 3").score is None
    assert tree.find("MEASURE").score is None
    assert tree.score == pytest.approx((3.0 + 4.0) / 2)  # functions with a score only
    assert tree.completion == pytest.approx(5 / 72)
    assert tree.provisional
    assert tree.level_name == "Established"


def test_gap_is_target_minus_score_at_every_node(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    answers = {
        "GOVERN 1.1": _rated("GOVERN 1.1", "L", "L", "L"),  # 1, target 3 -> gap 2
        "GOVERN 1.2": _rated("GOVERN 1.2", "H", "H", "H"),  # 5, target 3 -> gap 0 (not -2)
        "GOVERN 1.3": _rated("GOVERN 1.3", "M", "M", "M", target=5),  # 3 -> gap 2
    }
    tree = score_assessment(framework, rubric, answers, default_target=3)
    assert tree.find("GOVERN 1.1").gap == 2
    assert tree.find("GOVERN 1.2").gap == 0
    assert tree.find("GOVERN 1.3").gap == 2 and tree.find("GOVERN 1.3").target == 5
    gv1 = tree.find("GOVERN 1")
    # Target: mean target of the rated subcategories; gap: that target minus the node's score
    # (not the mean of the subcategory gaps, 4/3); below target: 2 of the 3.
    assert gv1.score == pytest.approx(3.0)
    assert gv1.target == pytest.approx(11 / 3)
    assert gv1.gap == pytest.approx(11 / 3 - 3.0)
    assert gv1.below_target == 2
    assert tree.find("GOVERN").below_target == 2 and tree.below_target == 2
    assert tree.find("GOVERN 1.2").below_target == 0 and tree.find("GOVERN 1.1").below_target == 1
    unanswered = tree.find("GOVERN 1.4")
    assert unanswered.gap is None and unanswered.target == 3 and unanswered.provisional


def test_complete_assessment_is_not_provisional(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    answers = {}
    for i, sub in enumerate(framework.subcategory_ids()):
        if i % 10 == 0:
            answers[sub] = Answer(subcategory_id=sub, not_applicable=True, na_rationale="n/a")
        else:
            answers[sub] = _rated(sub, "M", "H", "M")  # 7 -> 3
    tree = score_assessment(framework, rubric, answers, default_target=4)
    assert not any(n.provisional for n in tree.walk())
    assert tree.completion == 1.0
    assert tree.score == pytest.approx(3.0) and tree.gap == pytest.approx(1.0)


def test_fully_na_function_has_no_score_and_no_division_by_zero(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    govern = framework.functions[0]
    answers = {
        s.id: Answer(subcategory_id=s.id, not_applicable=True, na_rationale="outsourced")
        for c in govern.categories
        for s in c.subcategories
    }
    tree = score_assessment(framework, rubric, answers, default_target=3)
    node = tree.find("GOVERN")
    assert node.score is None and node.gap is None and node.completion == 1.0
    assert not node.provisional
    assert tree.score is None


def test_partial_metrics_do_not_score(rubric) -> None:  # type: ignore[no-untyped-def]
    partial = Answer(subcategory_id="GOVERN 1.1", metrics={"coverage": "H"})
    assert answer_score(rubric, partial) is None


def test_direct_scheme(framework, direct) -> None:  # type: ignore[no-untyped-def]
    answers = {"MAP 1.1": Answer(subcategory_id="MAP 1.1", level=4)}
    tree = score_assessment(framework, direct, answers, default_target=2)
    assert tree.find("MAP 1.1").score == 4.0 and tree.find("MAP 1.1").gap == 0
    assert [lv.value for lv in direct.levels] == [1, 2, 3, 4, 5]
    assert all(lv.definition for lv in direct.levels)


def test_a_node_at_its_target_has_no_gap_whatever_its_subcategories(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: a function at score 3.0 and target 3.0 showed gap 0.5 (mean of the subcategory
    gaps). The gap is the node's own shortfall; the count says how many are below target."""
    answers = {
        "GOVERN 1.1": _rated("GOVERN 1.1", "H", "H", "H"),  # 5
        "GOVERN 1.2": _rated("GOVERN 1.2", "L", "L", "L"),  # 1 -> below target 3
    }
    tree = score_assessment(framework, rubric, answers, default_target=3)
    govern = tree.find("GOVERN")
    assert govern.score == pytest.approx(3.0) and govern.target == pytest.approx(3.0)
    assert govern.gap == 0.0
    assert govern.below_target == 1
    assert tree.gap == 0.0 and tree.below_target == 1


def test_node_target_is_the_mean_over_rated_subcategories_not_of_category_means(
    framework, rubric
) -> None:  # type: ignore[no-untyped-def]
    """A category with three rated subcategories weighs three times one with one: the target of
    a function is the mean target of all its rated subcategories. N/A and unanswered ones (which
    have no score to compare) are left out."""
    answers = {
        "GOVERN 1.1": _rated("GOVERN 1.1", "M", "M", "M", target=5),
        "GOVERN 1.2": _rated("GOVERN 1.2", "M", "M", "M", target=5),
        "GOVERN 1.3": _rated("GOVERN 1.3", "M", "M", "M", target=5),
        "GOVERN 1.4": Answer(subcategory_id="GOVERN 1.4", not_applicable=True, na_rationale="x"),
        "GOVERN 2.1": _rated("GOVERN 2.1", "M", "M", "M", target=1),
    }
    tree = score_assessment(framework, rubric, answers, default_target=2)
    govern = tree.find("GOVERN")
    assert govern.target == pytest.approx((5 + 5 + 5 + 1) / 4)  # not (5 + 1) / 2
    assert govern.gap == pytest.approx(4.0 - 3.0)
    assert govern.below_target == 3
    assert tree.target == pytest.approx(4.0)  # only GOVERN has rated subcategories


def test_govern_2_rated_1_3_3_against_target_3(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    """The case of issue 11: mean 2.33 against 3 shows 2.3, 3.0 and gap 0.7 (3.0 - 2.3)."""
    answers = {
        "GOVERN 2.1": _rated("GOVERN 2.1", "L", "L", "L"),
        "GOVERN 2.2": _rated("GOVERN 2.2", "M", "M", "M"),
        "GOVERN 2.3": _rated("GOVERN 2.3", "M", "M", "M"),
    }
    node = score_assessment(framework, rubric, answers, default_target=3).find("GOVERN 2")
    assert (format_score(node.score), format_score(node.target), format_score(node.gap)) == (
        "2.3",
        "3.0",
        "0.7",
    )
    assert node.below_target == 1


def test_cached_summary_keeps_the_new_fields(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    from app.domain.scoring import summary_of, summary_tree

    answers = {"GOVERN 1.1": _rated("GOVERN 1.1", "L", "L", "L")}
    tree = score_assessment(framework, rubric, answers, default_target=3)
    rebuilt = summary_tree(summary_of(tree))
    assert rebuilt is not None and rebuilt.below_target == 1 and rebuilt.gap == tree.gap
    assert summary_tree({**summary_of(tree), "version": 2}) is None  # old rule: recomputed


def test_level_of_a_whole_score_is_the_level_of_its_shown_value() -> None:
    """The shortcut for whole scores gives what rounding the shown value gives."""
    import math

    from app.domain.numbers import round_shown

    for score in (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, -0.0):
        assert level_of(score) == max(1, min(5, math.floor(round_shown(score, 1))))
    assert level_of(2.95) == 3 and level_of(4.999) == 5 and level_of(1.04) == 1
