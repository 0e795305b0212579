"""Days are the user's days: local calendar days under several time zones, with a fixed clock."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from zones import local_zone

from app.domain.days import (
    format_day,
    format_local_time,
    format_local_time_with_zone,
    is_overdue,
    local_day,
)

ZONES = ("America/Los_Angeles", "Pacific/Kiritimati", "UTC", "Asia/Kolkata")


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The process's local time zone set to each of ``ZONES`` in turn, restored afterwards."""
    with local_zone(request.param) as name:
        yield name


def _at_local(zone: str, year: int, month: int, day: int, hour: int) -> dt.datetime:
    """A fixed UTC instant that is ``hour`` o'clock local time in ``zone`` (the clock a service
    would be given), built without zoneinfo from the process's own conversion."""
    naive = dt.datetime(year, month, day, hour)
    return dt.datetime.fromtimestamp(time.mktime(naive.timetuple()), dt.UTC)


def test_los_angeles_evening_is_still_the_same_day(zone: str) -> None:
    """Issue 11: at 18:00 on 31 January in Los Angeles (02:00 UTC on 1 February) an item due
    that day is not overdue and the date printed is 31 January; the same holds in every zone."""
    now = _at_local(zone, 2027, 1, 31, 18)
    assert now.tzinfo is dt.UTC  # stored and passed as UTC
    assert local_day(now) == dt.date(2027, 1, 31)
    assert format_day(now) == "2027-01-31"
    assert not is_overdue(dt.date(2027, 1, 31), now)
    assert is_overdue(dt.date(2027, 1, 30), now)
    assert not is_overdue(None, now)
    assert format_local_time(now) == "2027-01-31 18:00"
    assert format_local_time(now, seconds=True) == "2027-01-31 18:00:00"
    assert format_local_time_with_zone(now).startswith("2027-01-31 18:00 UTC")


def test_early_morning_in_kiritimati_is_the_next_day_there(zone: str) -> None:
    now = _at_local(zone, 2027, 2, 1, 1)
    assert local_day(now) == dt.date(2027, 2, 1)
    assert is_overdue(dt.date(2027, 1, 31), now)


def test_offsets_are_printed_with_the_zone() -> None:
    for name, offset in (("Asia/Kolkata", "UTC+05:30"), ("UTC", "UTC+00:00")):
        with local_zone(name):
            moment = dt.datetime(2027, 1, 31, 12, 0, tzinfo=dt.UTC)
            assert format_local_time_with_zone(moment).endswith(offset)
    with local_zone("America/Los_Angeles"):
        assert format_local_time_with_zone(dt.datetime(2027, 1, 31, 12, tzinfo=dt.UTC)) == (
            "2027-01-31 04:00 UTC−08:00"
        )


def test_naive_instants_are_taken_as_utc_and_none_is_a_dash() -> None:
    assert format_day(None) == "–" and format_local_time(None) == "–"
    assert format_day(dt.date(2027, 3, 1)) == "2027-03-01"
    naive = dt.datetime(2027, 1, 31, 12)
    assert local_day(naive) == local_day(naive.replace(tzinfo=dt.UTC))
