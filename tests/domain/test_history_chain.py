"""The history hash chain: entries link to their predecessor; any alteration is located."""

from __future__ import annotations

import datetime as dt

from app.domain.assessment import Answer, HistoryEntry
from app.domain.history import GENESIS, chain, diff_answers, first_broken

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _entries(n: int) -> list[HistoryEntry]:
    raw = [
        HistoryEntry(
            subcategory_id="GOVERN 1.1",
            field="notes",
            old=str(i),
            new=str(i + 1),
            actor="a",
            at=NOW,
        )
        for i in range(n)
    ]
    return chain(raw, GENESIS, 1)


def test_chain_verifies_and_continues() -> None:
    entries = _entries(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].entry_hash
    more = chain([entries[0].model_copy(update={"seq": 0})], entries[-1].entry_hash, 4)
    assert first_broken(entries + more) is None


def test_altered_entry_is_named() -> None:
    entries = _entries(4)
    entries[2] = entries[2].model_copy(update={"new": "forged"})
    broken = first_broken(entries)
    assert broken is not None and broken.seq == 3


def test_removed_entry_is_detected() -> None:
    entries = _entries(4)
    del entries[1]
    broken = first_broken(entries)
    assert broken is not None and broken.seq == 3


def test_diff_lists_changed_fields_only() -> None:
    old = Answer(subcategory_id="MAP 1.1", notes="a", owner="x")
    new = Answer(subcategory_id="MAP 1.1", notes="b", owner="x", flagged=True)
    assert diff_answers(old, new) == [("notes", "a", "b"), ("flagged", "no", "yes")]
    assert ("notes", "", "b") in diff_answers(None, new)
