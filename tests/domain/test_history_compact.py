"""Compact history entries (new value only), the old value derived for display, the replay of
a history against stored answers, and the check of a chain against its stored head."""

from __future__ import annotations

import datetime as dt

from app.domain.assessment import Answer, HistoryEntry
from app.domain.history import (
    ASSESSMENT_EVENT,
    GENESIS,
    chain,
    entry_hash,
    first_broken,
    signoff_problem,
    with_old_values,
)
from app.domain.history_check import ChainHead, check_history, replay_differences

NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def _entry(sub: str, field: str, new: str, old: str | None = None) -> HistoryEntry:
    return HistoryEntry(subcategory_id=sub, field=field, old=old, new=new, actor="a", at=NOW)


def _notes_chain() -> list[HistoryEntry]:
    return chain(
        [
            _entry("GOVERN 1.1", "notes", "a"),
            _entry("GOVERN 1.1", "flagged", "yes"),
            _entry("GOVERN 1.1", "notes", "b"),
            _entry(ASSESSMENT_EVENT, "status", "finalized by Ann (CRO)"),
            _entry(ASSESSMENT_EVENT, "status", "reopened: audit"),
        ],
        GENESIS,
        1,
    )


def test_old_values_are_derived_from_the_previous_entry_of_the_same_field() -> None:
    shown = with_old_values(_notes_chain())
    assert [(e.field, e.old, e.new) for e in shown] == [
        ("notes", "", "a"),
        ("flagged", "no", "yes"),
        ("notes", "a", "b"),
        ("status", "draft", "finalized by Ann (CRO)"),
        ("status", "finalized by Ann (CRO)", "reopened: audit"),
    ]


def test_the_hash_covers_what_is_stored() -> None:
    compact = _notes_chain()[0]
    assert compact.old is None
    # A compact entry's hash does not depend on an old value; a format 1 entry's covers it.
    legacy = chain([_entry("GOVERN 1.1", "notes", "a", old="")], GENESIS, 1)[0]
    assert legacy.entry_hash != compact.entry_hash
    assert entry_hash(legacy.model_copy(update={"old": "x"}), GENESIS) != legacy.entry_hash
    mixed = [
        legacy,
        *chain([_entry("GOVERN 1.1", "notes", "b")], legacy.entry_hash, 2),
    ]
    assert first_broken(mixed) is None
    assert [e.old for e in with_old_values(mixed)] == ["", "a"]


def test_replay_names_each_field_that_differs() -> None:
    entries = _notes_chain()
    stored = Answer(subcategory_id="GOVERN 1.1", notes="b", flagged=True)
    assert replay_differences(entries, {"GOVERN 1.1": stored}) == []
    edited = stored.model_copy(update={"notes": "forged", "owner": "Eve"})
    found = [
        (d.subcategory_id, d.field, d.expected, d.stored)
        for d in replay_differences(entries, {"GOVERN 1.1": edited})
    ]
    assert found == [("GOVERN 1.1", "notes", "b", "forged"), ("GOVERN 1.1", "owner", "", "Eve")]
    # An answer with no history at all, and history whose answer is gone.
    assert [
        d.field
        for d in replay_differences([], {"MAP 1.1": Answer(subcategory_id="MAP 1.1", level=3)})
    ] == ["level"]
    assert {d.field for d in replay_differences(entries, {})} == {"notes", "flagged"}


def test_truncation_is_found_against_the_stored_head() -> None:
    entries = _notes_chain()
    head = ChainHead.of(entries)
    answers = {"GOVERN 1.1": Answer(subcategory_id="GOVERN 1.1", notes="b", flagged=True)}
    assert check_history(entries, head, answers).ok
    cut = check_history(entries[:-2], head, answers)
    assert not cut.ok and cut.broken is None
    assert "2 entries were deleted" in cut.problems()[0]
    emptied = check_history([], head, {})
    assert "ends at entry 0, but 5 were recorded" in emptied.problems()[0]
    replaced = check_history(
        entries[:-1] + chain([_entry("X", "notes", "z")], entries[-2].entry_hash, 5), head, answers
    )
    assert "not the one recorded" in " ".join(replaced.problems())
    assert head.text() == f"5 entries, last hash {entries[-1].entry_hash}"
    assert ChainHead.of([]).text() == f"0 entries, last hash {GENESIS}"


def test_a_finalized_history_ends_with_its_signoff() -> None:
    entries = _notes_chain()[:4]
    assert signoff_problem(entries, "Ann", "CRO") is None
    assert "Mallory" in (signoff_problem(entries, "Mallory", "CRO") or "")
    assert signoff_problem(_notes_chain()[:3], "Ann", "CRO") is not None
