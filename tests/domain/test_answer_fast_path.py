"""``validated_changes`` and ``blank_answer`` give exactly what Answer's validator gives.

A save checks the changed fields without building Answer's validator when their values
already pass its rules unchanged (a command-line process that records one answer then builds
none; issue 13). Trust rests on the two giving the same result for every value: the same
values of the same types when accepted, a ValidationError when refused.
"""

from __future__ import annotations

import collections
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.domain import assessment as model
from app.domain.assessment import Answer, EvidenceStatus, blank_answer, validated_changes
from app.domain.limits import NAME_MAX, TEXT_MAX

SUB = "GOVERN 1.1"


@pytest.fixture(autouse=True)
def _as_in_a_fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """``blank_answer`` skips the validator only until it is built (a command-line process);
    in this test process it is built already: these tests try the path without it."""
    monkeypatch.setattr(Answer, "__pydantic_complete__", False)


class _Text(str):
    """A str subclass: the validator returns a plain str, so it is not a plain value."""


def _reference(sub: Any, changes: dict[str, Any]) -> tuple[str, Any]:
    try:
        checked = Answer.model_validate({**changes, "subcategory_id": sub})
    except ValidationError as exc:
        return "refused", [e["loc"] for e in exc.errors()]
    return "ok", {f: (type(getattr(checked, f)), getattr(checked, f)) for f in changes}


def _ours(sub: Any, changes: dict[str, Any]) -> tuple[str, Any]:
    try:
        got = validated_changes(sub, changes)
    except ValidationError as exc:
        return "refused", [e["loc"] for e in exc.errors()]
    return "ok", {f: (type(v), v) for f, v in got.items()}


def _texts(limit: int) -> list[Any]:
    return [
        "",
        "x",
        "tab\there, lines\nand\r\nbreaks",
        " padded ",
        "é中文🙂",
        "x" * limit,
        "x" * (limit + 1),
        "nul\x00",
        "bell\x07",
        "del\x7f",
        "c1\x85",
        "lone \udcff surrogate",  # an argument that was not UTF-8 (Pydantic refuses it)
        "\ud800",
        _Text("sub"),
        5,
        None,
        b"bytes",
    ]


_LEVELS = [None, 1, 3, 5, 0, 6, -1, True, False, 3.0, 2.5, "3", "x"]
_FLAGS = [True, False, 1, 0, "yes", "true", None, 1.0]
VALUES: dict[str, list[Any]] = {
    "notes": _texts(TEXT_MAX),
    "na_rationale": _texts(TEXT_MAX),
    "owner": _texts(NAME_MAX),
    "level": _LEVELS,
    "target": _LEVELS,
    "not_applicable": _FLAGS,
    "flagged": _FLAGS,
    "carried_over": _FLAGS,
    "metrics": [
        {},
        {"coverage": "H", "robustness": "m", "input_diversity": "Low"},
        {"coverage": "nul\x00"},  # the field-wide text rule sees the dict, not its values
        {"coverage": 1},
        {1: "H"},
        {"coverage": _Text("H")},
        collections.OrderedDict(coverage="H"),
        [],
        None,
        "H",
    ],
    "due_date": [
        None,
        dt.date(2026, 11, 30),
        dt.datetime(2026, 11, 30),
        "2026-11-30",
        "30/11/2026",
        "",
        20261130,
        1.5,
    ],
    "evidence_status": [None, *EvidenceStatus, "cited", "none_found", "unknown", 1],
}


def test_every_plain_field_is_tried() -> None:
    assert set(VALUES) == set(model._PLAIN)


@pytest.mark.parametrize(
    ("field", "value"), [(f, v) for f, values in VALUES.items() for v in values]
)
def test_one_field_gives_what_the_validator_gives(field: str, value: Any) -> None:
    assert _ours(SUB, {field: value}) == _reference(SUB, {field: value})


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"notes": "n", "level": 3, "flagged": True, "due_date": dt.date(2027, 1, 1)},
        {"not_applicable": True, "na_rationale": "Not used", "metrics": {}, "level": None},
        {"notes": "n", "level": 9},  # one refused value refuses the whole change
        {"notes": "n", "evidence": []},  # a field outside the fast path: the validator
        {"notes": "n", "actions_in_place": [2, 0]},
        {"notes": "n", "genai_actions_in_place": ["GV-1.1-001"]},
        {"notes": "n", "updated_at": dt.datetime(2026, 11, 30, tzinfo=dt.UTC)},
    ],
)
def test_several_fields_give_what_the_validator_gives(changes: dict[str, Any]) -> None:
    assert _ours(SUB, changes) == _reference(SUB, changes)


@pytest.mark.parametrize(
    "sub", [SUB, " GOVERN 1.1 ", "", " ", "x" * NAME_MAX, "x" * 201, "G\x00", "G\udcff"]
)
def test_the_subcategory_id_gives_what_the_validator_gives(sub: str) -> None:
    assert _ours(sub, {"notes": "n"}) == _reference(sub, {"notes": "n"})
    try:
        expected: Any = Answer(subcategory_id=sub)
    except ValidationError:
        with pytest.raises(ValidationError):
            blank_answer(sub)
        return
    got = blank_answer(sub)
    assert got == expected and got.model_fields_set == expected.model_fields_set
    assert got.model_dump() == expected.model_dump()
    assert got.metrics is not blank_answer(sub).metrics  # a dict of its own, as validated


@settings(max_examples=300, deadline=None)
@given(
    notes=st.text(alphabet=st.characters(max_codepoint=0xFF), max_size=40),
    owner=st.text(max_size=NAME_MAX + 2),
    level=st.one_of(st.none(), st.integers(-2, 8), st.booleans()),
    flag=st.one_of(st.booleans(), st.integers(0, 2)),
)
def test_any_values_give_what_the_validator_gives(
    notes: str, owner: str, level: Any, flag: Any
) -> None:
    changes = {"notes": notes, "owner": owner, "target": level, "flagged": flag}
    assert _ours(SUB, changes) == _reference(SUB, changes)


def test_plain_values_build_no_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the fast path: values that pass unchanged never reach the validator."""

    def refuse(*_a: Any, **_k: Any) -> None:
        raise AssertionError("the validator was used")

    monkeypatch.setattr(Answer, "model_validate", refuse)
    got = validated_changes(
        SUB,
        {
            "metrics": {"coverage": "H"},
            "level": None,
            "notes": "n",
            "owner": "Kim",
            "due_date": dt.date(2027, 1, 1),
            "flagged": True,
            "evidence_status": EvidenceStatus.CITED,
        },
    )
    assert got["owner"] == "Kim" and got["metrics"] == {"coverage": "H"}
    blank_answer(SUB)


def test_once_the_validator_is_built_it_makes_the_blank_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a long-running process (the window, a server) the built validator is the faster way
    to a blank answer (model_construct is ~10x slower): it is used, with the same result."""
    monkeypatch.setattr(Answer, "__pydantic_complete__", True)
    constructed: list[object] = []
    monkeypatch.setattr(Answer, "model_construct", lambda *a, **k: constructed.append(a))
    got = blank_answer(SUB)
    assert constructed == [] and got.model_dump() == Answer(subcategory_id=SUB).model_dump()
