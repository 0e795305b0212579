"""``airmf assessment edit`` (issue 14): details and AI-system profile changed from the command
line, shown by ``score --json`` and ``history``; bad values are one clear message, no change."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main


@pytest.fixture
def airmf(tmp_path, capsys):  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.sqlite3"

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", str(db), "--as", "Ana", *args])
        except SystemExit as exc:  # a usage error, as argparse reports it
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_edit_details_and_profile(airmf) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = airmf("assessment", "create", "--name", "Q1", "--system", "Fraud model")
    aid = out.strip()
    code, out, err = airmf(
        "assessment",
        "edit",
        aid,
        "--system",
        "Fraud model v2",
        "--default-target",
        "4",
        "--genai-risks",
        "confabulation,data-privacy",
        "--risk-tier",
        "High",
        "--lifecycle-stage",
        "Operate and Monitor",
        "--data-categories",
        "Transactions; Device data",
    )
    assert (code, err) == (0, "")
    assert out.strip() == (
        f"assessment {aid} (Q1): changed AI system, Default target, GenAI risks, "
        "AI system: Risk tier, AI system: Lifecycle stage, AI system: Data categories"
    )
    code, out, _ = airmf("score", aid, "--json")
    data = json.loads(out)["assessment"]
    assert data["ai_system"] == "Fraud model v2" and data["default_target"] == 4
    assert data["system_profile"]["risk_tier"] == "high"
    assert data["system_profile"]["deployment_status"] == "operate_and_monitor"
    assert data["system_profile"]["data_categories"] == ["Transactions", "Device data"]
    # Clearing one field, and an edit that changes nothing.
    code, out, _ = airmf("assessment", "edit", aid, "--risk-tier", "", "--no-genai")
    assert out.strip() == f"assessment {aid} (Q1): changed GenAI risks, AI system: Risk tier"
    code, out, _ = airmf("assessment", "edit", aid, "--name", "Q1")
    assert (code, out.strip()) == (0, f"assessment {aid} (Q1): nothing changed")


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--risk-tier", "extreme"], "is not one of: low, medium, high", 2),
        (["--default-target", "9"], "is not a level from 1 to 5", 2),
        (["--genai-risks", "nope"], "unknown risks nope", 1),
        (["--name", ""], "name", 1),
    ],
)
def test_bad_values_are_one_message_and_change_nothing(airmf, args, message, code) -> None:  # type: ignore[no-untyped-def]
    _code, out, _ = airmf("assessment", "create", "--name", "Q1", "--system", "S")
    aid = out.strip()
    got, _out, err = airmf("assessment", "edit", aid, *args)
    assert got == code
    assert message in err and "Traceback" not in err
    _c, out, _e = airmf("score", aid, "--json")
    data = json.loads(out)["assessment"]
    assert (data["name"], data["default_target"], data["system_profile"]["risk_tier"]) == (
        "Q1",
        3,
        None,
    )


def test_a_finalized_assessment_is_refused(airmf) -> None:  # type: ignore[no-untyped-def]
    _code, out, _ = airmf("assessment", "create", "--name", "Q1", "--system", "S")
    aid = out.strip()
    assert airmf("finalize", aid, "--signer", "Ana", "--role", "Risk lead")[0] == 0
    code, _out, err = airmf("assessment", "edit", aid, "--scope", "All branches")
    assert code != 0
    assert "finalized and read-only" in err
