"""history.new_entries: a save's entries built without Pydantic's validator are the very
entries (values, fields set, chain hashes) that validation built before, and values the
validator would refuse or change still go through it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from app.domain.assessment import HistoryEntry
from app.domain.history import GENESIS, chain, first_broken, new_entries
from app.domain.limits import NAME_MAX

NOW = dt.datetime(2026, 11, 30, 13, 5, 7, 123456, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _as_in_a_fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """new_entries skips the validator only until it is built (a command-line process); in
    this test process it is built already: these tests try the path without it."""
    monkeypatch.setattr(HistoryEntry, "__pydantic_complete__", False)


CHANGES = [
    ("coverage", "H"),
    ("notes", "Line one\nline two\twith a tab, ünïcödé and “quotes”"),
    ("evidence", '[{"title": "x", "url": "https://example.org"}]'),
    ("flagged", "yes"),
]


def _validated(sub: str, actor: str, at: dt.datetime) -> list[HistoryEntry]:
    """How a save built its entries before new_entries: one validated template, copied."""
    template = HistoryEntry(subcategory_id=sub, field="", new="", actor=actor, at=at)
    return [template.model_copy(update={"field": f, "new": n}) for f, n in CHANGES]


@pytest.mark.parametrize(
    ("sub", "actor", "at"),
    [
        ("GOVERN 1.1", "Kim", NOW),
        ("MAP 5.2", "x" * NAME_MAX, NOW),
        ("ASSESSMENT", "Ana Müller (from answers.xlsx)", NOW.astimezone(ZoneInfo("Asia/Tokyo"))),
        ("GOVERN 1.1", "", dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5)))),
    ],
)
def test_entries_and_their_chain_equal_the_validated_ones(sub, actor, at) -> None:  # type: ignore[no-untyped-def]
    built = new_entries(sub, actor, at, CHANGES)
    before = _validated(sub, actor, at)
    for new, old in zip(built, before, strict=True):
        assert new.model_dump() == old.model_dump()
        assert new.model_fields_set == old.model_fields_set
        assert type(new.at) is type(old.at) and new.at.isoformat() == old.at.isoformat()
    prev = "a" * 64
    chained, expected = chain(built, prev, 7), chain(before, prev, 7)
    assert [e.model_dump() for e in chained] == [e.model_dump() for e in expected]
    assert [e.entry_hash for e in chained] == [e.entry_hash for e in expected]
    assert first_broken(chain(built, GENESIS, 1)) is None


def test_fast_entries_are_not_validated_but_the_same_kind_of_model() -> None:
    (entry,) = new_entries("GOVERN 1.1", "Kim", NOW, [("notes", "n")])
    assert type(entry) is HistoryEntry
    assert entry == HistoryEntry(
        subcategory_id="GOVERN 1.1", field="notes", new="n", actor="Kim", at=NOW
    )


@pytest.mark.parametrize(
    ("sub", "actor", "at"),
    [
        ("GOVERN 1.1", "Kim\x07", NOW),  # a control character
        ("GOVERN 1.1", "x" * (NAME_MAX + 1), NOW),  # too long
        ("GOVERN\x1b1.1", "Kim", NOW),
        ("GOVERN 1.1", "K\udcffm", NOW),  # a name that was not UTF-8 (a lone surrogate)
        ("GOVERN 1.1", "Kim", dt.datetime(1500, 1, 1, tzinfo=dt.UTC)),  # outside the limits
    ],
)
def test_values_the_validator_refuses_are_still_refused(sub, actor, at) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        _validated(sub, actor, at)
    with pytest.raises(ValidationError):
        new_entries(sub, actor, at, CHANGES)


def test_values_the_validator_changes_go_through_it() -> None:
    """A time without a zone is UTC (the validator adds it), as before."""
    naive = NOW.replace(tzinfo=None)
    built = new_entries("GOVERN 1.1", "Kim", naive, CHANGES)
    assert [e.model_dump() for e in built] == [
        e.model_dump() for e in _validated("GOVERN 1.1", "Kim", naive)
    ]
    assert built[0].at == NOW


@pytest.mark.parametrize(
    "values",
    [
        {"subcategory_id": "GOVERN 1.1"},
        {"subcategory_id": "MAP 1.1", "state": "reviewed", "actor": "Kim", "at": NOW},
        {"subcategory_id": "MAP 1.1", "state": "draft", "actor": "", "at": None},
        {"subcategory_id": "MAP 1.1", "state": "draft", "actor": "Kim\x07", "at": NOW},
        {
            "subcategory_id": "MAP 1.1",
            "state": "draft",
            "actor": "Kim",
            "at": NOW.replace(tzinfo=None),
        },
    ],
)
def test_review_states_read_for_a_save_equal_the_validated_ones(values) -> None:  # type: ignore[no-untyped-def]
    """The answer save's read of a review state (review_snapshot) builds the model that
    validation built, fields set included, whichever way it is built."""
    from app.domain.review import AnswerReview, ReviewState
    from app.persistence.review_snapshot import _state

    if "state" in values:
        values = {**values, "state": ReviewState(values["state"])}
    read, validated = _state(**values), AnswerReview(**values)
    assert read == validated and read.model_fields_set == validated.model_fields_set


def test_review_states_the_validator_refuses_are_still_refused() -> None:
    from app.domain.review import ReviewState
    from app.persistence.review_snapshot import _state

    for bad in ({"actor": "x" * (NAME_MAX + 1)}, {"subcategory_id": ""}):
        values = {"subcategory_id": "MAP 1.1", "state": ReviewState.DRAFT, **bad}
        with pytest.raises(ValidationError):
            _state(**values)
