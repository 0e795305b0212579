"""The store contract, run against every engine (SQLite file, PostgreSQL server).

Each test drives the command line over one engine's database as a script would; a new engine is
done when this module passes on it (DESIGN.md, "The store"). The soak test of concurrent
writers is in test_concurrent_writers.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli.main import main


@pytest.fixture
def airmf(store_url, capsys):  # type: ignore[no-untyped-def]
    # On a server the history records the login; a name is chosen only for an SQLite file.
    server = "://" in store_url
    chosen = [] if server else ["--as", "Contract Tester"]

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", store_url, *chosen, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    run.actor = store_url.split("://", 1)[1].split("@", 1)[0] if server else "Contract Tester"  # type: ignore[attr-defined]
    return run


def _create(airmf, name: str = "Q1", system: str = "Loan scorer") -> str:  # type: ignore[no-untyped-def]
    code, out, err = airmf(
        "assessment", "create", "--name", name, "--system", system, "--target", "3"
    )
    assert code == 0, err
    return out.strip()


def _rate(airmf, aid: str, sub: str, c: str, r: str, d: str, *more: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = airmf(
        "answer", aid, sub, "--coverage", c, "--robustness", r, "--diversity", d, *more
    )
    assert code == 0, err


def test_answers_scores_and_history(airmf) -> None:  # type: ignore[no-untyped-def]
    aid = _create(airmf)
    _rate(airmf, aid, "GOVERN 1.1", "H", "H", "M", "--notes", "Policy v2 — approved ✓")
    _rate(airmf, aid, "GOVERN 1.2", "L", "M", "L", "--owner", "Legal")
    assert airmf("answer", aid, "MAP 1.1", "--na", "--rationale", "Not deployed")[0] == 0
    score = json.loads(airmf("score", aid, "--json")[1])
    gv1 = score["functions"][0]["categories"][0]
    assert [s["score"] for s in gv1["subcategories"][:2]] == [4.0, 2.0]
    assert score["overall"]["rated"] == 2 and score["overall"]["not_applicable"] == 1

    entries = json.loads(airmf("history", aid, "--json")[1])
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert {e["actor"] for e in entries} == {airmf.actor}
    notes = [e for e in entries if e["field"] == "notes"]
    assert notes and notes[-1]["new"] == "Policy v2 — approved ✓"  # Unicode kept exactly
    assert airmf("history", "verify", aid)[0] == 0

    listed = json.loads(airmf("assessment", "list", "--json")[1])
    found = [(a["id"], a["name"], a["ai_system"]) for a in listed]
    assert found == [(int(aid), "Q1", "Loan scorer")]


def test_refused_input_changes_nothing(airmf) -> None:  # type: ignore[no-untyped-def]
    aid = _create(airmf)
    _rate(airmf, aid, "GOVERN 1.1", "M", "M", "M")
    before = (airmf("history", aid, "--json")[1], airmf("score", aid, "--json")[1])
    code, _, err = airmf("answer", aid, "GOVERN 1.1", "--na")  # no rationale: refused
    assert code == 1 and err.startswith("airmf: ") and "Traceback" not in err
    code, _, err = airmf("answer", "424242", "GOVERN 1.1", "--notes", "x")
    assert code == 1 and "424242" in err
    assert (airmf("history", aid, "--json")[1], airmf("score", aid, "--json")[1]) == before


def test_cycle_finalize_verify_reopen_next_compare(airmf) -> None:  # type: ignore[no-untyped-def]
    aid = _create(airmf)
    _rate(airmf, aid, "GOVERN 1.1", "M", "M", "M")
    _rate(airmf, aid, "MEASURE 2.1", "H", "H", "H")
    code, _, err = airmf("finalize", aid, "--signer", "Ann Lee", "--role", "Chief Risk Officer")
    assert code == 0, err
    code, out, err = airmf("verify", aid)
    assert code == 0, err
    code, _, err = airmf("answer", aid, "GOVERN 1.1", "--notes", "late edit")
    assert code == 1 and "finalized" in err.lower()
    assert airmf("reopen", aid, "--reason", "Auditor asked for MAP evidence")[0] == 0
    assert airmf("finalize", aid, "--signer", "Ann Lee", "--role", "CRO")[0] == 0

    code, out, err = airmf("next-cycle", aid, "--name", "Q2")
    assert code == 0, err
    nid = out.strip()
    assert nid.isdigit() and nid != aid
    _rate(airmf, nid, "GOVERN 1.1", "H", "H", "H")
    comparison = json.loads(airmf("compare", aid, nid, "--json")[1])
    changed = {n["id"]: n["change"] for n in comparison["nodes"]}
    assert changed["GOVERN 1.1"] == "improved"
    trend = json.loads(airmf("trend", "--system", "Loan scorer", "--json")[1])
    assert int(aid) in [c["id"] for c in trend["cycles"]]


def test_export_import_round_trip_and_delete(airmf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = _create(airmf)
    _rate(airmf, aid, "GOVERN 1.1", "H", "M", "M", "--notes", "line one\nline two\ttabbed")
    assert airmf("answer", aid, "MAP 1.1", "--na", "--rationale", "No external users")[0] == 0
    export = tmp_path / "q1.json"
    assert airmf("export", aid, "--format", "json", "-o", str(export))[0] == 0
    code, out, err = airmf("import", str(export))
    assert code == 0, err
    copy = out.strip()
    original = json.loads(airmf("score", aid, "--json")[1])
    imported = json.loads(airmf("score", copy, "--json")[1])
    assert imported["functions"] == original["functions"]
    assert airmf("history", "verify", copy)[0] == 0

    assert airmf("assessment", "delete", copy, "--yes")[0] == 0
    ids = [a["id"] for a in json.loads(airmf("assessment", "list", "--json")[1])]
    assert int(copy) not in ids and int(aid) in ids
    code, _, err = airmf("score", copy)
    assert code == 1 and copy in err


def test_schema_is_at_head(store_url: str, catalog) -> None:  # type: ignore[no-untyped-def]
    from app.persistence.database import current_revision, head_revision
    from app.services.bootstrap import open_services

    ctx = open_services(store_url, catalog=catalog)
    try:
        assert current_revision(ctx.db.engine) == head_revision()
    finally:
        ctx.db.dispose()
    again = open_services(store_url, catalog=catalog)  # reopening an up-to-date store is a no-op
    try:
        assert current_revision(again.db.engine) == head_revision()
    finally:
        again.db.dispose()


def test_evidence_commands(airmf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = _create(airmf)
    policy = tmp_path / "policy.pdf"
    policy.write_bytes(b"%PDF-1.4 policy v2")
    code, out, err = airmf("evidence", "add", aid, "GOVERN 1.1", "--file", str(policy))
    assert code == 0, err
    assert "policy.pdf" in out
    code, _, err = airmf(
        "evidence",
        "add",
        aid,
        "GV-1.1",
        "--link",
        "https://intranet.example/ai-policy",
        "--title",
        "AI policy page",
    )
    assert code == 0, err
    items = json.loads(airmf("evidence", "list", aid, "--json")[1])
    assert [(e["index"], e["kind"], e["title"]) for e in items] == [
        (1, "file", "policy.pdf"),
        (2, "link", "AI policy page"),
    ]
    import hashlib

    assert items[0]["sha256"] == hashlib.sha256(b"%PDF-1.4 policy v2").hexdigest()
    assert items[0]["file_state"] == "ok"
    code, out, _ = airmf("evidence", "list", aid, "GOVERN 1.1")
    assert "AI policy page" in out and "policy.pdf" in out

    code, _, err = airmf("evidence", "remove", aid, "GOVERN 1.1", "3")
    assert code == 1 and "no evidence item 3" in err
    code, _, err = airmf("evidence", "add", aid, "GOVERN 1.1", "--link", "not a link")
    assert code == 1 and "not a link" in err
    assert airmf("evidence", "remove", aid, "GOVERN 1.1", "1")[0] == 0
    items = json.loads(airmf("evidence", "list", aid, "--json")[1])
    assert [e["title"] for e in items] == ["AI policy page"]
    assert airmf("history", "verify", aid)[0] == 0
