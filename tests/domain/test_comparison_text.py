"""How a change of score is written: never '0.0' or '-0.0' for a change that is there."""

from __future__ import annotations

import pytest

from app.domain.comparison import Change, classify, format_delta


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (None, "–"),
        (0.0, "0.0"),
        (1e-12, "0.0"),
        (0.5, "+0.5"),
        (-1.0, "−1.0"),
        (0.04, "+0.04"),
        (-0.004, "−0.004"),
        (-0.0004, "−<0.001"),
    ],
)
def test_format_delta(delta, text) -> None:  # type: ignore[no-untyped-def]
    assert format_delta(delta) == text


def test_a_change_marked_regressed_never_reads_zero() -> None:
    for before, after in ((2.0, 1.999), (3.0, 2.96), (1.5, 1.4999)):
        assert classify(before, after) is Change.REGRESSED
        text = format_delta(after - before)
        assert text.startswith("−") and text.strip("−0.") != ""
