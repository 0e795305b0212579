"""JSON export/import (format 3) carries review states, comment threads, sign-off roles and
the four-eyes setting; format 2 exports still import; review data that disagrees with the
history (which the fingerprint covers) is refused with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.review import ReviewAction, ReviewState, RoleKind
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput
from app.services.exchange import ExchangeService
from app.services.lifecycle import LifecycleService, RoleInput
from app.services.review import ReviewService

M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def source(ctx) -> int:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Q4", "ai_system": "Claims"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=M)
    AnswerService(ctx).record(aid, "MAP 1.1", notes="draft")
    reviews = ReviewService(ctx)
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    reviews.act(aid, "MAP 1.1", ReviewAction.READY)
    ctx.actor = "sam"
    reviews.act(aid, "GOVERN 1.1", ReviewAction.APPROVE, "Looks right")
    reviews.act(aid, "MAP 1.1", ReviewAction.RETURN, "Rate it")
    LifecycleService(ctx).finalize(
        aid,
        "tester",
        "CRO",
        "ok",
        assessor=RoleInput("Dana", "Lead"),
        reviewer=RoleInput("Sam", "Audit", "Checked"),
        relax_four_eyes=True,
    )
    return aid


def _export(ctx, aid: int, tmp_path: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    out = ExchangeService(ctx).export_json(aid, tmp_path / f"{aid}.json")
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def _import(ctx, tmp_path: Path, doc: dict[str, Any]) -> int:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc))
    return ExchangeService(ctx).import_file(path)


def test_round_trip_keeps_review_data_and_verifies(ctx, source, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = _export(ctx, source, tmp_path)
    assert doc["format_version"] == 3
    assert [(r["subcategory_id"], r["state"]) for r in doc["reviews"]] == [
        ("GOVERN 1.1", "reviewed"),
        ("MAP 1.1", "returned"),
    ]
    assert [c["text"] for c in doc["review_comments"]] == ["Looks right", "Rate it"]
    assert [r["kind"] for r in doc["assessment"]["signoff_roles"]] == [
        "assessor",
        "reviewer",
        "approver",
    ]
    assert doc["assessment"]["four_eyes_relaxed"] is True
    new = _import(ctx, tmp_path, doc)
    reviews = ReviewService(ctx)
    assert {k: v.state for k, v in reviews.states(new).items()} == {
        "GOVERN 1.1": ReviewState.REVIEWED,
        "MAP 1.1": ReviewState.RETURNED,
    }
    assert reviews.thread(new, "MAP 1.1")[0].author == "sam"
    block = reviews.signoff(new)
    assert block.four_eyes_relaxed
    assert block.role(RoleKind.REVIEWER).statement == "Checked"  # type: ignore[union-attr]
    assert LifecycleService(ctx).verify(new).matches


def test_a_format_2_export_still_imports(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Old", "ai_system": "Claims"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=M)
    LifecycleService(ctx).finalize(aid, "Ann", "CRO")
    doc = _export(ctx, aid, tmp_path)
    doc["format_version"] = 2
    for key in ("reviews", "review_comments"):
        del doc[key]
    for key in ("signoff_roles", "four_eyes_relaxed"):
        del doc["assessment"][key]
    new = _import(ctx, tmp_path, doc)
    block = ReviewService(ctx).signoff(new)
    assert [(r.kind, r.name) for r in block.roles] == [(RoleKind.APPROVER, "Ann")]
    assert ReviewService(ctx).states(new) == {}
    assert LifecycleService(ctx).verify(new).matches


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d["reviews"][0].update(state="ready_for_review"), "review state is ready"),
        (lambda d: d["reviews"].pop(), "review state is draft, the history says returned"),
        (lambda d: d["review_comments"][0].update(text="Forged"), "review comments"),
        (lambda d: d["review_comments"].pop(), "review comments"),
        (lambda d: d["assessment"]["signoff_roles"][1].update(name="Mallory"), "sign-off roles"),
        (lambda d: d["assessment"].update(four_eyes_relaxed=False), "four-eyes"),
        (lambda d: d["assessment"]["signoff_roles"].reverse(), "signoff_roles|at most once"),
        (lambda d: d["reviews"][0].update(subcategory_id="GOVERN 9.9"), "unknown"),
        (lambda d: d["reviews"][0].update(state="approved"), "reviews.0.state"),
    ],
)
def test_review_data_that_disagrees_with_the_history_is_refused(  # type: ignore[no-untyped-def]
    ctx, source, tmp_path, change, match
) -> None:
    doc = _export(ctx, source, tmp_path)
    change(doc)
    count = len(AssessmentService(ctx).list())
    with pytest.raises(InvalidInput, match=match):
        _import(ctx, tmp_path, doc)
    assert len(AssessmentService(ctx).list()) == count
