"""Duplicating an assessment makes a marked copy, not another cycle of the AI system."""

from __future__ import annotations

from app.domain.assessment import NAME_MAX, Origin
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.services.progress import ProgressService

M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


def test_duplicate_is_a_named_marked_copy_kept_out_of_the_trend(ctx) -> None:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    a = service.create({"name": "Q3 review", "ai_system": "Loan scorer"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M)
    copy = service.duplicate(a.id)
    assert copy.name == "Q3 review (copy)"
    assert copy.origin is Origin.COPY and copy.copy_of == a.uid and not copy.is_cycle
    assert not service.answers(copy.id)["GOVERN 1.1"].carried_over  # a copy, not a new cycle
    assert [x.id for x in LifecycleService(ctx).series("Loan scorer")] == [a.id]
    assert [p.assessment.id for p in ProgressService(ctx).trend("Loan scorer")] == [a.id]
    every = ProgressService(ctx).trend("Loan scorer", include_copies=True)
    assert [p.assessment.id for p in every] == [a.id, copy.id]
    # A copy is never "the previous cycle" of a real one.
    nxt = LifecycleService(ctx).start_next_cycle(a.id, "Q4", from_draft=True)
    later = service.create({"name": "Q1", "ai_system": "Loan scorer"})
    assert ProgressService(ctx).previous_cycle(later.id).id == nxt.id
    # The copy of a long name still fits the limit.
    long = service.create({"name": "x" * NAME_MAX, "ai_system": "Loan scorer"})
    assert service.duplicate(long.id).name.endswith(" (copy)")


def test_only_copies_of_a_system_explain_the_empty_trend(ctx) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from app.services.errors import NotFound

    service = AssessmentService(ctx)
    a = service.create({"name": "Q3", "ai_system": "Chatbot"})
    service.duplicate(a.id)
    service.delete(a.id)
    with pytest.raises(NotFound, match="only copies"):
        ProgressService(ctx).trend("Chatbot")


def test_cli_lists_origin_and_trend_leaves_copies_out(ctx, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from app.cli.main import main

    service = AssessmentService(ctx)
    a = service.create({"name": "Q3", "ai_system": "Loan scorer"})
    copy = service.duplicate(a.id)
    db = ["--db", str(db_path)]
    assert main([*db, "assessment", "list", "--json"]) == 0
    listed = {x["id"]: x for x in json.loads(capsys.readouterr().out)}
    assert listed[a.id]["origin"] == "original" and listed[copy.id]["origin"] == "copy"
    assert listed[a.id]["unreviewed"] == 0
    assert main([*db, "trend", "--system", "Loan scorer", "--json"]) == 0
    cycles = json.loads(capsys.readouterr().out)["cycles"]
    assert [c["id"] for c in cycles] == [a.id]
    assert main([*db, "trend", "--system", "Loan scorer", "--include-copies", "--json"]) == 0
    cycles = json.loads(capsys.readouterr().out)["cycles"]
    assert [(c["id"], c["origin"]) for c in cycles] == [(a.id, "original"), (copy.id, "copy")]


def test_duplicate_copies_actions_and_profile_and_starts_review_fresh(ctx) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from app.domain.actions import ActionStatus
    from app.domain.history import ASSESSMENT_EVENT
    from app.domain.review import ReviewAction, ReviewState
    from app.services.actions import ActionService
    from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
    from app.services.integrity import IntegrityService
    from app.services.review import ReviewService

    service, actions, reviews = AssessmentService(ctx), ActionService(ctx), ReviewService(ctx)
    a = service.create({"name": "Q3 review", "ai_system": "Loan scorer"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M)
    profile = {"risk_tier": "high", "intended_use": "Score loans", "data_categories": ["credit"]}
    AssessmentEditor(ctx).edit(a.id, AssessmentEdit(system=profile))
    planned = actions.add(
        a.id, "GOVERN 1.1", title="Write policy", owner="Dana", due_date="2099-01-31"
    )
    done = actions.add(a.id, "MAP 1.1", title="Inventory", status="done")
    reviews.act(a.id, "GOVERN 1.1", ReviewAction.READY)
    reviews.set_four_eyes(a.id, True)

    source_history = AnswerService(ctx).history(a.id)
    ctx.actor = "sam"
    ctx.clock = lambda: dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)
    copy = service.duplicate(a.id)

    copied = {x.title: x for x in actions.list(copy.id)}
    assert set(copied) == {"Write policy", "Inventory"}
    for original in (planned, done):
        mine = copied[original.title]
        assert mine.model_dump(exclude={"created_at", "updated_at"}) == original.model_dump(
            exclude={"created_at", "updated_at"}
        )
        assert mine.created_at == mine.updated_at == ctx.clock()
    assert copied["Inventory"].status is ActionStatus.DONE
    got = AssessmentEditor(ctx).profile(copy.id)
    assert got == AssessmentEditor(ctx).profile(a.id) and got.risk_tier is not None
    # Not copied: review states, the four-eyes setting (and the sign-off: a copy is a draft).
    assert reviews.state(copy.id, "GOVERN 1.1").state is ReviewState.DRAFT
    assert reviews.state(a.id, "GOVERN 1.1").state is ReviewState.READY
    assert not reviews.four_eyes_relaxed(copy.id)
    # The copy's history records every copied value as its own, and replays to what is stored.
    history = AnswerService(ctx).history(copy.id)
    assert {e.actor for e in history} == {"sam"} and {e.at for e in history} == {ctx.clock()}
    fields = [(e.subcategory_id, e.field) for e in history]
    assert (ASSESSMENT_EVENT, "system:risk_tier") in fields
    assert (ASSESSMENT_EVENT, "system:data_categories") in fields
    assert ("MAP 1.1", f"action:{done.uid}:status") in fields
    assert IntegrityService(ctx).check_history(copy.id).ok
    assert IntegrityService(ctx).verify(copy.id, files=False).history.ok
    # The source is unchanged.
    assert AnswerService(ctx).history(a.id) == source_history
    assert {x.title for x in actions.list(a.id)} == {"Write policy", "Inventory"}


def test_duplicate_of_an_assessment_without_actions_or_profile(ctx) -> None:  # type: ignore[no-untyped-def]
    from app.services.actions import ActionService
    from app.services.assessment_edit import AssessmentEditor
    from app.services.integrity import IntegrityService

    service = AssessmentService(ctx)
    a = service.create({"name": "Empty", "ai_system": "Chatbot"})
    copy = service.duplicate(a.id)
    assert ActionService(ctx).list(copy.id) == []
    assert AssessmentEditor(ctx).profile(copy.id).is_empty
    assert AnswerService(ctx).history(copy.id) == []
    assert IntegrityService(ctx).check_history(copy.id).ok
