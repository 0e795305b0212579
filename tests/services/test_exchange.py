"""Export and import: a lossless round trip, and malformed files refused with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput
from app.services.exchange import ExchangeService


@pytest.fixture
def filled(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create(
        {
            "name": "Chatbot 2026",
            "ai_system": "Support chatbot",
            "organization": "Ops",
            "scope": "Customer support",
            "assessor": "Dana",
            "default_target": 4,
            "profiles": [
                {"profile_id": "nist-ai-600-1", "risks": ["confabulation", "data-privacy"]}
            ],
        }
    )
    s = AnswerService(ctx)
    s.record(
        a.id,
        "GOVERN 1.1",
        metrics={"coverage": "H", "robustness": "M", "input_diversity": "M"},
        notes="Ünïcode & <b>markup</b>",
        owner="Legal",
        due_date=dt.date(2027, 1, 31),
        actions_in_place=[0, 2],
        flagged=True,
        target=5,
    )
    s.record(a.id, "MAP 1.1", not_applicable=True, na_rationale="Internal tool only")
    s.add_link(a.id, "GOVERN 1.1", "Policy", "https://example.org/policy")
    return a.id


def _db_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_is_identical(ctx, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.services.bootstrap import open_services

    ex = ExchangeService(ctx)
    out = ex.export_json(filled, tmp_path / "a.json")
    other = open_services(str(tmp_path / "other" / "db.sqlite3"), catalog=ctx.catalog)
    try:
        new_id = ExchangeService(other).import_file(out)
        a, b = AssessmentService(ctx).get(filled), AssessmentService(other).get(new_id)
        assert a.model_dump(exclude={"id", "last_subcategory"}) == b.model_dump(
            exclude={"id", "last_subcategory"}
        )
        assert b.is_cycle and b.uid == a.uid  # moved, not copied: the same assessment
        assert AssessmentService(ctx).answers(filled) == AssessmentService(other).answers(new_id)
        assert AnswerService(ctx).history(filled) == AnswerService(other).history(new_id)
        doc_a = ex.document(filled).model_dump(exclude={"exported_at"})
        doc_b = ExchangeService(other).document(new_id).model_dump(exclude={"exported_at"})
        assert doc_a == doc_b
    finally:
        other.db.dispose()


def test_reimport_into_the_same_database_is_a_marked_copy(ctx, filled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: importing an assessment the database already holds must not make a second
    cycle of its AI system: it is named and marked a copy, and stays out of the trend."""
    from app.domain.assessment import Origin
    from app.services.progress import ProgressService

    ex = ExchangeService(ctx)
    new_id = ex.import_file(ex.export_json(filled, tmp_path / "a.json"))
    original, copy = AssessmentService(ctx).get(filled), AssessmentService(ctx).get(new_id)
    assert copy.name == "Chatbot 2026 (imported copy)"
    assert copy.origin is Origin.COPY and copy.copy_of == original.uid != copy.uid
    assert not copy.is_cycle and original.is_cycle
    assert AssessmentService(ctx).answers(filled) == AssessmentService(ctx).answers(new_id)
    assert [p.assessment.id for p in ProgressService(ctx).trend("Support chatbot")] == [filled]
    both = ProgressService(ctx).trend("Support chatbot", include_copies=True)
    assert [p.assessment.id for p in both] == [filled, new_id]
    # The copy's export is an ordinary export of the copy (origin is local to a database).
    assert ex.document(new_id).assessment.uid == copy.uid


def _mutations() -> dict[str, object]:
    def answers(doc: dict, fn) -> dict:  # type: ignore[no-untyped-def]
        fn(doc["answers"])
        return doc

    return {
        "truncated": "TRUNCATE",
        "not json object": lambda d: [1, 2],
        "wrong type": lambda d: {**d, "assessment": {**d["assessment"], "default_target": "x"}},
        "unknown subcategory": lambda d: answers(
            d, lambda a: a[0].update(subcategory_id="GOVERN 42.1")
        ),
        "duplicate subcategory": lambda d: answers(d, lambda a: a.append(dict(a[0]))),
        "rating out of range": lambda d: answers(
            d,
            lambda a: a[0].update(
                metrics={"coverage": "Z", "robustness": "M", "input_diversity": "M"}
            ),
        ),
        "target out of range": lambda d: answers(d, lambda a: a[0].update(target=6)),
        # One date rule for window, CLI and import (domain.date_input).
        "impossible due date": lambda d: answers(d, lambda a: a[0].update(due_date="2027-02-31")),
        "due date as week date": lambda d: answers(d, lambda a: a[0].update(due_date="2027W011")),
        "due date as a number": lambda d: answers(d, lambda a: a[0].update(due_date=1800000000)),
        "future version": lambda d: {**d, "format_version": 99},
        "not our format": lambda d: {**d, "format": "something-else"},
        "control character": lambda d: answers(d, lambda a: a[0].update(notes="a\x07b")),
        "na without rationale": lambda d: answers(
            d, lambda a: [x.update(na_rationale="") for x in a if x["not_applicable"]]
        ),
        "history altered": lambda d: {
            **d,
            "history": [{**d["history"][0], "new": "forged"}, *d["history"][1:]],
        },
        "deep nesting": "NEST",
    }


@pytest.mark.parametrize("kind", list(_mutations()))
def test_malformed_import_is_refused_and_db_unchanged(ctx, filled, tmp_path, db_path, kind) -> None:  # type: ignore[no-untyped-def]
    ex = ExchangeService(ctx)
    good = ex.export_json(filled, tmp_path / "good.json")
    mutate = _mutations()[kind]
    bad = tmp_path / "bad.json"
    if mutate == "TRUNCATE":
        bad.write_bytes(good.read_bytes()[:500])
    elif mutate == "NEST":
        text = good.read_text()
        bad.write_text('{"deep": ' + "[" * 100_000 + "]" * 100_000 + ", " + text[1:])
    else:
        doc = mutate(json.loads(good.read_text()))  # type: ignore[operator]
        bad.write_text(json.dumps(doc))
    ctx.db.dispose()  # let every write reach the main file so its bytes can be compared
    before = _db_digest(db_path)
    with pytest.raises(InvalidInput) as info:
        ex.import_file(bad)
    assert str(bad) in str(info.value)
    ctx.db.dispose()
    assert _db_digest(db_path) == before
    assert len(AssessmentService(ctx).list()) == 1


def test_oversized_file_refused_before_parsing(ctx, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.services.exchange as exchange

    monkeypatch.setattr(exchange, "MAX_IMPORT_BYTES", 1000)
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * 2000 + b"}")
    with pytest.raises(InvalidInput, match="at most"):
        ExchangeService(ctx).import_file(big)
