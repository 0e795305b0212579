"""Tamper evidence under attack with sqlite3 and a file manager: every change made outside the
app to the history, the answers, the evidence files or the sign-off is detected and named."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService

RATING = {"coverage": "H", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def draft(ctx, tmp_path) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Tamper target", "ai_system": "Scorer"})
    answers = AnswerService(ctx)
    answers.record(a.id, "GOVERN 1.1", metrics=RATING, notes="first")
    answers.record(a.id, "GOVERN 1.1", notes="second")
    src = tmp_path / "policy.txt"
    src.write_text("Policy v2")
    answers.attach_file(a.id, "MAP 1.1", src)
    return a.id


@pytest.fixture
def finalized(ctx, draft) -> int:  # type: ignore[no-untyped-def]
    LifecycleService(ctx).finalize(draft, "Ann Lee", "Chief Risk Officer", "Approved")
    return draft


def _sql(ctx, db_path: Path, *statements: str) -> None:  # type: ignore[no-untyped-def]
    """Change the database as an attacker with sqlite3 would (the app's connections closed)."""
    ctx.db.dispose()
    con = sqlite3.connect(db_path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def test_untouched_assessments_verify(ctx, draft, finalized) -> None:  # type: ignore[no-untyped-def]
    check = AnswerService(ctx).check_history(draft)
    assert check.ok and check.problems() == []
    v = LifecycleService(ctx).verify(finalized)
    assert v.matches and not v.legacy and v.problems() == []
    assert v.head.count == check.entries + 0 == len(AnswerService(ctx).history(draft))


@pytest.mark.parametrize("where", ["newest", "all"])
def test_deleted_history_entries_are_detected(ctx, db_path, draft, where) -> None:  # type: ignore[no-untyped-def]
    condition = "seq = (SELECT MAX(seq) FROM answer_history)" if where == "newest" else "1"
    _sql(ctx, db_path, f"DELETE FROM answer_history WHERE {condition}")
    check = AnswerService(ctx).check_history(draft)
    assert not check.ok
    assert any("deleted" in p for p in check.problems())
    assert AnswerService(ctx).verify_history(draft) is None  # the links alone cannot tell


def test_a_save_after_a_deletion_does_not_hide_it(ctx, db_path, draft) -> None:  # type: ignore[no-untyped-def]
    """New entries continue from the stored head, so the deletion stays a visible gap."""
    _sql(
        ctx, db_path, "DELETE FROM answer_history WHERE seq = (SELECT MAX(seq) FROM answer_history)"
    )
    AnswerService(ctx).record(draft, "GOVERN 1.2", owner="Legal")
    check = AnswerService(ctx).check_history(draft)
    assert check.broken is not None and not check.ok


def test_answer_edited_with_sqlite_is_named(ctx, db_path, draft) -> None:  # type: ignore[no-untyped-def]
    _sql(ctx, db_path, "UPDATE answers SET notes = 'forged' WHERE subcategory_id = 'GOVERN 1.1'")
    check = AnswerService(ctx).check_history(draft)
    assert [(d.subcategory_id, d.field) for d in check.differences] == [("GOVERN 1.1", "notes")]
    assert "GOVERN 1.1 notes" in check.problems()[0] and "'forged'" in check.problems()[0]


def test_replaced_evidence_file_fails_verify(ctx, finalized) -> None:  # type: ignore[no-untyped-def]
    item = AnswerService(ctx).get(finalized, "MAP 1.1").evidence[0]
    stored = ctx.evidence.path_for(item.sha256)
    stored.chmod(0o644)
    stored.write_text("Policy v1 (the one the auditor should not see)")
    v = LifecycleService(ctx).verify(finalized)
    assert v.fingerprint_matches and not v.matches
    assert [(p.subcategory_id, p.state) for p in v.evidence] == [("MAP 1.1", "changed")]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE assessments SET finalized_by = 'Mallory'",
        "UPDATE answers SET notes = 'forged' WHERE subcategory_id = 'GOVERN 1.1'",
        "DELETE FROM answer_history WHERE seq = (SELECT MAX(seq) FROM answer_history)",
    ],
    ids=["signer", "answer", "newest entry"],
)
def test_finalized_assessment_tampered_does_not_verify(ctx, db_path, finalized, statement) -> None:  # type: ignore[no-untyped-def]
    _sql(ctx, db_path, statement)
    v = LifecycleService(ctx).verify(finalized)
    assert not v.matches and v.problems()


def test_stored_head_rewritten_with_the_entries_still_fails_the_signoff(
    ctx, db_path, finalized
) -> None:  # type: ignore[no-untyped-def]
    """Deleting the newest entry and moving the stored head to match: the fingerprint covers it."""
    _sql(
        ctx,
        db_path,
        "DELETE FROM answer_history WHERE seq = (SELECT MAX(seq) FROM answer_history)",
        "UPDATE assessments SET history_count = history_count - 1, history_head = "
        "(SELECT entry_hash FROM answer_history ORDER BY seq DESC LIMIT 1)",
    )
    assert AnswerService(ctx).check_history(finalized).ok  # the chain alone looks whole
    assert not LifecycleService(ctx).verify(finalized).fingerprint_matches


