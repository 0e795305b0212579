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
