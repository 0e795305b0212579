"""How every number is written for people: one rounding rule for window, CLI, PDF and exports.

The rule (printed in the README's Scoring section and the report's Method page): scores, targets,
gaps and changes of score show one decimal, completion a whole percent, all rounded to the
nearest, a half to the even neighbour (2.24 shows as 2.2, 2.26 as 2.3, 2.25 as 2.2, 2.35 as 2.4;
2/3 complete as 67%). This is the round-half-even rule of ISO 80000-1 and IEEE 754. Rounding
(not cutting) keeps the shown figures consistent with one another: a category rated 1, 3, 3
(mean 2.33) against target 3 shows score 2.3, target 3.0 and gap 0.7, and 3.0 − 2.3 is 0.7.
Halves go to the even neighbour because that keeps the identity for halves too: a mean of 1.25
against target 2 shows 1.2 and gap 0.8 (half up would show 1.3 and 0.8). With a whole-number
target the shown gap therefore always equals the shown target minus the shown score. The level
named beside a score is the level of the shown score (see ``rating.level_of``), so "3.0" never
reads "Developing". Machine output (``--json``) carries unrounded values.

Every surface calls these functions; none formats a score, target, gap, completion or change of
score itself (``tests/test_same_numbers_everywhere.py`` holds the surfaces to this).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal

NO_VALUE = "–"  # en dash: shown where there is no number (nothing rated, no target)
MINUS = "−"  # a real minus sign for changes of score


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean of a non-empty sequence, computed as ``statistics.fmean`` does
    (``math.fsum`` of the values divided by their count: the same float, bit for bit), without
    importing ``statistics`` (its fractions and random modules cost every command-line process
    ~1.5 ms; issue 13). Raises ZeroDivisionError for an empty sequence."""
    return math.fsum(values) / len(values)


# Means of small integers carry binary noise (3 - 2.65 == 0.35000000000000009, 0.1 * 3 ==
# 0.30000000000000004); nine decimals drop it before rounding without touching a real figure.
_NOISE_DIGITS = 9


def round_shown(value: float, places: int = 1) -> float:
    """``value`` rounded to ``places`` decimals as it is shown: to the nearest, a half to the
    even neighbour (2.25 -> 2.2, 2.35 -> 2.4, 0.75 -> 0.8).

    Python's ``round`` works on the binary value (``round(2.675, 2)`` is 2.67, since 2.675 is
    stored as 2.67499...); this rounds the decimal value people read. Raises ``ValueError`` for
    NaN or infinity, which no score can be.
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    exact = Decimal(repr(round(value, _NOISE_DIGITS)))
    rounded = float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))
    return rounded + 0.0  # -0.0 + 0.0 == 0.0: never print "-0.0"


def format_score(value: float | None) -> str:
    """A score, target or gap (all on the 1..5 scale) at one decimal (``round_shown``).

    ``None`` (nothing rated, no target) shows an en dash.
    """
    if value is None:
        return NO_VALUE
    return f"{round_shown(value, 1):.1f}"


def percent_of(fraction: float) -> int:
    """A completion fraction (0..1) as the whole percent shown (``round_shown``): 2/3 -> 67.

    A fraction short of 1 never gives 100 (199/200 gives 99), nor a fraction above 0 gives 0,
    so that a percent never claims a state (complete, untouched) the data is not in. Progress
    bars take this value, so that the bar and the text beside it agree.
    """
    percent = int(round_shown(fraction * 100, 0))
    if fraction < 1 and percent >= 100:
        return 99
    if fraction > 0 and percent <= 0:
        return 1
    return percent


def format_percent(fraction: float | None) -> str:
    """A completion fraction as a whole percent: '67%' (``percent_of``); ``None`` an en dash."""
    if fraction is None:
        return NO_VALUE
    return f"{percent_of(fraction)}%"


def format_completion(fraction: float, unreviewed: int = 0) -> str:
    """Completion as every list and table shows it: '45%', or '45% · 3 to review' while answers
    carried over from the previous cycle are not yet reviewed (they do not count as complete)."""
    text = format_percent(fraction)
    return f"{text} · {unreviewed} to review" if unreviewed else text


def format_delta(delta: float | None) -> str:
    """A change of score: '+0.5', '−1.0', '0.0' (a real minus sign), '–' for no change known.

    One decimal rounded like every score; a change too small to show at one decimal gets
    more ('+0.04', '−0.004', '−<0.001'), so that a row marked improved or regressed never reads
    '0.0' (nor '-0.0').
    """
    if delta is None:
        return NO_VALUE
    if abs(delta) < 1e-9:
        return "0.0"
    return f"+{format_delta_size(delta)}" if delta > 0 else f"{MINUS}{format_delta_size(delta)}"


def format_delta_size(delta: float) -> str:
    """The size of a change of score without its sign ('0.5', '0.04', '<0.001'; digits as
    ``format_delta``), for sentences that say the direction in words ("Improved by 0.5")."""
    size = abs(delta)
    if size < 1e-9:
        return "0.0"
    return next(
        (f"{round_shown(size, d):.{d}f}" for d in (1, 2, 3) if round_shown(size, d) > 0),
        "<0.001",
    )


def spoken_delta(delta: float) -> str:
    """A change of score for screen readers: 'plus 0.5', 'minus 1.0', '0.0'."""
    if abs(delta) < 1e-9:
        return "0.0"
    return f"{'plus' if delta > 0 else 'minus'} {format_delta_size(delta)}"
