"""One rounding rule for every number people read (app/domain/numbers.py)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import numbers
from app.domain.numbers import (
    format_delta,
    format_delta_size,
    format_percent,
    format_score,
    round_shown,
    spoken_delta,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "–"),
        (2.25, "2.2"),  # a half goes to the even neighbour
        (2.35, "2.4"),
        (1.25, "1.2"),
        (0.75, "0.8"),
        (2.675, "2.7"),  # binary 2.675 is 2.67499...: the decimal value people read decides
        (2.24, "2.2"),
        (2.26, "2.3"),
        (7 / 3, "2.3"),
        (3 - 7 / 3, "0.7"),  # GOVERN 2 rated 1, 3, 3 against target 3: the gap
        (2.96, "3.0"),
        (3 - 2.65, "0.4"),  # 0.35000000000000009 is a half: noise does not decide the rounding
        (3 - 2.85, "0.2"),  # 0.14999999999999991 likewise
        (0.1 * 3 + 2, "2.3"),
        (0.04, "0.0"),
        (-0.04, "0.0"),  # never "-0.0"
        (5.0, "5.0"),
    ],
)
def test_format_score_rounds_to_one_decimal_halves_to_even(value, text) -> None:  # type: ignore[no-untyped-def]
    assert format_score(value) == text


def test_shown_gap_is_shown_target_minus_shown_score_for_whole_targets() -> None:
    """With a whole-number target, as the default target always is, the printed gap equals the
    printed target minus the printed score for every mean of up to 12 ratings: an auditor's
    check of "gap = target - score" on the printed figures holds."""
    for count in range(1, 13):
        for total in range(count, 5 * count + 1):
            score = total / count
            for target in range(1, 6):
                gap = max(0.0, target - score)
                shown = round(target - float(format_score(score)), 1)
                assert format_score(gap) == format_score(max(0.0, shown)), (score, target)


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (None, "–"),
        (0.0, "0%"),
        (2 / 3, "67%"),
        (0.125, "12%"),  # a half to the even neighbour
        (0.135, "14%"),
        (0.145, "14%"),  # binary 0.145 * 100 is 14.499...: the decimal value decides
        (0.5, "50%"),
        (199 / 200, "99%"),  # not complete: never "100%"
        (1 / 1000, "1%"),  # started: never "0%"
        (1.0, "100%"),
    ],
)
def test_format_percent(fraction, text) -> None:  # type: ignore[no-untyped-def]
    assert format_percent(fraction) == text


def test_deltas_round_like_scores_and_never_read_zero() -> None:
    assert format_delta(0.25) == "+0.2" and format_delta(-0.35) == "−0.4"
    assert format_delta(0.04) == "+0.04" and format_delta(-0.0004) == "−<0.001"
    assert format_delta(0.0) == "0.0" and format_delta(None) == "–"
    assert format_delta_size(-0.35) == "0.4"
    assert spoken_delta(-0.35) == "minus 0.4" and spoken_delta(0.5) == "plus 0.5"
    assert spoken_delta(0.0) == "0.0"


def test_round_shown_refuses_what_no_score_can_be() -> None:
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError, match="not a finite number"):
            round_shown(bad)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.integers(1, 5), st.floats(0, 5, allow_nan=False)), min_size=1, max_size=80
    )
)
def test_mean_is_fmean_bit_for_bit(values: list[float]) -> None:
    """Scores are means; ``numbers.mean`` replaced ``statistics.fmean`` and must give the very
    same float, or a stored summary and a fresh score could differ in the last digit."""
    import statistics

    assert numbers.mean(values).hex() == float(statistics.fmean(values)).hex()
