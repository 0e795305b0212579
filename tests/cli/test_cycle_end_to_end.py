"""Issue 14's proof: one whole assessment cycle driven through ``airmf`` as three people would.

Alice assesses (answers, actions, dated evidence, asks for review), Bob reviews (approves one
answer, returns another with a comment), Carol approves; the four-eyes rule refuses Alice as
approver. The signed cycle verifies, the next cycle carries the open action and the AI-system
profile, and a JSON export/import round trip keeps actions, reviews, profile and evidence dates.

Dates are chosen far from today (2020, 2099) so that "expired", "current" and "overdue" do not
depend on the day the test runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import pytest

from app.cli.main import main


class Airmf(Protocol):
    def __call__(self, *args: str, who: str = "alice") -> tuple[int, str, str]: ...


@pytest.fixture
def airmf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Airmf:
    db = tmp_path / "cycle.sqlite3"

    def run(*args: str, who: str = "alice") -> tuple[int, str, str]:
        code = main(["--db", str(db), "--as", who, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0, err
    assert "Traceback" not in err
    return out


def _json(result: tuple[int, str, str]) -> Any:
    return json.loads(_ok(result))


def _actions(airmf: Airmf, aid: str) -> dict[str, dict[str, Any]]:
    return {a["title"]: a for a in _json(airmf("action", "list", aid, "--json"))}


def _reviews(airmf: Airmf, aid: str) -> dict[str, dict[str, Any]]:
    return {r["subcategory"]: r for r in _json(airmf("review", aid, "--list", "--json"))}


def _evidence_dates(airmf: Airmf, aid: str, sub: str) -> list[tuple[str, str, str]]:
    """(title, as of, valid until) of each evidence item, read from a JSON export."""
    out = _ok(airmf("export", aid, "-o", "-"))
    answers = {a["subcategory_id"]: a for a in json.loads(out)["answers"]}
    return [(e["title"], e["as_of"], e["valid_until"]) for e in answers[sub]["evidence"]]


PROFILE = {
    "risk_tier": "high",
    "intended_use": "Flag card fraud for analyst review",
    "deployment_status": "operate_and_monitor",
    "model_type": "gradient-boosted trees",
    "model_vendor": "in-house",
    "data_categories": ["transactions", "device data"],
    "affected_populations": ["card holders"],
}


def _first_cycle(airmf: Airmf, tmp_path: Path) -> str:
    """Alice's and Bob's part of cycle 1; returns the assessment id (a draft)."""
    aid = _ok(airmf("assessment", "create", "--name", "FY27 Q1", "--system", "Fraud model")).strip()
    _ok(
        airmf(
            "assessment",
            "edit",
            aid,
            "--risk-tier",
            "high",
            "--intended-use",
            PROFILE["intended_use"],
            "--lifecycle-stage",
            "operate_and_monitor",
            "--model-type",
            PROFILE["model_type"],
            "--model-vendor",
            "in-house",
            "--data-categories",
            "transactions; device data",
            "--affected-populations",
            "card holders",
        )
    )
    for sub, level in (("GOVERN 1.1", "H"), ("GOVERN 1.2", "L"), ("MAP 1.1", "M")):
        _ok(
            airmf(
                "answer",
                aid,
                sub,
                "--coverage",
                level,
                "--robustness",
                level,
                "--diversity",
                level,
            )
        )
    _ok(
        airmf(
            "action",
            "add",
            aid,
            "GOVERN 1.2",
            "--title",
            "Write the AI policy",
            "--owner",
            "Dana",
            "--due",
            "2099-03-31",
            "--priority",
            "high",
        )
    )
    _ok(airmf("action", "add", aid, "MAP 1.1", "--title", "Late inventory", "--due", "2020-01-31"))
    _ok(airmf("action", "add", aid, "GOVERN 1.1", "--title", "Publish charter"))
    charter = _actions(airmf, aid)["Publish charter"]["id"]
    _ok(airmf("action", "update", aid, charter, "--status", "done"))

    policy = tmp_path / "policy.txt"
    policy.write_text("AI policy v3, approved by the board\n", encoding="utf-8")
    _ok(
        airmf(
            "evidence",
            "add",
            aid,
            "GOVERN 1.1",
            "--file",
            str(policy),
            "--as-of",
            "2026-09-30",
            "--valid-until",
            "2099-09-30",
        )
    )
    _ok(
        airmf(
            "evidence",
            "add",
            aid,
            "GOVERN 1.2",
            "--link",
            "https://intranet.example/old-policy",
            "--title",
            "Old policy",
            "--as-of",
            "2019-01-01",
            "--valid-until",
            "2020-06-30",
        )
    )

    for sub in ("GOVERN 1.1", "GOVERN 1.2"):
        _ok(airmf("review", aid, sub, "--ready"))
    _ok(airmf("review", aid, "GOVERN 1.1", "--approve", who="bob"))
    _ok(airmf("review", aid, "GOVERN 1.2", "--return", "--comment", "Policy expired", who="bob"))
    return aid


def test_a_whole_cycle_through_the_command_line(airmf: Airmf, tmp_path: Path) -> None:
    aid = _first_cycle(airmf, tmp_path)

    # What the people see before signing.
    actions = _actions(airmf, aid)
    assert actions["Write the AI policy"]["owner"] == "Dana"
    assert actions["Write the AI policy"]["priority"] == "high"
    assert actions["Late inventory"]["overdue"] is True
    assert actions["Publish charter"]["status"] == "done"
    overdue = _json(airmf("action", "list", aid, "--overdue", "--json"))
    assert [a["title"] for a in overdue] == ["Late inventory"]
    reviews = _reviews(airmf, aid)
    assert reviews["GOVERN 1.1"]["state"] == "reviewed"
    assert reviews["GOVERN 1.2"]["state"] == "returned"
    assert reviews["GOVERN 1.2"]["last_comment"]["text"] == "Policy expired"
    assert reviews["MAP 1.1"]["state"] == "draft"
    score = _json(airmf("score", aid, "--json"))
    assert score["assessment"]["system_profile"] == PROFILE
    assert score["actions"] == {"total": 3, "open": 2, "overdue": 1}
    assert score["evidence_freshness"]["expired"] == {"items": 1, "subcategories": ["GOVERN 1.2"]}
    assert score["evidence_freshness"]["expiring"]["items"] == 0

    # Three-role sign-off. Alice made the last change to the answers: she may not approve.
    roles = [
        "--assessor",
        "alice",
        "--assessor-role",
        "Risk analyst",
        "--reviewer",
        "bob",
        "--reviewer-role",
        "Internal audit",
    ]
    code, _, err = airmf(
        "finalize", aid, "--approver", "Alice", "--role", "CRO", *roles, who="carol"
    )
    assert code == 1
    assert "four-eyes" in err and "GOVERN 1.1" in err and "Traceback" not in err
    assert _json(airmf("score", aid, "--json"))["assessment"]["status"] == "draft"
    out = _ok(
        airmf(
            "finalize",
            aid,
            "--approver",
            "carol",
            "--role",
            "CRO",
            "--statement",
            "Approved for the FY27 Q1 cycle",
            *roles,
            who="carol",
        )
    )
    assert "Assessor: alice (Risk analyst)" in out
    assert "Reviewer: bob (Internal audit)" in out
    assert "Approver: carol (CRO)" in out
    verified = _ok(airmf("verify", aid))
    assert "verifies" in verified and "expired" in verified
    # The locked cycle refuses further work: actions and reviews are part of what was signed.
    code, _, err = airmf("action", "add", aid, "MAP 1.1", "--title", "After the fact")
    assert code != 0 and "Traceback" not in err and err.strip()
    code, _, err = airmf("review", aid, "MAP 1.1", "--ready")
    assert code != 0 and "Traceback" not in err and err.strip()

    # The next cycle: open actions carried over and marked so, the profile carried, the
    # review states and the sign-off starting fresh.
    nid = _ok(airmf("next-cycle", aid, "--name", "FY27 Q2", who="dana")).strip()
    carried = _actions(airmf, nid)
    assert set(carried) == {"Write the AI policy", "Late inventory"}
    assert all(a["carried_over"] for a in carried.values())
    assert carried["Write the AI policy"]["owner"] == "Dana"
    assert carried["Write the AI policy"]["due_date"] == "2099-03-31"
    assert carried["Write the AI policy"]["status"] == "planned"
    assert _json(airmf("score", nid, "--json"))["assessment"]["system_profile"] == PROFILE
    assert {r["state"] for r in _reviews(airmf, nid).values()} == {"draft"}
    assert _evidence_dates(airmf, nid, "GOVERN 1.1") == [("policy.txt", "2026-09-30", "2099-09-30")]

    # Export/import round trip of both cycles: what was exported comes back.
    for source in (aid, nid):
        exported = tmp_path / f"cycle-{source}.json"
        _ok(airmf("export", source, "-o", str(exported)))
        copy = _ok(airmf("import", str(exported), who="erin")).strip()
        assert copy not in (aid, nid)
        assert _actions(airmf, copy) == _actions(airmf, source)
        assert _reviews(airmf, copy) == _reviews(airmf, source)
        for sub in ("GOVERN 1.1", "GOVERN 1.2"):
            assert _evidence_dates(airmf, copy, sub) == _evidence_dates(airmf, source, sub)
        original = json.loads(exported.read_text(encoding="utf-8"))
        again = json.loads(_ok(airmf("export", copy, "-o", "-")))
        for key in ("system_profile", "signoff_roles", "four_eyes_relaxed", "status"):
            assert again["assessment"][key] == original["assessment"][key], key
        for key in ("actions", "reviews", "review_comments"):
            assert again[key] == original[key], key
    assert _evidence_dates(airmf, aid, "GOVERN 1.2") == [("Old policy", "2019-01-01", "2020-06-30")]
    imported_signed = _ok(airmf("import", str(tmp_path / f"cycle-{aid}.json"))).strip()
    assert "verifies" in _ok(airmf("verify", imported_signed))


def test_relaxed_four_eyes_lets_the_last_changer_approve_and_says_so(
    airmf: Airmf, tmp_path: Path
) -> None:
    aid = _first_cycle(airmf, tmp_path)
    code, _, err = airmf("finalize", aid, "--approver", "alice", "--role", "Owner")
    assert code == 1 and "four-eyes" in err
    _ok(airmf("finalize", aid, "--approver", "alice", "--role", "Owner", "--relax-four-eyes"))
    exported = json.loads(_ok(airmf("export", aid, "-o", "-")))
    assert exported["assessment"]["four_eyes_relaxed"] is True
    history = _json(airmf("history", aid, "--json"))
    assert any("four" in e["field"] for e in history)
    assert "verifies" in _ok(airmf("verify", aid))
