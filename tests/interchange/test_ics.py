"""Action due dates as iCalendar: one all-day event per open action with a due date, summary
the title, a description naming subcategory and owner, a UID from the action's uid; written
atomically; read back with the icalendar library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from app.cli.main import main
from app.services.actions import ActionFilter, ActionService
from app.services.interchange.ics import ActionCalendarService


@pytest.fixture
def planned(ctx: Any, sample: Any) -> dict[str, Any]:
    service = ActionService(ctx)
    return {
        "due": service.add(
            sample.id,
            "MAP 1.1",
            title="Document the intended purpose",
            description="Line one\nline two; with, commas",
            owner="Kim",
            due_date=dt.date(2030, 5, 1),
            priority="high",
        ),
        "started": service.add(
            sample.id,
            "GOVERN 1.1",
            title="Name the legal owner",
            owner="Lee",
            due_date=dt.date(2030, 2, 1),
            status="in_progress",
        ),
        "undated": service.add(sample.id, "GOVERN 1.2", title="No date yet"),
        "done": service.add(
            sample.id, "GOVERN 1.3", title="Closed", due_date=dt.date(2030, 1, 1), status="done"
        ),
    }


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_one_all_day_event_per_open_action_with_a_due_date(
    ctx: Any, sample: Any, planned: dict[str, Any]
) -> None:
    data, count = ActionCalendarService(ctx).calendar(sample.id)
    events = _events(data)
    assert count == len(events) == 2
    first, second = events  # by due date
    assert str(first["summary"]) == "Name the legal owner"
    assert str(second["summary"]) == "Document the intended purpose"
    assert second.decoded("dtstart") == dt.date(2030, 5, 1)  # a date: an all-day event
    assert not isinstance(second.decoded("dtstart"), dt.datetime)
    assert second.decoded("dtend") == dt.date(2030, 5, 2)  # exclusive end: the next day
    assert str(second["uid"]) == f"{planned['due'].uid}@airmf-assessor"
    description = str(second["description"])
    assert "Subcategory: MAP 1.1 (MAP)" in description and "Owner: Kim" in description
    assert description.endswith("Line one\nline two; with, commas")  # escaped and read back
    assert int(second["priority"]) == 1
    calendar = Calendar.from_ical(data)
    assert str(calendar["x-wr-calname"]).startswith(sample.name)


def test_uids_are_stable_across_exports(ctx: Any, sample: Any, planned: dict[str, Any]) -> None:
    first, _ = ActionCalendarService(ctx).calendar(sample.id)
    ActionService(ctx).update(sample.id, planned["due"].uid, title="Renamed")
    again, _ = ActionCalendarService(ctx).calendar(sample.id)
    assert [str(e["uid"]) for e in _events(first)] == [str(e["uid"]) for e in _events(again)]
    assert "Renamed" in [str(e["summary"]) for e in _events(again)]


def test_filters_keep_one_owners_actions(ctx: Any, sample: Any, planned: dict[str, Any]) -> None:
    data, count = ActionCalendarService(ctx).calendar(sample.id, filters=ActionFilter(owner="kim"))
    assert count == 1 and str(_events(data)[0]["summary"]) == "Document the intended purpose"


def test_export_is_atomic_and_guarded(
    ctx: Any, sample: Any, planned: dict[str, Any], tmp_path: Path
) -> None:
    from app.services.errors import InvalidInput

    out = tmp_path / "out"
    out.mkdir()
    path, count = ActionCalendarService(ctx).export(sample.id, out / "due.ics")
    assert path == out / "due.ics" and count == 2
    assert len(_events(path.read_bytes())) == 2
    assert [p.name for p in out.iterdir()] == ["due.ics"]  # no temporary file left behind
    with pytest.raises(InvalidInput):
        ActionCalendarService(ctx).export(sample.id, out)  # a folder is never written


def test_cli_action_list_ics(tmp_path: Path, capsys: Any) -> None:
    db = str(tmp_path / "cli.sqlite3")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, "--as", "Cli Tester", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("assessment", "create", "--name", "Q1")[0] == 0
    code, _o, err = run(
        *("action", "add", "1", "MAP 1.1", "--title", "Map it"),
        *("--owner", "Kim", "--due", "2031-03-04"),
    )
    assert code == 0, err
    target = tmp_path / "due.ics"
    code, out, err = run("action", "list", "1", "--ics", "-o", str(target))
    assert code == 0, err
    assert f"wrote 1 due date of open actions to {target}" in out
    (event,) = _events(target.read_bytes())
    assert event.decoded("dtstart") == dt.date(2031, 3, 4)
    assert str(event["summary"]) == "Map it"
    code, out, err = run("action", "list", "1", "--ics")
    assert code == 1 and "-o FILE.ics" in err
    code, out, err = run("action", "list", "1", "-o", str(target))
    assert code == 1 and "add --ics" in err
    code, out, err = run("action", "list", "1", "--owner", "nobody", "--ics", "-o", "-")
    assert code == 0 and "BEGIN:VCALENDAR" in out and "BEGIN:VEVENT" not in out
