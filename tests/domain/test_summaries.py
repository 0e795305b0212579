"""The lean summary (domain.summaries) equals the full scorer's summary on any answers."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.assessment import Answer
from app.domain.scoring import score_assessment, summary_of
from app.domain.summaries import ScoreRow, Summarizer

CODES = st.sampled_from(["L", "M", "H", "X"])  # X: a code the scheme does not have
METRICS = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"coverage": CODES, "robustness": CODES, "input_diversity": CODES}),
    st.fixed_dictionaries({"coverage": CODES}),  # incomplete: not scored
)
ANSWER = st.builds(
    dict,
    metrics=METRICS,
    level=st.one_of(st.none(), st.integers(1, 5)),
    not_applicable=st.booleans(),
    target=st.one_of(st.none(), st.integers(1, 5)),
    carried_over=st.booleans(),
)


def _row(answer: Answer) -> ScoreRow:
    """The values as stored (JSONText: sorted keys, compact; SQLite booleans as 0/1)."""
    text = json.dumps(answer.metrics, sort_keys=True, separators=(",", ":"))
    return ScoreRow(
        text, answer.level, int(answer.not_applicable), answer.target, int(answer.carried_over)
    )


def _check(framework, scheme, picked, default_target: int) -> None:  # type: ignore[no-untyped-def]
    subs = [s.id for s in framework.subcategories()]
    answers = {
        subs[i % len(subs)]: Answer.model_construct(subcategory_id=subs[i % len(subs)], **values)
        for i, values in picked
    }
    full = summary_of(score_assessment(framework, scheme, answers, default_target))
    lean = Summarizer(framework, scheme).summary(
        {sub: _row(a) for sub, a in answers.items()}, default_target
    )
    assert lean == full
    assert json.dumps(lean) == json.dumps(full)  # the cached text too, float for float


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picked=st.lists(st.tuples(st.integers(0, 200), ANSWER), max_size=90),
    default_target=st.integers(1, 5),
)
def test_equal_to_the_full_scorer_rubric(framework, rubric, picked, default_target) -> None:  # type: ignore[no-untyped-def]
    _check(framework, rubric, picked, default_target)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picked=st.lists(st.tuples(st.integers(0, 200), ANSWER), max_size=90),
    default_target=st.integers(1, 5),
)
def test_equal_to_the_full_scorer_direct(framework, direct, picked, default_target) -> None:  # type: ignore[no-untyped-def]
    _check(framework, direct, picked, default_target)


def test_an_empty_and_a_full_assessment(framework, rubric) -> None:  # type: ignore[no-untyped-def]
    every = [
        (i, {"metrics": {"coverage": "H", "robustness": "M", "input_diversity": "L"}})
        for i in range(len(framework.subcategories()))
    ]
    _check(framework, rubric, [], 3)
    _check(framework, rubric, every, 3)
    summary = Summarizer(framework, rubric).summary({}, 3)
    assert summary["overall"][3] is None  # no score without answers
