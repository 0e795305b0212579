"""``airmf export --format xlsx|csv|oscal`` and ``airmf import F --into ID [--dry-run]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from tests.interchange.conftest import edit


@pytest.fixture
def airmf(tmp_path: Path, capsys: Any) -> Any:
    db = str(tmp_path / "cli.sqlite3")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", db, "--as", "Cli Tester", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, err = run("assessment", "create", "--name", "Q1")
    assert code == 0, err
    run("answer", "1", "GV-1.1", "--coverage", "H", "--robustness", "M", "--diversity", "L")
    run("answer", "1", "MAP 1.1", "--owner", "Kim")
    return run


def test_workbook_round_trip_with_dry_run(airmf: Any, tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    code, out, err = airmf("export", "1", "--format", "xlsx", "-o", str(path))
    assert code == 0, err
    assert "all subcategories" in out
    edit(path, {("GOVERN 1.1", "coverage"): "L", ("GOVERN 1.1", "notes"): "from the sheet"})
    code, out, err = airmf("import", str(path), "--into", "1", "--dry-run")
    assert code == 0, err
    assert "row 2 GOVERN 1.1 metrics: change:" in out
    assert "row 2 GOVERN 1.1 notes: change: '' -> 'from the sheet'" in out
    assert "dry run: 2 field(s) would change, 0 conflict(s); nothing was written" in out
    code, out, _err = airmf("history", "1", "GOVERN 1.1", "--json")
    assert all(e["actor"] == "Cli Tester" for e in json.loads(out))
    code, out, err = airmf("import", str(path), "--into", "1")
    assert code == 0, err
    assert "changed 2 field(s) of assessment 1 from q.xlsx" in out
    code, out, _err = airmf("history", "1", "GOVERN 1.1", "--json")
    assert [e["actor"] for e in json.loads(out)][-2:] == ["Cli Tester (from q.xlsx)"] * 2


def test_conflicts_are_reported_not_overwritten(airmf: Any, tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    airmf("export", "1", "--format", "xlsx", "-o", str(path))
    airmf("answer", "1", "MAP 1.1", "--owner", "Lee")
    edit(path, {("MAP 1.1", "owner"): "Sam"})
    code, out, err = airmf("import", str(path), "--into", "1")
    assert code == 0
    assert "MAP 1.1 owner: CONFLICT (kept the app's value): 'Lee' -> 'Sam'" in out
    assert "were not overwritten" in err
    code, out, _err = airmf("score", "1", "--json")
    code, out, _err = airmf("history", "1", "MAP 1.1", "--json")
    assert json.loads(out)[-1]["new"] == "Lee"


def test_invalid_workbook_is_one_message_exit_1(airmf: Any, tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    airmf("export", "1", "--format", "xlsx", "-o", str(path))
    edit(path, {("GOVERN 1.1", "target"): 9})
    code, out, err = airmf("import", str(path), "--into", "1")
    assert code == 1 and out == ""
    assert err.startswith("airmf: q.xlsx: sheet Questionnaire, row 2, column J (target):")
    assert "Traceback" not in err


def test_respondent_subset_and_csv(airmf: Any, tmp_path: Path) -> None:
    path = tmp_path / "kim.xlsx"
    code, out, err = airmf("export", "1", "--format", "xlsx", "--owner", "kim", "-o", str(path))
    assert code == 0, err
    assert "(owner kim)" in out
    code, out, err = airmf("export", "1", "--format", "csv", "--function", "MAP", "-o", "-")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("id,function,category,statement")
    assert all(line.startswith("MAP ") for line in lines[1:] if line[:1].isalpha())
    code, _out, err = airmf("export", "1", "--owner", "kim", "-o", str(tmp_path / "x.json"))
    assert code == 1 and "--function and --owner apply to" in err


def test_oscal_export_and_restore(airmf: Any, tmp_path: Path) -> None:
    folder = tmp_path / "oscal"
    code, out, err = airmf("export", "1", "--format", "oscal", "-o", str(folder))
    assert code == 0, err
    # Nothing is below target (3 of 3): no POA&M, which OSCAL requires to hold an item.
    assert sorted(p.name for p in folder.iterdir()) == ["assessment-results.json", "catalog.json"]
    airmf("answer", "1", "GV-1.1", "--coverage", "L", "--robustness", "L", "--diversity", "L")
    code, out, err = airmf("import", str(folder / "assessment-results.json"), "--into", "1")
    assert code == 0, err
    code, out, _err = airmf("score", "1", "--json")
    code, out, _err = airmf("history", "1", "GOVERN 1.1", "--json")
    assert json.loads(json.loads(out)[-1]["new"]) == {
        "coverage": "H",
        "input_diversity": "L",
        "robustness": "M",
    }
    code, _out, err = airmf("export", "1", "--format", "oscal", "-o", "-")
    assert code == 1 and "give a folder" in err


def test_a_workbook_without_into_says_what_to_add(airmf: Any, tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    airmf("export", "1", "--format", "xlsx", "-o", str(path))
    code, out, err = airmf("import", str(path))
    assert code == 1 and out == ""
    assert "add --into ID" in err
    code, _out, err = airmf("import", str(path), "--dry-run")
    assert code == 1 and "--dry-run previews an import --into" in err


def test_csv_to_a_file_writes_the_actions_beside_it(airmf: Any, tmp_path: Path) -> None:
    code, _out, err = airmf("action", "add", "1", "MAP 1.1", "--title", "Map it", "--owner", "Kim")
    assert code == 0, err
    code, out, err = airmf("export", "1", "--format", "csv", "-o", str(tmp_path / "q1.csv"))
    assert code == 0, err
    assert str(tmp_path / "q1-actions.csv") in out
    actions = (tmp_path / "q1-actions.csv").read_text(encoding="utf-8-sig").splitlines()
    assert actions[0].startswith("id,subcategory,function,title")
    assert ",MAP 1.1,MAP,Map it,,Kim," in actions[1]
    questionnaire = (tmp_path / "q1.csv").read_text(encoding="utf-8-sig")
    assert questionnaire.startswith("id,function,category,statement")
