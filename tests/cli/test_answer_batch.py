"""``airmf answer ID --from FILE.csv|-``: one transaction, one history entry per field, every
row checked before anything is written, a refusal naming the line and the column."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.cli.main import main

HEADER = "subcategory,coverage,robustness,diversity,na,rationale,notes,owner,due,flag,target\n"
GOOD = (
    HEADER + "GV-1.1,H,M,L,,,,,,,\n"
    "MAP 1.1,,,,yes,Out of scope: no personal data,,,,,\n"
    'GV-1.2,,,,,,"Reviewed, with legal",Kim,2027-03-31,yes,4\n'
)


@pytest.fixture
def airmf(store_url, capsys):  # type: ignore[no-untyped-def]
    server = "://" in store_url
    chosen = [] if server else ["--as", "Batch Tester"]

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", store_url, *chosen, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _create(airmf) -> str:  # type: ignore[no-untyped-def]
    code, out, err = airmf("assessment", "create", "--name", "Q1", "--system", "Scorer")
    assert code == 0, err
    return out.strip()


def _history(airmf, aid: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    code, out, err = airmf("history", aid, "--json")
    assert code == 0, err
    return json.loads(out)


def test_rows_recorded_in_one_go_with_one_entry_per_field(airmf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = _create(airmf)
    source = tmp_path / "answers.csv"
    source.write_text(GOOD, encoding="utf-8")
    code, out, err = airmf("answer", aid, "--from", str(source))
    assert code == 0, err
    assert out.splitlines() == [
        "GOVERN 1.1: 3.0 Established",
        "MAP 1.1: not applicable",
        "GOVERN 1.2: not rated",
    ]
    fields = sorted((e["subcategory_id"], e["field"]) for e in _history(airmf, aid))
    assert fields == sorted(
        [
            ("GOVERN 1.1", "metrics"),
            ("MAP 1.1", "not_applicable"),
            ("MAP 1.1", "na_rationale"),
            ("GOVERN 1.2", "notes"),
            ("GOVERN 1.2", "owner"),
            ("GOVERN 1.2", "due_date"),
            ("GOVERN 1.2", "flagged"),
            ("GOVERN 1.2", "target"),
        ]
    )
    code, out, err = airmf("history", "verify", aid)
    assert code == 0, err
    new = {(e["subcategory_id"], e["field"]): e["new"] for e in _history(airmf, aid)}
    assert new[("GOVERN 1.2", "notes")] == "Reviewed, with legal"  # a quoted comma kept
    assert new[("GOVERN 1.2", "owner")] == "Kim"


@pytest.mark.parametrize(
    ("rows", "named"),
    [
        ("GV-1.1,H,M,L,,,,,,,\nGV-1.2,,,,,,,,2027-02-30,,\n", "line 3: column due"),
        ("GV-1.1,H,M,L,,,,,,,\nGV-1.2,,,,,,,,,,9\n", "line 3, column target"),
        (
            "GV-1.1,H,M,,,,,,,,\n",
            "line 2: a rubric rating needs all three metrics; missing column diversity",
        ),
        ("GV-1.1,H,M,L,,,,,,maybe,\n", "line 2, column flag"),
        ("GV-1.1,H,M,L,,,,,,,\nXX-9.9,H,M,L,,,,,,,\n", "line 3: unknown subcategory"),
        ("GV-1.1,H,M,L,,,,,,,\nMAP 1.1,,,,yes,,,,,,\n", "line 3: column na needs column rationale"),
        ("GV-1.1,H,M,Z,,,,,,,\n", "line 2: GOVERN 1.1"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(airmf, tmp_path: Path, rows: str, named: str) -> None:  # type: ignore[no-untyped-def]
    aid = _create(airmf)
    source = tmp_path / "answers.csv"
    source.write_text(HEADER + rows, encoding="utf-8")
    code, out, err = airmf("answer", aid, "--from", str(source))
    assert code == 1
    assert named in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _history(airmf, aid) == []  # nothing written, not even the good rows before it


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"subcategory,colour\nGV-1.1,red\n", "unknown column 'colour'"),
        (b"coverage,robustness,diversity\nH,M,L\n", "the column 'subcategory' is missing"),
        (b"subcategory,notes,notes\nGV-1.1,a,b\n", "column 'notes' appears twice"),
        (b"", "empty; the first line names the columns"),
        (b"subcategory,notes\n", "no rows to record"),
        (b"subcategory,notes\nGV-1.1,caf\xe9\n", "not UTF-8 text"),
        (b"subcategory,notes\nGV-1.1,a,b\n", "line 2: more cells than columns"),
        (b"subcategory,notes\nGV-1.1,\n", "line 2: nothing to record for GV-1.1"),
    ],
)
def test_a_malformed_file_is_refused_by_name(  # type: ignore[no-untyped-def]
    airmf, tmp_path: Path, content: bytes, named: str
) -> None:
    aid = _create(airmf)
    source = tmp_path / "answers.csv"
    source.write_bytes(content)
    code, _, err = airmf("answer", aid, "--from", str(source))
    assert code == 1
    assert named in err, err
    assert _history(airmf, aid) == []


def test_standard_input_with_a_byte_order_mark(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "a.sqlite3")
    assert (
        main(["--db", db, "--as", "T", "assessment", "create", "--name", "Q", "--system", "S"]) == 0
    )
    aid = capsys.readouterr().out.strip()
    data = ("\ufeff" + HEADER + "GV-1.1,L,L,L,,,,,,,\n").encode("utf-8")
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    assert main(["--db", db, "--as", "T", "answer", aid, "--from", "-"]) == 0
    assert capsys.readouterr().out == "GOVERN 1.1: 1.0 Minimal\n"


@pytest.mark.parametrize("extra", [["GV-1.1"], ["--notes", "x"], ["--na"], ["--flag"]])
def test_from_takes_nothing_else(tmp_path: Path, capsys, extra: list[str]) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "a.sqlite3")
    assert (
        main(["--db", db, "--as", "T", "assessment", "create", "--name", "Q", "--system", "S"]) == 0
    )
    aid = capsys.readouterr().out.strip()
    source = tmp_path / "a.csv"
    source.write_text(GOOD, encoding="utf-8")
    args = ["--db", db, "--as", "T", "answer", aid, "--from", str(source)]
    code = (
        main(args[:5] + args[5:6] + extra[:1] + args[6:] + extra[1:])
        if extra == ["GV-1.1"]
        else main(args + extra)
    )
    assert code == 1
    assert "--from takes the subcategories and values from the file only" in capsys.readouterr().err


def test_a_missing_file_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "a.sqlite3")
    assert (
        main(["--db", db, "--as", "T", "assessment", "create", "--name", "Q", "--system", "S"]) == 0
    )
    aid = capsys.readouterr().out.strip()
    assert main(["--db", db, "answer", aid, "--from", str(tmp_path / "none.csv")]) == 1
    err = capsys.readouterr().err
    assert "none.csv" in err and len(err.strip().splitlines()) == 1
