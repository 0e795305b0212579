"""The fast read paths of the repositories return exactly what the typed, validated path does."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.domain.assessment import Assessment
from app.persistence.repositories import AssessmentRepository, to_assessment
from app.persistence.rows import AssessmentRow
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService


def _make(ctx) -> list[Assessment]:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    plain = service.create({"name": "Plain", "ai_system": "Chatbot"})
    overlay = service.create(
        {
            "name": "With overlay",
            "ai_system": "Résumé screener",
            "organization": "Acme",
            "scope": "Hiring\nall regions",
            "profiles": [
                {"profile_id": "nist-ai-600-1", "risks": ["confabulation", "data-privacy"]}
            ],
        }
    )
    AnswerService(ctx).record(
        plain.id, "GOVERN 1.1", metrics={"coverage": "H", "robustness": "M", "input_diversity": "L"}
    )
    AnswerService(ctx).add_link(plain.id, "GOVERN 1.1", "Policy", "https://example.org/p")
    LifecycleService(ctx).finalize(plain.id, signer="Dana", role="CISO", statement="Reviewed")
    return [plain, overlay]


def test_list_equals_the_typed_orm_read(ctx) -> None:  # type: ignore[no-untyped-def]
    _make(ctx)
    AssessmentService(ctx).list()  # fills the summary cache
    with ctx.db.read() as s:
        listed = AssessmentRepository(s).list_with_summaries()
        typed = {
            r.id: (to_assessment(r), r.summary)
            for r in s.execute(select(AssessmentRow.__table__)).all()
        }
    assert len(listed) == 2
    for assessment, summary in listed:
        expected, expected_summary = typed[assessment.id]
        assert assessment == expected
        assert assessment.model_dump() == expected.model_dump()
        assert summary is not None and json.loads(summary) == expected_summary
    finalized = next(a for a, _ in listed if a.name == "Plain")
    assert finalized.finalized_at is not None and finalized.finalized_at.tzinfo is not None
    overlay = next(a for a, _ in listed if a.name == "With overlay")
    assert overlay.profiles[0].risks == ["confabulation", "data-privacy"]


def test_trusted_construction_equals_model_construct(ctx) -> None:  # type: ignore[no-untyped-def]
    for made in _make(ctx):
        with ctx.db.read() as s:
            fast = AssessmentRepository(s).get(made.id)
        assert fast is not None
        slow = Assessment.model_construct(**dict(fast))
        assert fast == slow
        assert fast.model_fields_set == slow.model_fields_set
        assert fast.model_dump_json() == slow.model_dump_json()
        assert Assessment.model_validate(fast.model_dump()) == fast  # the stored values are valid
        copy = fast.model_copy(update={"name": "Renamed"})
        assert copy.name == "Renamed" and fast.name == made.name


def test_compiled_statements_return_what_sqlalchemy_returns(ctx) -> None:  # type: ignore[no-untyped-def]
    """The save path's compiled statements convert values exactly as SQLAlchemy's execution."""
    from app.persistence import repositories as r

    plain, _ = _make(ctx)
    with ctx.db.read() as conn:
        for statement, params in (
            (r._GET_ANSWER, {"aid": plain.id, "sub": "GOVERN 1.1"}),
            (r._GET_ASSESSMENT, {"aid": plain.id}),
        ):
            fast = statement.rows(conn, params)
            slow = conn.execute(statement.statement, params).all()
            assert fast and [tuple(f) for f in fast] == [tuple(x) for x in slow]
            assert fast[0]._fields == tuple(slow[0]._fields)


def test_driver_errors_surface_as_sqlalchemy_errors_and_roll_back(ctx) -> None:  # type: ignore[no-untyped-def]
    """A statement refused by SQLite on the compiled path raises SQLAlchemy's error class (as
    the Core path does) and the unit of work is rolled back whole."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from app.persistence import repositories as r

    plain, _ = _make(ctx)
    before = AnswerService(ctx).history(plain.id)
    last = before[-1]
    duplicate = {
        "assessment_id": plain.id,
        "seq": last.seq,  # (assessment, seq) is unique
        "subcategory_id": last.subcategory_id,
        "field": "notes",
        "old": "",
        "new": "x",
        "actor": "tester",
        "at": last.at,
        "prev_hash": last.prev_hash,
        "entry_hash": last.entry_hash,
    }
    with pytest.raises(IntegrityError), ctx.db.write_connection() as conn:
        r._TOUCH_ASSESSMENT.run(conn, {"aid": plain.id, "now": plain.updated_at})
        r._INSERT_HISTORY.run_many(conn, [duplicate])
    assert AnswerService(ctx).history(plain.id) == before
    assert AssessmentService(ctx).get(plain.id).updated_at != plain.updated_at  # not touched


def test_snapshot_cannot_write(ctx) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    import pytest

    with ctx.db.snapshot() as con, pytest.raises(sqlite3.OperationalError):
        con.execute("DELETE FROM answers")


def test_every_model_built_from_rows_has_all_its_fields(ctx) -> None:  # type: ignore[no-untyped-def]
    """trusted() is given every field (a missing one would not get its default)."""
    from app.domain.assessment import Answer, EvidenceItem

    plain, _ = _make(ctx)
    answers = AnswerService(ctx).get(plain.id, "GOVERN 1.1")
    assert set(answers.model_fields_set) == set(Answer.model_fields)
    assert answers.evidence
    for item in answers.evidence:
        assert set(item.model_fields_set) == set(EvidenceItem.model_fields)
    assert set(AssessmentService(ctx).get(plain.id).model_fields_set) == set(
        Assessment.model_fields
    )
