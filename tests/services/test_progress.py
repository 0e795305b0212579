"""Compare and trend across three cycles: numbers equal the individual `score --json` outputs."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService


def _m(c: str, r: str, d: str) -> dict[str, str]:
    return {"coverage": c, "robustness": r, "input_diversity": d}


@pytest.fixture
def three_cycles(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    ans, life = AnswerService(ctx), LifecycleService(ctx)
    first = AssessmentService(ctx).create({"name": "C1", "ai_system": "Chatbot"}).id
    ans.record(first, "GOVERN 1.1", metrics=_m("L", "L", "L"))  # 1
    ans.record(first, "GOVERN 1.2", metrics=_m("H", "H", "H"))  # 5
    ans.record(first, "MAP 1.1", metrics=_m("M", "M", "M"))  # 3
    ans.record(first, "MEASURE 1.1", not_applicable=True, na_rationale="No metrics yet")
    second = life.start_next_cycle(first, "C2", from_draft=True).id
    ans.record(second, "GOVERN 1.1", metrics=_m("M", "M", "M"))  # 1 -> 3 improved
    ans.record(second, "GOVERN 1.2", metrics=_m("M", "H", "H"))  # 5 -> 4 regressed
    ans.record(second, "MEASURE 1.1", metrics=_m("H", "H", "M"))  # N/A -> 4 newly rated
    third = life.start_next_cycle(second, "C3", from_draft=True).id
    ans.record(third, "MAP 1.1", not_applicable=True, na_rationale="Out of scope now")
    return [first, second, third]


def _score(db_path, capsys, aid: int) -> dict:  # type: ignore[no-untyped-def]
    assert main(["--db", str(db_path), "score", str(aid), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_compare_matches_individual_scores(ctx, db_path, capsys, three_cycles) -> None:  # type: ignore[no-untyped-def]
    first, second, _ = three_cycles
    a, b = _score(db_path, capsys, first), _score(db_path, capsys, second)
    assert main(["--db", str(db_path), "compare", str(first), str(second), "--json"]) == 0
    nodes = {n["id"]: n for n in json.loads(capsys.readouterr().out)["nodes"]}
    for fa, fb in zip(a["functions"], b["functions"], strict=True):
        assert nodes[fa["id"]]["before"] == fa["score"] and nodes[fb["id"]]["after"] == fb["score"]
        for ca, cb in zip(fa["categories"], fb["categories"], strict=True):
            assert nodes[ca["id"]]["before"] == ca["score"]
            assert nodes[cb["id"]]["after"] == cb["score"]
    assert nodes["GOVERN 1.1"]["change"] == "improved" and nodes["GOVERN 1.1"]["delta"] == 2.0
    assert nodes["GOVERN 1.2"]["change"] == "regressed"
    assert nodes["MEASURE 1.1"]["change"] == "newly rated"
    assert nodes["MEASURE 1.1"]["state_before"] == "N/A"
    assert nodes["MAP 1.1"]["change"] == "same"
    assert (
        main(
            [
                "--db",
                str(db_path),
                "compare",
                str(first),
                str(second),
                "--only",
                "regressions",
                "--json",
            ]
        )
        == 0
    )
    subs = [n for n in json.loads(capsys.readouterr().out)["nodes"] if n["kind"] == "subcategory"]
    assert [n["id"] for n in subs] == ["GOVERN 1.2"]


def test_trend_matches_individual_scores(ctx, db_path, capsys, three_cycles) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(db_path), "trend", "--system", "Chatbot", "--json"]) == 0
    cycles = json.loads(capsys.readouterr().out)["cycles"]
    assert [c["id"] for c in cycles] == three_cycles
    for cycle in cycles:
        single = _score(db_path, capsys, cycle["id"])
        assert cycle["overall"] == {k: v for k, v in single["overall"].items()}
        assert [f["score"] for f in cycle["functions"]] == [f["score"] for f in single["functions"]]
    third = _score(db_path, capsys, three_cycles[2])
    assert third["functions"][1]["score"] is None  # MAP 1.1 became N/A: no MAP score
    assert main(["--db", str(db_path), "trend", "--system", "Nope"]) == 1