def test_history_stores_only_the_new_value_and_shows_the_old(ctx, db_path, draft) -> None:  # type: ignore[no-untyped-def]
    notes = [
        (e.old, e.new)
        for e in AnswerService(ctx).history(draft, "GOVERN 1.1")
        if e.field == "notes"
    ]
    assert notes == [("", "first"), ("first", "second")]
    ctx.db.dispose()
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT COUNT(*) FROM answer_history WHERE old IS NOT NULL").fetchone() == (
        0,
    )
    con.close()


def test_a_long_note_saved_many_times_stays_importable(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each save stores the note once (it was twice: old and new), so the export stays small."""
    from app.domain.limits import TEXT_MAX
    from app.services.exchange import ExchangeService

    a = AssessmentService(ctx).create({"name": "Long notes"})
    note = "x" * (TEXT_MAX - 2)  # the longest note the field rules accept
    for i in range(20):
        AnswerService(ctx).record(a.id, "GOVERN 1.1", notes=f"{note}{i}")
    out = ExchangeService(ctx).export_json(a.id, tmp_path / "long.json")
    assert out.stat().st_size < 22 * len(note)  # 20 entries + the answer (was 41 copies)
    assert ExchangeService(ctx).import_file(out)


def test_cli_flags_the_tampered_assessment(ctx, db_path, draft, finalized, capsys) -> None:  # type: ignore[no-untyped-def]
    other = AssessmentService(ctx).create({"name": "Clean"}).id
    _sql(ctx, db_path, f"UPDATE assessments SET finalized_by = 'Mallory' WHERE id = {finalized}")
    assert main(["--db", str(db_path), "assessment", "list", "--json"]) == 0
    listed = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed[finalized]["integrity"] == "failed" and listed[finalized]["integrity_problems"]
    assert listed[other]["integrity"] == "ok"
    assert main(["--db", str(db_path), "assessment", "list"]) == 0
    table = capsys.readouterr().out
    assert "INTEGRITY" in table and "FAILED" in table
    assert main(["--db", str(db_path), "verify", str(finalized)]) == 1
    out = capsys.readouterr().out
    assert "does NOT verify" in out and "history head:" in out


def test_cli_history_verify_names_truncation_and_prints_the_head(
    ctx, db_path, draft, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(db_path), "history", "verify", str(draft)]) == 0
    assert "last hash" in capsys.readouterr().out
    _sql(
        ctx, db_path, "DELETE FROM answer_history WHERE seq = (SELECT MAX(seq) FROM answer_history)"
    )
    assert main(["--db", str(db_path), "history", "verify", str(draft)]) == 1
    assert "deleted" in capsys.readouterr().err


def test_report_states_the_failed_check_and_the_head(ctx, db_path, finalized) -> None:  # type: ignore[no-untyped-def]
    from app.services.report import ReportService

    clean = ReportService(ctx).build(finalized)
    assert clean.meta.integrity_problems == () and "last hash" in clean.meta.chain_head
    _sql(ctx, db_path, "UPDATE assessments SET finalized_by = 'Mallory'")
    report = ReportService(ctx).build(finalized)
    assert report.meta.integrity_problems and report.meta.fingerprint_matches_signoff is False
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(ReportService(ctx).render(report))).pages[0].extract_text()
    assert "INTEGRITY CHECK FAILED" in text


def test_the_light_reader_reads_the_history_as_the_repositories_do(ctx, draft) -> None:  # type: ignore[no-untyped-def]
    """The check on opening reads through the sqlite3 driver; it must see the same entries."""
    from app.persistence.repositories import HistoryRepository
    from app.persistence.sqlite_store import DriverHistory

    LifecycleService(ctx).finalize(draft, "Ann Lee", "CRO")
    with ctx.db.read() as s:
        expected = HistoryRepository(s).list(draft)
    with ctx.db.snapshot() as con:
        assert DriverHistory(con).list(draft) == expected
    assert expected and expected[-1].old is None


def test_the_head_moves_in_the_transaction_of_the_append(ctx, draft, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """If the head cannot be written, the entries and the answer are not written either."""
    from app.persistence import sqlite_store
    from app.services.errors import ServiceError

    before = AnswerService(ctx).history(draft)
    # The save path's head update, refused by SQLite (as a failing disk would refuse it).
    failing = "UPDATE assessments SET no_such_column = ?, history_head = ? WHERE id = ?"
    monkeypatch.setattr(sqlite_store, "_SET_HEAD", failing)
    with pytest.raises((ServiceError, sqlite3.Error)):
        AnswerService(ctx).record(draft, "GOVERN 1.1", notes="never stored")
    monkeypatch.undo()
    assert AnswerService(ctx).history(draft) == before
    assert AnswerService(ctx).get(draft, "GOVERN 1.1").notes == "second"
    assert AnswerService(ctx).check_history(draft).ok
