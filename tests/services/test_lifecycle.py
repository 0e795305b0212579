"""Sign-off, verification, reopening and next cycles (issue 5's service and CLI part)."""

from __future__ import annotations

import sqlite3

import pytest

from app.cli.main import main
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import AssessmentLocked, InvalidInput
from app.services.lifecycle import ASSESSMENT_EVENT, LifecycleService

M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "2026 cycle", "ai_system": "Claims triage"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M, notes="baseline")
    AnswerService(ctx).record(a.id, "MAP 1.1", not_applicable=True, na_rationale="Not deployed")
    return a.id


def test_finalize_locks_everywhere_and_verifies(ctx, aid, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    life = LifecycleService(ctx)
    with pytest.raises(InvalidInput, match="role"):
        life.finalize(aid, "Ann Lee", " ")
    done = life.finalize(aid, "Ann Lee", "CRO", "Reviewed with the board")
    assert done.finalized_by == "Ann Lee" and done.finalized_role == "CRO"
    assert len(done.fingerprint) == 64 and done.finalized_at is not None
    with pytest.raises(AssessmentLocked, match="finalized"):
        AnswerService(ctx).record(aid, "GOVERN 1.1", notes="after sign-off")
    assert main(["--db", str(db_path), "answer", str(aid), "GOVERN 1.1", "--notes", "x"]) == 1
    assert "finalized" in capsys.readouterr().err
    assert life.verify(aid).matches
    assert main(["--db", str(db_path), "verify", str(aid)]) == 0
    capsys.readouterr()

    # Someone edits the database behind the app's back.
    ctx.db.dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE answers SET notes='tampered' WHERE subcategory_id='GOVERN 1.1'")
    con.execute("DROP TRIGGER answer_history_append_only")
    con.execute("UPDATE answer_history SET new='forged' WHERE seq=2")
    con.commit()
    con.close()
    assert not life.verify(aid).matches
    assert main(["--db", str(db_path), "verify", str(aid)]) == 1
    assert "does NOT verify" in capsys.readouterr().out
    assert main(["--db", str(db_path), "history", "verify", str(aid)]) == 1
    assert "broken at entry 2" in capsys.readouterr().err


def test_reopen_needs_reason_is_recorded_and_clears_signoff(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    life = LifecycleService(ctx)
    life.finalize(aid, "Ann Lee", "CRO")
    with pytest.raises(InvalidInput, match="reason"):
        life.reopen(aid, "")
    reopened = life.reopen(aid, "Auditor asked for MAP evidence")
    assert reopened.status.value == "draft" and not reopened.fingerprint
    assert not reopened.finalized_by
    events = [e for e in AnswerService(ctx).history(aid) if e.subcategory_id == ASSESSMENT_EVENT]
    assert [e.new for e in events] == [
        "finalized by Ann Lee (CRO)",
        "reopened: Auditor asked for MAP evidence",
    ]
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="now editable")
    assert AnswerService(ctx).verify_history(aid) is None


def test_next_cycle_carries_answers_over(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    nxt = LifecycleService(ctx).start_next_cycle(aid, "2027 cycle")
    assert nxt.previous_id == aid and nxt.ai_system == "Claims triage"
    answers = AssessmentService(ctx).answers(nxt.id)
    assert answers["GOVERN 1.1"].carried_over and answers["GOVERN 1.1"].notes == "baseline"
    assert answers["MAP 1.1"].carried_over and answers["MAP 1.1"].not_applicable
    # Re-recording the same rating is the user confirming it: only the mark changes.
    confirmed = AnswerService(ctx).record(nxt.id, "GOVERN 1.1", metrics=M)
    assert confirmed.carried_over is False and confirmed.notes == "baseline"
    last = AnswerService(ctx).history(nxt.id, "GOVERN 1.1")[-1]
    assert (last.field, last.old, last.new) == ("carried_over", "yes", "no")
    explicit = AnswerService(ctx).record(nxt.id, "MAP 1.1", carried_over=False)
    assert explicit.carried_over is False and explicit.not_applicable
    series = LifecycleService(ctx).series("Claims triage")
    assert [a.id for a in series] == [aid, nxt.id]
