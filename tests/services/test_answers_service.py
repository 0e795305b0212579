"""Recording answers: validation, N/A rationale, history, durability, and the finalized lock."""

from __future__ import annotations

import sqlite3

import pytest

from app.domain.assessment import Status
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import AssessmentLocked, InvalidInput
from app.services.scoring import ScoringService

HML = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    return AssessmentService(ctx).create({"name": "Q3 review", "ai_system": "Loan scorer"}).id


def test_record_rating_scores_and_persists(ctx, aid, db_path) -> None:  # type: ignore[no-untyped-def]
    answers = AnswerService(ctx)
    saved = answers.record(
        aid, "GV-1.1", metrics={"coverage": "high", "robustness": "m", "input_diversity": "L"}
    )
    assert saved.subcategory_id == "GOVERN 1.1"
    assert saved.metrics == HML
    assert ScoringService(ctx).score(aid).find("GOVERN 1.1").score == 3.0  # 3+2+1=6 -> 3
    # Durable: a separate, plain sqlite3 connection sees the committed row.
    con = sqlite3.connect(db_path)
    try:
        (metrics,) = con.execute(
            "SELECT metrics FROM answers WHERE subcategory_id='GOVERN 1.1'"
        ).fetchone()
        assert '"coverage":"H"' in metrics
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()


@pytest.mark.parametrize(
    ("sub", "changes", "message"),
    [
        ("GOVERN 9.9", {"notes": "x"}, "unknown subcategory"),
        (
            "GOVERN 1.1",
            {"metrics": {"coverage": "X", "robustness": "M", "input_diversity": "L"}},
            "Coverage",
        ),
        ("GOVERN 1.1", {"metrics": {"speed": "H"}}, "unknown metric"),
        ("GOVERN 1.1", {"not_applicable": True}, "rationale"),
        ("GOVERN 1.1", {"level": 3}, "not a direct level"),
        ("GOVERN 1.1", {"target": 7}, "target"),
        ("GOVERN 1.1", {"actions_in_place": [999]}, "actions_in_place"),
        ("GOVERN 1.1", {"notes": "bad\x00byte"}, "control character"),
    ],
)
def test_invalid_changes_are_refused_and_write_nothing(ctx, aid, sub, changes, message) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    with pytest.raises(InvalidInput, match=message):
        service.record(aid, sub, **changes)
    assert AssessmentService(ctx).answers(aid) == {}
    assert service.history(aid) == []


