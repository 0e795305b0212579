"""``airmf review`` and the roles of ``airmf finalize``: one clear message and exit 1 for a
refused transition or a four-eyes violation, nothing written then; a whole review cycle."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main


@pytest.fixture
def airmf(db_path, capsys):  # type: ignore[no-untyped-def]
    def run(*args: str, actor: str = "dana") -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "--as", actor, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _history(airmf) -> list[dict]:  # type: ignore[no-untyped-def]
    code, out, err = airmf("history", "1", "--json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_a_review_cycle_and_a_three_role_sign_off(airmf) -> None:  # type: ignore[no-untyped-def]
    assert airmf("assessment", "create", "--name", "Q4", "--system", "Claims")[0] == 0
    code, _out, err = airmf("answer", "1", "GOVERN 1.1", "--notes", "Policy v2")
    assert code == 0, err
    assert airmf("review", "1", "GOVERN 1.1", "--ready") == (
        0,
        "GOVERN 1.1: ready for review\n",
        "",
    )
    code, out, _ = airmf(
        "review", "1", "GV-1.1", "--return", "--comment", "Cite the policy", actor="sam"
    )
    assert (code, out) == (0, "GOVERN 1.1: returned\n")
    assert airmf("review", "1", "GOVERN 1.1", "--comment", "Cited now")[0] == 0
    assert airmf("review", "1", "GOVERN 1.1", "--ready")[0] == 0
    assert airmf("review", "1", "GOVERN 1.1", "--approve", actor="sam")[0] == 0
    code, out, _ = airmf("review", "1", "--list", "--state", "reviewed", "--json")
    listed = json.loads(out)
    assert [(x["subcategory"], x["state"], x["set_by"], x["comments"]) for x in listed] == [
        ("GOVERN 1.1", "reviewed", "sam", 2)
    ]
    assert listed[0]["last_comment"]["text"] == "Cited now"
    code, out, _ = airmf("review", "1", "--list")
    assert code == 0 and "Reviewed" in out and "LATEST COMMENT" in out
    # dana made the last change to an answer: she cannot approve; Ann can.
    code, out, err = airmf("finalize", "1", "--approver", "Dana", "--role", "Owner")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "four-eyes rule: the approver Dana" in err
    code, out, err = airmf(
        "finalize",
        "1",
        "--assessor",
        "Dana",
        "--assessor-role",
        "AI governance lead",
        "--reviewer",
        "Sam",
        "--reviewer-statement",
        "Checked every answer",
        "--approver",
        "Ann Lee",
        "--role",
        "CRO",
        "--statement",
        "Approved",
    )
    assert code == 0, err
    assert "Assessor: Dana (AI governance lead)" in out and "Approver: Ann Lee (CRO)" in out
    assert airmf("verify", "1")[0] == 0
    fields = [e["field"] for e in _history(airmf)[-3:]]
    assert fields == ["signoff_assessor", "signoff_reviewer", "status"]
    # The next cycle starts its answers as drafts.
    assert airmf("next-cycle", "1")[0] == 0
    code, out, _ = airmf("review", "2", "--list", "--state", "draft", "--json")
    assert len(json.loads(out)) > 70


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("GOVERN 1.1", "--approve"), "cannot approve an answer that is draft"),
        (("GOVERN 1.1", "--return"), "needs a comment"),
        (("GOVERN 1.1",), "give one of --ready"),
        (("--ready",), "name the subcategory"),
        (("GOVERN 9.9", "--ready"), "unknown subcategory"),
        (("GOVERN 1.1", "--list"), "leave out the subcategory"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(airmf, args, message) -> None:  # type: ignore[no-untyped-def]
    assert airmf("assessment", "create", "--name", "Q4")[0] == 0
    assert airmf("answer", "1", "GOVERN 1.1", "--notes", "x")[0] == 0
    before = _history(airmf)
    code, out, err = airmf("review", "1", *args)
    assert code == 1 and out == ""
    assert err.startswith("airmf: ") and err.count("\n") == 1 and message in err
    assert _history(airmf) == before


def test_finalize_keeps_its_old_options_and_checks_role_options(airmf) -> None:  # type: ignore[no-untyped-def]
    assert airmf("assessment", "create", "--name", "Q4")[0] == 0
    code, _, err = airmf(
        "finalize", "1", "--reviewer-role", "Audit", "--signer", "A", "--role", "R"
    )
    assert code == 1 and "need --reviewer NAME" in err
    code, _, err = airmf("finalize", "1", "--role", "R")
    assert code == 1 and "approver's name" in err
    assert airmf("finalize", "1", "--signer", "Ann", "--role", "CISO")[0] == 0
    code, out, _ = airmf("verify", "1")
    assert code == 0 and "verifies" in out


def test_finalize_says_what_it_signed_off_while_still_open(airmf) -> None:  # type: ignore[no-untyped-def]
    """The finalize dialog names the work still open before the sign-off; the command line
    prints the same words after it (LifecycleService.open_work, one source for both)."""
    assert airmf("assessment", "create", "--name", "Q4")[0] == 0
    assert airmf("answer", "1", "GOVERN 1.1", "--notes", "Policy v2")[0] == 0
    assert airmf("review", "1", "GOVERN 1.1", "--ready")[0] == 0
    code, out, err = airmf(
        "action", "add", "1", "GOVERN 1.1", "--title", "Write the policy", "--due", "2020-01-31"
    )
    assert code == 0, err
    code, out, err = airmf("finalize", "1", "--signer", "Ann", "--role", "CISO", actor="ann")
    assert code == 0, err
    assert (
        "  signed off while still open: 1 answer ready for review; "
        "1 open remediation action (1 overdue)"
    ) in out


def test_finalize_with_nothing_open_says_nothing_of_it(airmf) -> None:  # type: ignore[no-untyped-def]
    assert airmf("assessment", "create", "--name", "Q4")[0] == 0
    code, out, err = airmf("finalize", "1", "--signer", "Ann", "--role", "CISO")
    assert code == 0, err
    assert "still open" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("answer", "1", "GV-1.1", "--notes", "bad\udcff"), "notes: is not valid text"),
        (("assessment", "create", "--name", "N\udcff"), "name: is not valid text"),
    ],
)
def test_text_that_is_not_utf8_is_one_message(airmf, args, message) -> None:  # type: ignore[no-untyped-def]
    """Bytes that are not UTF-8 reach Python as lone surrogates: refused with one message, as
    Pydantic refuses them, never an unexpected error (nor stored: SQLite cannot encode them)."""
    assert airmf("assessment", "create", "--name", "Q4")[0] == 0
    code, out, err = airmf(*args)
    assert code == 1 and out == "" and err.count("\n") == 1 and message in err, err


def test_a_name_that_is_not_utf8_is_refused_before_anything(db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(db_path), "assessment", "create", "--name", "Q4"]) == 0
    capsys.readouterr()
    assert (
        main(["--db", str(db_path), "--as", "K\udcffm", "answer", "1", "GV-1.1", "--notes", "n"])
        == 1
    )
    err = capsys.readouterr().err
    assert err == "airmf: --as is not valid text (characters that are not Unicode)\n"
