"""The due dates of open remediation actions as an iCalendar file (RFC 5545, the ``icalendar``
library), so that owners see them in their calendars.

One all-day VEVENT per open action (planned or in progress) that has a due date: DTSTART is
the due date (a date, no time: the due date is a local calendar day, as everywhere in the
app), DTEND the day after (RFC 5545 3.6.1: the end of an all-day event is exclusive), SUMMARY
the title, DESCRIPTION the subcategory, owner, status, priority and description. The UID is
the action's uid (``<uid>@airmf-assessor``), so a calendar that imports a newer file updates
the event instead of adding a second one; LAST-MODIFIED is the action's last change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from icalendar import Calendar, Event

from app import __version__
from app.services.actions import ActionFilter, ActionService, ListedAction
from app.services.context import ServiceContext
from app.services.outputs import guard_output, write_output

UID_DOMAIN = "airmf-assessor"
PRODID = f"-//AI RMF Assessor//{__version__}//EN"
_PRIORITY = {"high": 1, "medium": 5, "low": 9}  # RFC 5545 3.8.1.9: 1 highest, 9 lowest


def event_uid(action_uid: str) -> str:
    """The UID of an action's event: stable for the action's life, across cycles too."""
    return f"{action_uid}@{UID_DOMAIN}"


def _utc(when: dt.datetime) -> dt.datetime:
    return (when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def calendar_bytes(
    name: str, actions: Sequence[ListedAction], now: dt.datetime
) -> tuple[bytes, int]:
    """The iCalendar file of the open ``actions`` with a due date, and how many events it
    holds. ``name``: the assessment's name (the calendar's name and each description);
    ``now``: the export instant (each event's DTSTAMP). Actions keep the order given."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{name}: remediation actions due")
    count = 0
    for listed in actions:
        action = listed.action
        if not action.is_open or action.due_date is None:
            continue
        event = Event()
        event.add("uid", event_uid(action.uid))
        event.add("dtstamp", _utc(now))
        event.add("dtstart", action.due_date)
        event.add("dtend", action.due_date + dt.timedelta(days=1))
        event.add("summary", action.title)
        lines = [
            f"Subcategory: {action.subcategory_id}"
            + (f" ({listed.function})" if listed.function else ""),
            f"Owner: {action.owner or 'none'}",
            f"Status: {action.status.label}; priority: {action.priority.label}"
            + ("; overdue" if listed.overdue else ""),
            f"Assessment: {name}",
        ]
        if action.description.strip():
            lines += ["", action.description]
        event.add("description", "\n".join(lines))
        event.add("categories", ["AI RMF remediation", action.subcategory_id])
        event.add("priority", _PRIORITY[action.priority.value])
        event.add("transp", "TRANSPARENT")  # a due date, not time taken in the calendar
        if action.updated_at is not None:
            event.add("last-modified", _utc(action.updated_at))
        cal.add_component(event)
        count += 1
    return cal.to_ical(), count


class ActionCalendarService:
    """Write the due dates of an assessment's open actions as an iCalendar file."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.actions = ActionService(ctx)

    def calendar(
        self,
        assessment_id: int,
        subcategory: str | None = None,
        filters: ActionFilter | None = None,
    ) -> tuple[bytes, int]:
        """(the .ics bytes, the number of events) of the actions ``airmf action list`` would
        list with the same ``subcategory`` and ``filters``, kept to the open ones with a due
        date. Raises NotFound or InvalidInput (an unknown subcategory or function)."""
        assessment = self.actions.assessments.get(assessment_id)
        listed = self.actions.listed(assessment_id, subcategory, filters)
        listed.sort(key=lambda x: (x.action.due_date or dt.date.max, x.action.priority.rank))
        return calendar_bytes(assessment.name, listed, self.ctx.clock())

    def export(
        self,
        assessment_id: int,
        target: Path | BinaryIO,
        subcategory: str | None = None,
        filters: ActionFilter | None = None,
        *,
        force: bool = False,
    ) -> tuple[Path | None, int]:
        """Write ``calendar`` to ``target`` (a path: guarded and atomic; or a stream). Returns
        (the path, None for a stream; the number of events). Raises NotFound, InvalidInput,
        NeedsConfirmation or StorageError; an existing file is unchanged then."""
        if isinstance(target, (str, Path)):
            guard_output(self.ctx.location, Path(target), "other", force=force)
        data, count = self.calendar(assessment_id, subcategory, filters)
        path = write_output(
            self.ctx.location, target, "other", data, force=force, what="the calendar"
        )
        return path, count
