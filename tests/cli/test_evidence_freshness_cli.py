"""``airmf evidence add --as-of/--valid-until``, repeated ``--file``, ``evidence update``, and
the freshness figures of ``airmf verify`` and ``airmf score --json``."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.cli.main import main


@pytest.fixture
def airmf(tmp_path, capsys):  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.sqlite3"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_dates_files_update_verify_and_score(airmf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    aid = airmf("assessment", "create", "--name", "Q1", "--scheme", "direct")[1].strip()
    assert airmf("answer", aid, "GOVERN 1.1", "--level", "5")[0] == 0
    code, out, err = airmf(
        "evidence", "add", aid, "GOVERN 1.1", "--link", "https://x.org/p",
        "--as-of", "2020-01-01", "--valid-until", "2020-12-31",
    )  # fmt: skip
    assert code == 0, err
    assert "evidence 1 added: https://x.org/p (as of 2020-01-01, valid until 2020-12-31)" in out
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("a")
    b.write_text("b")
    code, out, err = airmf("evidence", "add", aid, "MAP 1.1", "--file", str(a), "--file", str(b))
    assert code == 0, err
    assert "evidence 1 added: file a.txt" in out and "evidence 2 added: file b.txt" in out

    code, out, _ = airmf("evidence", "list", aid, "--json")
    items = json.loads(out)
    assert [(i["subcategory_id"], i["as_of"], i["freshness"]) for i in items] == [
        ("GOVERN 1.1", "2020-01-01", "expired"),
        ("MAP 1.1", None, "current"),
        ("MAP 1.1", None, "current"),
    ]
    code, out, _ = airmf("evidence", "list", aid, "GOVERN 1.1")
    assert out.count("https://x.org/p") == 1  # an untitled link is shown once
    assert "Expired" in out

    code, out, _ = airmf("score", aid, "--json")
    fresh = json.loads(out)["evidence_freshness"]
    assert fresh["expired"] == {"items": 1, "subcategories": ["GOVERN 1.1"]}
    assert fresh["unsupported"] == {"count": 1, "subcategories": ["GOVERN 1.1"]}
    code, out, _ = airmf("verify", aid)
    assert "- evidence: 1 evidence item expired: GOVERN 1.1" in out
    assert "1 unsupported rating (Advanced or Leading without current evidence): GOVERN 1.1" in out

    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    code, out, err = airmf("evidence", "update", aid, "GOVERN 1.1", "1", "--valid-until", later)
    assert code == 0, err
    assert f"evidence 1 updated (as of 2020-01-01, valid until {later})" in out
    code, out, _ = airmf("score", aid, "--json")
    assert json.loads(out)["evidence_freshness"]["unsupported"]["count"] == 0
    code, out, _ = airmf("evidence", "update", aid, "GOVERN 1.1", "1", "--as-of", "")
    assert code == 0 and f"(valid until {later})" in out
    history = json.loads(airmf("history", aid, "GOVERN 1.1", "--json")[1])
    assert sum(1 for e in history if e["field"] == "evidence") == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "GOVERN 1.1", "--link", "https://x.org/p", "--as-of", "2027-13-01"],
            "no month 13",
        ),
        (
            ["add", "GOVERN 1.1", "--link", "https://x.org/p"],
            "cites the link https://x.org/p already",
        ),
        (["update", "GOVERN 1.1", "1"], "give --as-of or --valid-until"),
        (["update", "GOVERN 1.1", "2", "--as-of", "2027-01-01"], "has no evidence item 2"),
        (["update", "GOVERN 1.1", "1", "--as-of", "2027-02-29"], "February 2027 has no day 29"),
    ],
    ids=["bad date", "duplicate link", "no date given", "no such item", "no such day"],
)
def test_bad_input_is_one_message_and_changes_nothing(airmf, args, message) -> None:  # type: ignore[no-untyped-def]
    aid = airmf("assessment", "create", "--name", "Q1")[1].strip()
    airmf("evidence", "add", aid, "GOVERN 1.1", "--link", "https://x.org/p")
    before = airmf("evidence", "list", aid, "--json")[1]
    code, out, err = airmf("evidence", args[0], aid, *args[1:])
    assert code != 0
    assert message in err and "Traceback" not in err
    assert airmf("evidence", "list", aid, "--json")[1] == before
