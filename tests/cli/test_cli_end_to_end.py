"""The ``airmf`` command line end to end in a temporary folder, as a script would use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main


@pytest.fixture
def airmf(tmp_path, capsys):  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.sqlite3"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    run.db = db  # type: ignore[attr-defined]
    return run


def test_create_answer_score_export_import(airmf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = airmf(
        "assessment", "create", "--name", "Q1", "--system", "Fraud model", "--target", "4"
    )
    assert code == 0
    aid = out.strip()
    assert aid.isdigit()
    assert (
        airmf(
            "answer",
            aid,
            "GOVERN 1.1",
            "--coverage",
            "H",
            "--robustness",
            "H",
            "--diversity",
            "M",
            "--notes",
            "Policy approved",
        )[0]
        == 0
    )
    assert (
        airmf(
            "answer",
            aid,
            "GV-1.2",
            "--coverage",
            "L",
            "--robustness",
            "M",
            "--diversity",
            "L",
            "--target",
            "3",
        )[0]
        == 0
    )
    code, out, _ = airmf("answer", aid, "MAP 1.1", "--na", "--rationale", "Not deployed yet")
    assert code == 0 and "not applicable" in out

    code, out, _ = airmf("score", aid, "--json")
    data = json.loads(out)
    assert data["assessment"]["name"] == "Q1"
    govern = data["functions"][0]
    assert govern["id"] == "GOVERN"
    gv1 = govern["categories"][0]
    assert gv1["subcategories"][0]["score"] == 4.0  # 3+3+2 = 8 -> 4
    assert gv1["subcategories"][1]["score"] == 2.0  # 1+2+1 = 4 -> 2
    assert gv1["score"] == 3.0 and gv1["provisional"] is True
    assert gv1["subcategories"][1]["gap"] == 1.0
    # Issue 11: the category's gap is its mean target (4 and 3) minus its score, beside how many
    # of its subcategories are below target.
    assert gv1["target"] == 3.5 and gv1["gap"] == 0.5 and gv1["below_target"] == 1
    assert [s["below_target"] for s in gv1["subcategories"][:2]] == [0, 1]
    assert data["overall"]["completion"] == pytest.approx(3 / 72, abs=1e-4)
    assert data["overall"]["level_name"] == "Established"

    code, out, _ = airmf("score", aid)
    assert "GOVERN" in out and "provisional" in out

    export = tmp_path / "q1.json"
    assert airmf("export", aid, "--format", "json", "-o", str(export))[0] == 0
    code, out, _ = airmf("import", str(export))
    assert code == 0
    new_id = out.strip()
    _, again, _ = airmf("score", new_id, "--json")
    original = json.loads(airmf("score", aid, "--json")[1])
    imported = json.loads(again)
    assert imported["functions"] == original["functions"]

    code, out, _ = airmf("assessment", "list", "--json")
    listed = json.loads(out)
    assert [a["name"] for a in listed] == ["Q1 (imported copy)", "Q1"]  # same uid: a copy
    assert airmf("history", "verify", aid)[0] == 0
    code, out, _ = airmf("history", aid, "GOVERN 1.1")
    assert "notes" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "answer",
                "{id}",
                "GOVERN 77.1",
                "--coverage",
                "H",
                "--robustness",
                "H",
                "--diversity",
                "H",
            ],
            "unknown subcategory",
        ),
        (
            [
                "answer",
                "{id}",
                "GOVERN 1.1",
                "--coverage",
                "Q",
                "--robustness",
                "H",
                "--diversity",
                "H",
            ],
            "Coverage",
        ),
        (["answer", "{id}", "GOVERN 1.1", "--coverage", "H"], "all three metrics"),
        (["answer", "{id}", "GOVERN 1.1", "--na"], "rationale"),
        (["answer", "{id}", "GOVERN 1.1", "--level", "3"], "not a direct level"),
        (["answer", "{id}", "GOVERN 1.1", "--due", "2026-02-30"], "February 2026 has no day 30"),
        (["answer", "{id}", "GOVERN 1.1", "--due", "1999-13-45"], "no month 13"),
        (["answer", "{id}", "GOVERN 1.1", "--due", "2027W011"], "YYYY-MM-DD"),
        (["answer", "999", "GOVERN 1.1", "--notes", "x"], "no assessment with id 999"),
        (["score", "999"], "no assessment"),
    ],
)
def test_bad_input_gives_one_message_and_writes_nothing(airmf, args, message) -> None:  # type: ignore[no-untyped-def]
    aid = airmf("assessment", "create", "--name", "X")[1].strip()
    before = airmf("history", aid, "--json")[1]
    code, out, err = airmf(*[a.replace("{id}", aid) for a in args])
    assert code == 1
    assert message in err and err.startswith("airmf: ") and err.count("\n") == 1
    assert airmf("history", aid, "--json")[1] == before


def test_malformed_import_exit_code(airmf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "airmf-assessment", ')
    code, _, err = airmf("import", str(bad))
    assert code == 1 and "not valid JSON" in err and str(bad) in err


def test_unopenable_database(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 10)
    assert main(["--db", str(junk), "assessment", "list"]) == 1
    err = capsys.readouterr().err
    assert str(junk) in err and "not an SQLite database" in err
    assert junk.read_bytes() == b"this is not a database at all" * 10


def test_direct_scheme_from_cli(airmf) -> None:  # type: ignore[no-untyped-def]
    aid = airmf("assessment", "create", "--name", "D", "--scheme", "direct")[1].strip()
    assert airmf("answer", aid, "MEASURE 2.1", "--level", "4")[0] == 0
    data = json.loads(airmf("score", aid, "--json")[1])
    assert data["functions"][2]["score"] == 4.0


def test_frameworks_list_and_env_db(tmp_path) -> None:
    env = {**os.environ, "AIRMF_DB": str(tmp_path / "env.sqlite3")}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "frameworks", "list"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "nist-ai-rmf-1.0" in result.stdout and "72" in result.stdout
    assert "rubric" in result.stdout and "nist-ai-600-1" in result.stdout
    assert Path(env["AIRMF_DB"]).exists()


def test_history_records_who(airmf, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    aid = airmf("assessment", "create", "--name", "Who")[1].strip()
    assert airmf("--as", "Dana Reyes", "answer", aid, "GOVERN 1.1", "--notes", "a")[0] == 0
    monkeypatch.setenv("AIRMF_ACTOR", "Sam Ortiz")
    assert airmf("answer", aid, "GOVERN 1.1", "--notes", "b")[0] == 0
    entries = json.loads(airmf("history", aid, "--json")[1])
    assert [e["actor"] for e in entries] == ["Dana Reyes", "Sam Ortiz"]
