"""Import verifies what a file claims: a forged or cut history, answers that differ from their
history, and a sign-off that does not match are refused with nothing written; format 1 files
(entries with their old text) are still read and keep verifying."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.assessment import HistoryEntry
from app.domain.exchange import fingerprint
from app.domain.history import GENESIS, chain, with_old_values
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput
from app.services.exchange import ExchangeService
from app.services.lifecycle import LifecycleService

RATING = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


@pytest.fixture
def source(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Signed", "ai_system": "Scorer"})
    answers = AnswerService(ctx)
    answers.record(a.id, "GOVERN 1.1", metrics=RATING, notes="v1")
    answers.record(a.id, "GOVERN 1.1", notes="v2")
    return a.id


def _export(ctx, aid: int, tmp_path: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    out = ExchangeService(ctx).export_json(aid, tmp_path / f"{aid}.json")
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def _refused(ctx, tmp_path: Path, doc: dict[str, Any], match: str) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    count = len(AssessmentService(ctx).list())
    with pytest.raises(InvalidInput, match=match) as info:
        ExchangeService(ctx).import_file(bad)
    assert str(bad) in str(info.value)
    assert len(AssessmentService(ctx).list()) == count


def test_export_is_format_2_with_compact_entries_and_the_head(ctx, source, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = _export(ctx, source, tmp_path)
    assert doc["format_version"] == 3
    assert all("old" not in e for e in doc["history"])
    assert doc["assessment"]["history_count"] == len(doc["history"])
    assert doc["assessment"]["history_head"] == doc["history"][-1]["entry_hash"]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d["assessment"].update(finalized_by="Mallory"), "finalized_by"),
        (lambda d: d["assessment"].update(fingerprint="0" * 64), "fingerprint"),
        (lambda d: d["assessment"].update(finalized_statement="We approve all"), "fingerprint"),
        (lambda d: d["answers"][0].update(notes="forged"), "GOVERN 1.1 notes"),
        (lambda d: d.update(history=d["history"][:-1]), "ends at entry"),
        (lambda d: d["assessment"].update(history_count=None), "history_count"),
    ],
    ids=["signer", "fingerprint", "statement", "answer", "cut history", "no head"],
)
def test_a_forged_finalized_file_is_refused(ctx, source, tmp_path, change, match) -> None:  # type: ignore[no-untyped-def]
    LifecycleService(ctx).finalize(source, "Ann Lee", "CRO", "Approved")
    doc = _export(ctx, source, tmp_path)
    change(doc)
    _refused(ctx, tmp_path, doc, match)


def test_a_draft_claiming_to_be_finalized_is_refused(ctx, source, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = _export(ctx, source, tmp_path)
    doc["assessment"].update(
        status="finalized", finalized_by="Anyone", finalized_role="CEO", fingerprint="ab" * 32
    )
    _refused(ctx, tmp_path, doc, "sign-off")


def test_a_cut_history_with_a_matching_head_is_refused_by_the_replay(ctx, source, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = _export(ctx, source, tmp_path)
    doc["history"] = doc["history"][:-1]
    doc["assessment"].update(
        history_count=len(doc["history"]), history_head=doc["history"][-1]["entry_hash"]
    )
    _refused(ctx, tmp_path, doc, "changed outside the history")


def _as_format_1(doc: dict[str, Any]) -> dict[str, Any]:
    """What the previous version exported: every entry with its old text, hashed with it."""
    entries = with_old_values(HistoryEntry.model_validate(e) for e in doc["history"])
    legacy = chain(entries, GENESIS, 1)  # entries with an old value hash it (format 1)
    assessment = {
        k: v for k, v in doc["assessment"].items() if k not in {"history_count", "history_head"}
    }
    return {
        **doc,
        "format_version": 1,
        "assessment": assessment,
        "history": [e.model_dump(mode="json") for e in legacy],
    }


def test_a_format_1_export_still_imports_and_verifies(ctx, source, tmp_path) -> None:  # type: ignore[no-untyped-def]
    v1 = _as_format_1(_export(ctx, source, tmp_path))
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(v1))
    new_id = ExchangeService(ctx).import_file(path)
    answers = AnswerService(ctx)
    assert answers.check_history(new_id).ok
    notes = [(e.old, e.new) for e in answers.history(new_id, "GOVERN 1.1") if e.field == "notes"]
    assert notes == [("", "v1"), ("v1", "v2")]
    # New changes continue the chain compactly after the format 1 entries.
    answers.record(new_id, "GOVERN 1.1", notes="v3")
    assert answers.check_history(new_id).ok
    again = _export(ctx, new_id, tmp_path)
    assert [("old" in e) for e in again["history"]] == [True] * len(v1["history"]) + [False]


def test_a_format_1_finalized_export_verifies_with_its_answers_only_fingerprint(
    ctx, source, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    LifecycleService(ctx).finalize(source, "Ann Lee", "CRO")
    v1 = _as_format_1(_export(ctx, source, tmp_path))
    answers = [AnswerService(ctx).get(source, a["subcategory_id"]) for a in v1["answers"]]
    v1["assessment"]["fingerprint"] = fingerprint(answers)  # what the previous version stored
    path = tmp_path / "v1-final.json"
    path.write_text(json.dumps(v1))
    new_id = ExchangeService(ctx).import_file(path)
    v = LifecycleService(ctx).verify(new_id)
    assert v.matches and v.legacy
    v1["assessment"]["finalized_by"] = "Mallory"  # not in the fingerprint, but in the history
    _refused(ctx, tmp_path, v1, "finalized_by")
