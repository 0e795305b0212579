"""The one rule for a typed date (due dates): complete, real calendar dates only."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from app.domain.assessment import Answer
from app.domain.date_input import InvalidDate, format_date, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03-31", dt.date(2027, 3, 31)),
        (" 2028-02-29 ", dt.date(2028, 2, 29)),  # a leap day
        ("", None),
        ("   ", None),
    ],
)
def test_valid_dates(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected
    assert parse_date(format_date(expected)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-02-31", "February 2027 has no day 31"),  # was moved to 3 March by Qt
        ("2027-02-29", "February 2027 has no day 29"),
        ("1999-13-45", "no month 13"),
        ("2027-00-10", "no month 0"),
        ("2027-04-00", "has no day 0"),
        ("2027-3-1", "YYYY-MM-DD"),  # half typed
        ("2027-03-", "YYYY-MM-DD"),
        ("20270301", "YYYY-MM-DD"),  # accepted by date.fromisoformat
        ("2027W011", "YYYY-MM-DD"),  # an ISO week date, also accepted by fromisoformat
        ("31/03/2027", "YYYY-MM-DD"),
        ("0000-01-01", "no year 0"),
        ("2027-03-31T00:00", "YYYY-MM-DD"),
    ],
)
def test_incomplete_or_impossible_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidDate) as info:
        parse_date(text)
    assert message in str(info.value) and repr(text.strip()) in str(info.value)


def test_the_answer_model_applies_the_same_rule() -> None:
    """An import (or any text reaching the model) goes through ``parse_date``."""
    assert Answer(subcategory_id="GOVERN 1.1", due_date="2027-03-31").due_date == dt.date(
        2027, 3, 31
    )
    assert Answer(subcategory_id="GOVERN 1.1", due_date=dt.date(2027, 1, 2)).due_date
    for bad in ("2027-02-31", "20270301", 1_800_000_000):
        with pytest.raises(ValidationError):
            Answer(subcategory_id="GOVERN 1.1", due_date=bad)
