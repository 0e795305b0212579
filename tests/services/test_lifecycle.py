"""Sign-off, verification, reopening and next cycles (issue 5's service and CLI part)."""

from __future__ import annotations

import json
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
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
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


# -- issue 11 §3: carried over means not yet reviewed -------------------------------------------
def _draft_next(ctx, aid: int) -> int:  # type: ignore[no-untyped-def]
    return LifecycleService(ctx).start_next_cycle(aid, "2027 cycle", from_draft=True).id


def test_next_cycle_from_a_draft_needs_intent(ctx, aid, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.services.lifecycle import UnfinalizedSource

    before = [s.assessment.id for s in AssessmentService(ctx).list()]
    with pytest.raises(UnfinalizedSource, match="never finalized"):
        LifecycleService(ctx).start_next_cycle(aid, "2027 cycle")
    assert [s.assessment.id for s in AssessmentService(ctx).list()] == before
    assert main(["--db", str(db_path), "next-cycle", str(aid)]) == 1
    err = capsys.readouterr().err
    assert "never finalized" in err and "--force" in err
    assert [s.assessment.id for s in AssessmentService(ctx).list()] == before
    assert main(["--db", str(db_path), "next-cycle", str(aid), "--force"]) == 0
    new_id = int(capsys.readouterr().out.strip())
    assert AssessmentService(ctx).get(new_id).previous_id == aid


def test_a_new_cycle_is_not_complete_until_reviewed(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    from app.services.scoring import ScoringService

    before = ScoringService(ctx).score(aid)
    nxt = _draft_next(ctx, aid)
    tree = ScoringService(ctx).score(nxt)
    # The carried ratings still score (provisionally), but nothing is complete yet.
    assert tree.score == before.score and tree.rated == 1 and tree.not_applicable == 1
    assert tree.unreviewed == 2 and tree.reviewed == 0 and tree.completion == 0.0
    assert tree.provisional
    listed = {s.assessment.id: s.overall for s in AssessmentService(ctx).list()}
    assert listed[nxt].completion == 0.0 and listed[nxt].unreviewed == 2
    LifecycleService(ctx).mark_reviewed(nxt, ["GOVERN 1.1"])
    tree = ScoringService(ctx).score(nxt)
    assert tree.unreviewed == 1 and tree.completion == pytest.approx(1 / 72)
    assert AssessmentService(ctx).list()[0].overall.unreviewed == 1  # cached summary refreshed


def test_mark_reviewed_by_scope_one_entry_per_answer(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    from app.services.lifecycle import ReviewScope

    AnswerService(ctx).record(aid, "GOVERN 2.1", metrics=M)
    AnswerService(ctx).record(aid, "MAP 2.1", metrics=M)
    AnswerService(ctx).record(aid, "MANAGE 1.1", notes="a note, no rating")  # unanswered
    nxt = _draft_next(ctx, aid)
    life = LifecycleService(ctx)
    assert AssessmentService(ctx).answers(nxt)["MANAGE 1.1"].carried_over
    assert life.unreviewed(nxt) == ["GOVERN 1.1", "GOVERN 2.1", "MAP 1.1", "MAP 2.1"]
    assert life.unreviewed(nxt, ReviewScope(categories=("map 1",))) == ["MAP 1.1"]
    govern = life.unreviewed(nxt, ReviewScope(functions=("govern",)))
    assert govern == ["GOVERN 1.1", "GOVERN 2.1"]
    history_before = AnswerService(ctx).history(nxt)
    answers_before = AssessmentService(ctx).answers(nxt)
    assert life.mark_reviewed(nxt, govern) == govern
    added = AnswerService(ctx).history(nxt)[len(history_before) :]
    assert [(e.subcategory_id, e.field, e.old, e.new, e.actor) for e in added] == [
        ("GOVERN 1.1", "carried_over", "yes", "no", "tester"),
        ("GOVERN 2.1", "carried_over", "yes", "no", "tester"),
    ]
    assert AnswerService(ctx).verify_history(nxt) is None
    after = AssessmentService(ctx).answers(nxt)
    for sub in govern:  # nothing but the mark changed
        assert after[sub].model_dump(exclude={"carried_over", "updated_at"}) == answers_before[
            sub
        ].model_dump(exclude={"carried_over", "updated_at"})
    assert life.unreviewed(nxt) == ["MAP 1.1", "MAP 2.1"]
    # Marking again changes nothing and writes nothing.
    assert life.mark_reviewed(nxt, govern) == []
    assert len(AnswerService(ctx).history(nxt)) == len(history_before) + 2
    with pytest.raises(InvalidInput, match="unknown category"):
        life.unreviewed(nxt, ReviewScope(categories=("MAP 9",)))
    with pytest.raises(InvalidInput, match="unknown subcategory"):
        life.mark_reviewed(nxt, ["GOVERN 99.1"])
    assert life.unreviewed(nxt) == ["MAP 1.1", "MAP 2.1"]  # refused whole, nothing marked
    life.finalize(nxt, "Ann Lee", "CRO")
    with pytest.raises(AssessmentLocked):
        life.mark_reviewed(nxt, ["MAP 1.1"])


def test_cli_review_carried(ctx, aid, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    AnswerService(ctx).record(aid, "GOVERN 2.1", metrics=M)
    nxt = _draft_next(ctx, aid)
    db = ["--db", str(db_path)]
    assert main([*db, "score", str(nxt), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["unreviewed"] == 3 and data["overall"]["completion"] == 0.0
    assert main([*db, "score", str(nxt)]) == 0
    assert "3 not yet reviewed" in capsys.readouterr().out
    # A whole function needs --yes; nothing is marked without it.
    assert main([*db, "review-carried", str(nxt), "--function", "GOVERN"]) == 1
    err = capsys.readouterr().err
    assert "2 carried-over answers" in err and "--yes" in err
    assert LifecycleService(ctx).unreviewed(nxt) == ["GOVERN 1.1", "GOVERN 2.1", "MAP 1.1"]
    assert main([*db, "review-carried", str(nxt), "--function", "GOVERN", "--yes"]) == 0
    assert "marked 2 answers reviewed" in capsys.readouterr().out
    # Naming one subcategory is intent enough.
    assert main([*db, "review-carried", str(nxt), "MP-1.1"]) == 0
    assert "marked 1 answer reviewed: MAP 1.1" in capsys.readouterr().out
    assert main([*db, "review-carried", str(nxt), "--all", "--yes"]) == 0
    assert "no carried-over answer" in capsys.readouterr().out
    assert main([*db, "review-carried", str(nxt), "--category", "MAP 9", "--yes"]) == 1
    assert "unknown category" in capsys.readouterr().err
    assert main([*db, "score", str(nxt), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"]["unreviewed"] == 0 and data["overall"]["completion"] > 0
