"""The one rule for a calendar date typed by a person (due dates): window, CLI and import."""

from __future__ import annotations

import datetime as dt
import re

DATE_FORMAT_HINT = "YYYY-MM-DD, e.g. 2027-03-31"
_SHAPE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class InvalidDate(ValueError):
    """Text that is not a complete, real calendar date; the message says what is wrong."""


def parse_date(text: str) -> dt.date | None:
    """Read a date written as ``YYYY-MM-DD``; empty (or blank) text means "no date".

    Only this one shape is accepted (ISO 8601 calendar date, extended format): Python's own
    ``date.fromisoformat`` also takes week dates and the basic format ("2027W011",
    "20270301"), which a person rarely means. A day that does not exist in its month
    (2027-02-31) or a month outside 1..12 is refused, never moved to a neighbouring date.

    Raises:
        InvalidDate: with a message naming the text and the problem.
    """
    text = text.strip()
    if not text:
        return None
    match = _SHAPE.match(text)
    if match is None:
        raise InvalidDate(f"{text!r} is not a date: write it as {DATE_FORMAT_HINT}")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise InvalidDate(f"{text!r} is not a date: there is no month {month}")
    if year < 1:
        raise InvalidDate(f"{text!r} is not a date: there is no year 0")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InvalidDate(
            f"{text!r} is not a date: {dt.date(year, month, 1):%B %Y} has no day {day}"
        ) from None


def format_date(value: dt.date | None) -> str:
    """The text ``parse_date`` reads back to ``value`` ("" for no date)."""
    return "" if value is None else value.isoformat()
