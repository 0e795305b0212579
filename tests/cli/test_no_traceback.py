"""No traceback, ever, for any input of ``airmf``: each hostile input named in issue 12 gives one
message and exit 1 or 2, and a refusal leaves the database unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from zones import local_zone

from app.cli.main import main


@pytest.fixture
def airmf(tmp_path, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("AIRMF_DB", str(db))
    monkeypatch.delenv("AIRMF_ACTOR", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: usage errors and --help
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("assessment", "create", "--name", "Q1", "--system", "Scorer")[0] == 0
    assert (
        run("answer", "1", "GV-1.1", "--coverage", "H", "--robustness", "M", "--diversity", "L")[0]
        == 0
    )
    run.db = db  # type: ignore[attr-defined]
    return run


def db_state(db: Path) -> str:
    """A digest of everything stored except the optional score cache."""
    con = sqlite3.connect(db)
    try:
        con.execute("BEGIN")
        con.execute("UPDATE assessments SET summary = NULL")  # a cache, rolled back below
        data = "\n".join(con.iterdump())
        con.rollback()
    finally:
        con.close()
    return hashlib.sha256(data.encode()).hexdigest()


def _refused(run, *args: str, codes=(1, 2), expect: str = "") -> str:  # type: ignore[no-untyped-def]
    before = db_state(run.db)
    code, _out, err = run(*args)
    assert code in codes, (args, code, err)
    assert "Traceback" not in err and "unexpected error" not in err, err
    assert expect in err, err
    assert db_state(run.db) == before
    return err


CONTROL = "name\x1b[31m"


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (("score", "99999999999999999999"), "ids run from 1 to"),
        (("score", "9223372036854775808"), "ids run from 1 to"),
        (("score", "0"), "ids run from 1 to"),
        (("export", "1" + "0" * 5000, "-o", "x.json"), "not an id"),
        (("history", "verify", "²"), "not an id"),
        (("history", "٣"), "not an id"),
        (("compare", "1", "²"), "not an id"),
        (("finalize", "1", "--signer", CONTROL, "--role", "CISO"), "control character U+001B"),
        (("finalize", "1", "--signer", "Ann", "--role", "a\x00b"), "control character U+0000"),
        (("finalize", "1", "--signer", "s" * 1001, "--role", "CISO"), "longer than 200"),
        (
            ("finalize", "1", "--signer", "Ann", "--role", "CISO", "--statement", "x" * 100_000),
            "longer than 5,000",
        ),
        (("--as", CONTROL, "answer", "1", "GV-1.2", "--notes", "n"), "--as contains"),
        (("answer", "1", "GV-1.2", "--owner", "o" * 201), "owner"),
        (("answer", "1", "GV-1.2", "--notes", "n" * 20_001), "notes"),
        (("assessment", "create", "--name", "R", "--risk", "cbrn", "--risk", "cbrn"), "twice"),
        (("backup", "restore", "x" * 300), "too long"),
        (("import", "y" * 300), ""),
    ],
)
def test_hostile_arguments_get_one_message(airmf, args, expect) -> None:  # type: ignore[no-untyped-def]
    _refused(airmf, *args, expect=expect)


def test_reopen_reason_with_a_control_character(airmf) -> None:  # type: ignore[no-untyped-def]
    assert airmf("finalize", "1", "--signer", "Ann", "--role", "CISO")[0] == 0
    _refused(airmf, "reopen", "1", "--reason", "bell\x07", expect="control character U+0007")
    _refused(airmf, "reopen", "1", "--reason", "r" * 2001, expect="longer than 2,000")


def test_finalized_values_can_always_be_exported(airmf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What finalize accepts at its limits, export writes and import reads back."""
    signer, statement = "S" * 200, "Statement. " * 454
    code, _o, err = airmf(
        "finalize", "1", "--signer", signer, "--role", "R", "--statement", statement
    )
    assert code == 0, err
    target = tmp_path / "out.json"
    assert airmf("export", "1", "-o", str(target))[0] == 0
    code, out, err = airmf("import", str(target))
    assert code == 0, err
    doc = json.loads(target.read_text())
    assert doc["assessment"]["finalized_by"] == signer


def test_an_invalid_airmf_actor_is_refused_not_every_save(airmf, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AIRMF_ACTOR", "robot\x01")
    err = _refused(airmf, "answer", "1", "GV-1.2", "--notes", "n", expect="$AIRMF_ACTOR contains")
    assert err.count("\n") == 1
    monkeypatch.setenv("AIRMF_ACTOR", "Robot")
    assert airmf("answer", "1", "GV-1.2", "--notes", "n")[0] == 0


def test_a_window_with_an_invalid_airmf_actor_records_the_user_name(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services.context import default_actor

    monkeypatch.setenv("AIRMF_ACTOR", "robot\x01")
    actor = default_actor()
    assert "\x01" not in actor and actor


class _ClosedPipe(io.TextIOWrapper):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly(airmf, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """``airmf history 1 | head -1``: the reader went away; no traceback, exit 1."""
    monkeypatch.setattr("sys.stdout", _ClosedPipe(io.BytesIO()))
    code = main(["assessment", "list"])
    assert code == 1
    assert "Traceback" not in capsys.readouterr().err


def test_dates_that_cannot_be_shown_locally_do_not_crash_the_list(airmf, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A year-1 instant stored by an older version: shown in UTC, never a crash."""
    con = sqlite3.connect(airmf.db)
    con.execute("UPDATE assessments SET updated_at = '0001-01-01T00:00:00.000000+00:00'")
    con.commit()
    con.close()
    with local_zone("America/Los_Angeles"):
        code, out, err = airmf("assessment", "list")
    assert code == 0, err
    assert "0001-01-01 00:00 UTC" in out