def test_na_then_rating_and_history(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    service.record(aid, "MAP 1.1", metrics=HML)
    na = service.record(aid, "MAP 1.1", not_applicable=True, na_rationale="No end users.")
    assert na.not_applicable and na.metrics == {}
    rated = service.record(aid, "MAP 1.1", metrics=HML)
    assert not rated.not_applicable
    fields = [(e.field, e.actor) for e in service.history(aid, "MAP 1.1")]
    assert ("not_applicable", "tester") in fields and fields.count(("metrics", "tester")) == 3
    assert service.verify_history(aid) is None


def test_unchanged_record_adds_no_history(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    service.record(aid, "GOVERN 1.1", notes="same")
    before = len(service.history(aid))
    service.record(aid, "GOVERN 1.1", notes="same")
    assert len(service.history(aid)) == before


def test_evidence_link_and_file(ctx, aid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = AnswerService(ctx)
    with pytest.raises(InvalidInput, match="not a link"):
        service.add_link(aid, "GOVERN 1.1", "Policy", "not a url")
    service.add_link(aid, "GOVERN 1.1", "Policy", "https://intranet.example/policy")
    original = tmp_path / "minutes.txt"
    original.write_text("Board minutes approving the AI policy")
    answer = service.attach_file(aid, "GOVERN 1.1", original)
    item = answer.evidence[1]
    assert item.file_name == "minutes.txt" and len(item.sha256) == 64
    original.write_text("changed later")  # the stored copy does not change
    path, state = service.evidence_file(item)
    assert state == "ok" and path.read_text() == "Board minutes approving the AI policy"
    answer = service.remove_evidence(aid, "GOVERN 1.1", 0)
    assert [e.title for e in answer.evidence] == ["minutes.txt"]


def test_finalized_assessment_refuses_changes(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    with ctx.writing() as unit:
        unit.assessments.update(aid, ctx.clock(), status=Status.FINALIZED.value)
    with pytest.raises(AssessmentLocked, match="finalized"):
        AnswerService(ctx).record(aid, "GOVERN 1.1", notes="late edit")
    with pytest.raises(AssessmentLocked):
        AssessmentService(ctx).rename(aid, "New name")


def test_create_validates_metadata(ctx) -> None:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    with pytest.raises(InvalidInput, match="name"):
        service.create({"name": "  "})
    with pytest.raises(InvalidInput, match="default_target"):
        service.create({"name": "x", "default_target": 9})
    with pytest.raises(InvalidInput, match="scheme"):
        service.create({"name": "x", "scheme_id": "nope"})
    with pytest.raises(InvalidInput, match="unknown risks"):
        service.create(
            {"name": "x", "profiles": [{"profile_id": "nist-ai-600-1", "risks": ["made-up"]}]}
        )
    assert service.list() == []


def test_duplicate_rename_delete(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=HML, notes="n")
    copy = service.duplicate(aid)
    assert copy.name == "Q3 review (copy)"
    assert service.answers(copy.id)["GOVERN 1.1"].notes == "n"
    assert AnswerService(ctx).verify_history(copy.id) is None
    service.rename(copy.id, "Q4 review")
    assert service.get(copy.id).name == "Q4 review"
    service.delete(copy.id)
    assert [s.assessment.id for s in service.list()] == [aid]


def test_list_uses_a_cached_summary_kept_in_step_with_answers(ctx, aid) -> None:  # type: ignore[no-untyped-def]

    service = AssessmentService(ctx)
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=HML)
    first = service.list()[0].overall
    assert first.score == ScoringService(ctx).score(aid).score == 3.0
    with ctx.reading() as unit:
        assert unit.assessments.list_with_summaries()[0][1] is not None  # cached now
    AnswerService(ctx).record(
        aid, "GOVERN 1.2", metrics={"coverage": "H", "robustness": "H", "input_diversity": "H"}
    )
    with ctx.reading() as unit:
        assert unit.assessments.list_with_summaries()[0][1] is None  # a change made it stale
    second = service.list()[0].overall
    full = ScoringService(ctx).score(aid)
    assert second.score == full.score == 4.0
    assert [f.score for f in second.children] == [f.score for f in full.children]
    assert second.completion == full.completion


def test_a_summary_computed_before_a_save_is_not_cached(ctx, aid) -> None:  # type: ignore[no-untyped-def]

    service = AssessmentService(ctx)
    stale_stamp = service.get(aid).updated_at
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=HML)  # commits in between
    with ctx.writing() as unit:
        unit.assessments.set_summaries(
            [(aid, {"version": 2, "overall": [], "functions": []}, stale_stamp)]
        )
    with ctx.reading() as unit:
        assert unit.assessments.list_with_summaries()[0][1] is None
    assert service.list()[0].overall.score == 3.0


def test_a_save_is_a_patch_of_the_fields_given(ctx, aid, db_path, catalog) -> None:  # type: ignore[no-untyped-def]
    """Two programs on one database (window and CLI): each save changes only its own fields."""
    import datetime as dt

    from app.services.bootstrap import open_services

    other = open_services(str(db_path), catalog=catalog)
    other.actor = "cli"
    try:
        AnswerService(ctx).record(aid, "GOVERN 1.1", notes="window notes", owner="Risk office")
        AnswerService(other).record(aid, "GOVERN 1.1", due_date=dt.date(2027, 5, 1), owner="CLI")
        AnswerService(ctx).record(aid, "GOVERN 1.1", target=4)
        AnswerService(other).record(aid, "GOVERN 1.1", flagged=True)
    finally:
        other.db.dispose()
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1")
    assert (stored.notes, stored.owner, stored.due_date, stored.target, stored.flagged) == (
        "window notes",
        "CLI",
        dt.date(2027, 5, 1),
        4,
        True,
    )
    fields = [(h.actor, h.field) for h in AnswerService(ctx).history(aid, "GOVERN 1.1")]
    assert fields == [
        ("tester", "notes"),
        ("tester", "owner"),
        ("cli", "owner"),
        ("cli", "due_date"),
        ("tester", "target"),
        ("cli", "flagged"),
    ]


def test_consequences_of_a_change_are_shared_by_store_and_window() -> None:
    """The derived fields the store sets (domain rule) are what the window predicts."""
    from app.domain.answer_rules import consequences

    assert consequences({"not_applicable": True}) == {
        "metrics": {},
        "level": None,
        "carried_over": False,
    }
    assert consequences({"level": 3}) == {"not_applicable": False, "carried_over": False}
    assert consequences({"carried_over": False}) == {}
    assert consequences({"carried_over": True, "target": 2}) == {}
