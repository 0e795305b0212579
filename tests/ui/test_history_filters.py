"""The assessment-wide history's filters (issue 14): by person, local day range, field kind
(generic over ids in field names) and subcategory."""

from __future__ import annotations

import datetime as dt

from app.domain.assessment import HistoryEntry
from app.domain.history import ASSESSMENT_EVENT
from app.ui.history.filters import (
    HistoryFilter,
    apply_filter,
    choices,
    entry_field_label,
    field_kind,
    kind_label,
)
from tests.zones import local_zone


def _e(seq: int, sub: str, field: str, actor: str, day: int, hour: int = 12) -> HistoryEntry:
    return HistoryEntry(
        seq=seq,
        subcategory_id=sub,
        field=field,
        new="x",
        actor=actor,
        at=dt.datetime(2026, 11, day, hour, 0, tzinfo=dt.UTC),
    )


ENTRIES = [
    _e(1, "GOVERN 1.1", "notes", "Ana", 1),
    _e(2, "GOVERN 1.1", "action:9f3a:status", "Ben", 2),
    _e(3, "MAP 1.10", "action:77bc:status", "Ana", 3),
    _e(4, "MAP 1.2", "review", "Ben", 4),
    _e(5, ASSESSMENT_EVENT, "system:risk_tier", "Ana", 5),
    _e(6, ASSESSMENT_EVENT, "status", "Cy", 6, hour=23),
]


def test_field_kinds_leave_out_ids_and_read_as_words() -> None:
    assert field_kind("action:9f3a:status") == "action:status"
    assert field_kind("system:risk_tier") == "system:risk_tier"
    # An entry names its action by the short id the lists print (two actions of one
    # subcategory are told apart); the field kind (the filter's choice) leaves it out.
    assert entry_field_label("action:9f3a:status") == "Action 9f3a: status"
    uid = "3f9a0c12" + "0" * 24
    assert entry_field_label(f"action:{uid}:due_date") == "Action 3f9a0c12: due date"
    assert kind_label(field_kind(f"action:{uid}:due_date")) == "Action: due date"
    assert entry_field_label("review") == "Review state"
    assert entry_field_label("system:risk_tier") == "AI system: Risk tier"
    assert entry_field_label("ai_system") == "AI system"
    assert entry_field_label("notes") == "Notes"


def test_each_filter_and_their_combination() -> None:
    seqs = lambda f: [e.seq for e in apply_filter(ENTRIES, f)]  # noqa: E731
    assert seqs(HistoryFilter()) == [1, 2, 3, 4, 5, 6]
    assert seqs(HistoryFilter(actor="Ana")) == [1, 3, 5]
    assert seqs(HistoryFilter(kind="action:status")) == [2, 3]
    assert seqs(HistoryFilter(subcategory=ASSESSMENT_EVENT)) == [5, 6]
    assert seqs(HistoryFilter(subcategory="GOVERN 1.1", kind="action:status")) == [2]
    with local_zone("UTC"):
        assert seqs(HistoryFilter(since=dt.date(2026, 11, 2), until=dt.date(2026, 11, 4))) == [
            2,
            3,
            4,
        ]
    # The day is the local calendar day: 23:00 UTC on the 6th is the 7th in Berlin.
    with local_zone("Europe/Berlin"):
        assert seqs(HistoryFilter(until=dt.date(2026, 11, 6))) == [1, 2, 3, 4, 5]


def test_choices_come_from_what_the_history_holds() -> None:
    with local_zone("UTC"):
        found = choices(ENTRIES)
    assert found.actors == ("Ana", "Ben", "Cy")
    assert found.subcategories == (ASSESSMENT_EVENT, "GOVERN 1.1", "MAP 1.2", "MAP 1.10")
    assert [k for _label, k in found.kinds] == [
        "action:status",
        "system:risk_tier",
        "status",
        "notes",
        "review",
    ]
    assert (found.first_day, found.last_day) == (dt.date(2026, 11, 1), dt.date(2026, 11, 6))
    assert choices([]).first_day is None
