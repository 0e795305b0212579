"""``airmf action add|list|update|remove`` (issue 14): what it prints and stores, and bad input
refused with one message, exit 1 and the database unchanged."""

from __future__ import annotations

import json

import pytest
from test_no_traceback import _refused

from app.cli.main import main


@pytest.fixture
def airmf(tmp_path, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    """``run(*args) -> (exit code, stdout, stderr)`` on a database with assessment 1."""
    db = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("AIRMF_DB", str(db))
    monkeypatch.delenv("AIRMF_ACTOR", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: usage errors
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("assessment", "create", "--name", "Q1", "--system", "Scorer")[0] == 0
    run.db = db  # type: ignore[attr-defined]
    return run


def _add(run, *args: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = run("action", "add", "1", *args)
    assert code == 0, err
    return out.split("action ")[1].split(" ")[0]  # the short id printed


def test_add_list_update_remove(airmf) -> None:  # type: ignore[no-untyped-def]
    first = _add(
        airmf,
        "GV-1.1",
        "--title",
        "Write the policy",
        "--owner",
        "Dana",
        "--due",
        "2020-01-31",
        "--priority",
        "high",
    )
    second = _add(airmf, "MAP 1.1", "--from-suggestion", "playbook:1")
    code, out, _ = airmf("action", "list", "1")
    assert code == 0 and first in out and second in out and "Planned (overdue)" in out
    code, out, _ = airmf("action", "list", "1", "--overdue", "--json")
    listed = json.loads(out)
    assert [(x["id"], x["owner"], x["overdue"], x["function"]) for x in listed] == [
        (first, "Dana", True, "GOVERN")
    ]
    code, out, _ = airmf("action", "list", "1", "--function", "MAP", "--json")
    assert [x["source"] for x in json.loads(out)] == ["playbook:1"]
    assert airmf("action", "list", "1", "--owner", "nobody")[1].startswith("No actions match")

    code, out, err = airmf(
        "action",
        "update",
        "1",
        first,
        "--status",
        "risk_accepted",
        "--rationale",
        "Retiring the system",
    )
    assert code == 0, err and "Risk accepted" in out
    code, out, _ = airmf("action", "list", "1", "--status", "risk_accepted", "--json")
    assert [x["rationale"] for x in json.loads(out)] == ["Retiring the system"]
    code, out, _ = airmf("score", "1", "--json")
    assert json.loads(out)["actions"] == {"total": 2, "open": 1, "overdue": 0}

    assert airmf("action", "remove", "1", second)[0] == 0
    code, out, _ = airmf("history", "1", "--json")
    assert any(e["field"].endswith(":removed") for e in json.loads(out))
    assert airmf("verify", "1")[0] in (0, 1)  # a draft: verify reports, never fails on actions
    code, _o, err = airmf("history", "verify", "1")
    assert code == 0, err


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (("action", "add", "1", "GV-1.1"), "needs a title"),
        (("action", "add", "1", "NOPE", "--title", "t"), "unknown subcategory"),
        (("action", "add", "1", "GV-1.1", "--title", "t", "--due", "31/01/2027"), "due_date"),
        (("action", "add", "1", "GV-1.1", "--title", "t", "--priority", "urgent"), "urgent"),
        (("action", "add", "1", "GV-1.1", "--title", "bell\x07"), "control character"),
        (("action", "add", "1", "GV-1.1", "--title", "t", "--owner", "o" * 201), "owner"),
        (("action", "add", "1", "GV-1.1", "--from-suggestion", "playbook:0"), "playbook:1 to"),
        (("action", "add", "1", "GV-1.1", "--title", "t", "--evidence", "1"), "no evidence item"),
        (("action", "add", "1", "GV-1.1", "--title", "t", "--evidence", "x"), "evidence"),
        (("action", "add", "99", "GV-1.1", "--title", "t"), "no assessment with id 99"),
        (("action", "list", "1", "--status", "closed"), "closed"),
        (("action", "list", "1", "--function", "PLAN"), "unknown function"),
        (("action", "update", "1", "zz", "--status", "done"), "not an action id"),
        (("action", "update", "1", "abcdef", "--status", "done"), "no action"),
        (("action", "remove", "1", "abcdef"), "no action"),
    ],
)
def test_bad_input_gets_one_message_and_changes_nothing(airmf, args, expect) -> None:  # type: ignore[no-untyped-def]
    _refused(airmf, *args, expect=expect)


def test_update_refusals_leave_the_action_as_it_was(airmf) -> None:  # type: ignore[no-untyped-def]
    short = _add(airmf, "GV-1.1", "--title", "Fix")
    _refused(airmf, "action", "update", "1", short, "--status", "risk_accepted", expect="rationale")
    _refused(airmf, "action", "update", "1", short, "--due", "2027-02-30", expect="no day 30")
    _refused(airmf, "action", "update", "1", short, expect="Nothing to change")
    assert airmf("finalize", "1", "--signer", "Ann", "--role", "CISO")[0] == 0
    _refused(airmf, "action", "update", "1", short, "--status", "done", expect="finalized")
    _refused(airmf, "action", "add", "1", "GV-1.1", "--title", "x", expect="finalized")
    _refused(airmf, "action", "remove", "1", short, expect="finalized")


def test_open_actions_carry_over_with_next_cycle(airmf) -> None:  # type: ignore[no-untyped-def]
    keep = _add(airmf, "GV-1.1", "--title", "Open one")
    done = _add(airmf, "GV-1.1", "--title", "Done one")
    assert airmf("action", "update", "1", done, "--status", "done")[0] == 0
    assert airmf("finalize", "1", "--signer", "Ann", "--role", "CISO")[0] == 0
    code, out, err = airmf("next-cycle", "1")
    assert code == 0, err
    code, out, _ = airmf("action", "list", "2", "--json")
    assert [(x["id"], x["carried_over"]) for x in json.loads(out)] == [(keep, True)]
    assert "[carried over]" in airmf("action", "list", "2")[1]
