"""Days are the user's days: instants are stored in UTC, calendar days are local.

A due date is a calendar day the user chose; "today", "overdue" and every date printed beside an
instant (report date, cycle date, last change) are the user's local calendar day, so that in Los
Angeles at 18:00 on 31 January an item due that day is not yet overdue and the report says
31 January. The local time zone is the process's (``TZ`` on POSIX, the system setting
elsewhere). Callers pass the current instant in (a service's ``clock``), which keeps this module
free of hidden clock reads and lets tests fix the clock.
"""

from __future__ import annotations

import datetime as dt


def local(instant: dt.datetime) -> dt.datetime:
    """``instant`` in the local time zone. A naive instant is taken as UTC (how it is stored).

    An instant the local zone cannot represent (near year 1 or 9999, west or east of UTC)
    stays in UTC: a list or a report that shows a stored instant never fails on it (import
    refuses such instants, but an older database may hold one).
    """
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    try:
        return instant.astimezone()
    except (OverflowError, ValueError, OSError):
        return instant.astimezone(dt.UTC)


def _zone_mark(moment: dt.datetime) -> str:
    """ " UTC" after a time left in UTC by ``local`` (unless UTC is the local zone anyway)."""
    if moment.tzinfo is dt.UTC:
        return " UTC"
    return ""


def local_day(instant: dt.datetime) -> dt.date:
    """The user's local calendar day at ``instant`` ("today" when ``instant`` is now)."""
    return local(instant).date()


def is_overdue(due: dt.date | None, now: dt.datetime) -> bool:
    """Whether a due day has passed: only once the user's local day is after it."""
    return due is not None and due < local_day(now)


def format_day(value: dt.date | dt.datetime | None) -> str:
    """A calendar day as ``YYYY-MM-DD``; an instant gives its local day; ``None`` an en dash."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        value = local_day(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def format_local_time(instant: dt.datetime | None, *, seconds: bool = False) -> str:
    """An instant as local ``YYYY-MM-DD HH:MM`` (``:SS`` with ``seconds``); ``None`` an en dash."""
    if instant is None:
        return "–"
    moment = local(instant)
    text = f"{moment.year:04d}" + moment.strftime("-%m-%d %H:%M:%S" if seconds else "-%m-%d %H:%M")
    return text + _zone_mark(moment)


def format_local_iso(instant: dt.datetime) -> str:
    """An instant as local ISO 8601 with its offset ('2027-01-31T18:00:00-08:00')."""
    return local(instant).isoformat(timespec="seconds")


def format_local_time_with_zone(instant: dt.datetime) -> str:
    """An instant as local ``YYYY-MM-DD HH:MM`` with its UTC offset, e.g. '2027-01-31 18:00
    UTC−08:00', for printed documents read in other time zones."""
    moment = local(instant)
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, mins = divmod(abs(minutes), 60)
    return f"{moment:%Y-%m-%d %H:%M} UTC{sign}{hours:02d}:{mins:02d}"
