"""Reading many assessments at once (the first listing after an upgrade), on every engine.

The batch reads must give exactly what the one-assessment reads give, and the summaries they
produce must be the ones the scoring service computes; a summary computed before a save is
never cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from app.persistence.repositories import AnswerRepository, AssessmentRepository
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.scoring import ScoringService

HML = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


@pytest.fixture
def services(store_url: str, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    yield ctx
    ctx.db.dispose()


def _three(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    made = AssessmentService(ctx)
    answers = AnswerService(ctx)
    ids = []
    for n in range(3):
        aid = made.create({"name": f"Q{n}", "ai_system": "Scorer", "default_target": 3}).id
        answers.record(aid, "GOVERN 1.1", metrics=HML, notes=f"note {n}", target=4)
        answers.record(aid, "MAP 1.1", not_applicable=True, na_rationale="Out of scope")
        answers.add_link(aid, "MAP 1.1", "Policy", "https://example.org/p")
        answers.add_link(aid, "MAP 1.1", "Minutes", "https://example.org/m")
        if n:
            answers.record(
                aid,
                "MEASURE 2.1",
                metrics={**HML, "coverage": "LM"[n - 1]},
                due_date=dt.date(2027, 1, n),
                owner="Kim",
            )
        ids.append(aid)
    return ids


def test_batch_reads_equal_the_one_assessment_reads(services) -> None:  # type: ignore[no-untyped-def]
    ids = _three(services)
    with services.db.read() as s:
        one_by_one = {aid: AnswerRepository(s).all(aid) for aid in ids}
        batch = AnswerRepository(s).all_of([*ids, 999_999])
    assert batch[999_999] == {}
    for aid in ids:
        assert batch[aid] == one_by_one[aid] and batch[aid]
        for sub, answer in batch[aid].items():
            assert answer.model_dump() == one_by_one[aid][sub].model_dump()
    assert [e.title for e in batch[ids[0]]["MAP 1.1"].evidence] == ["Policy", "Minutes"]
    with services.reading() as unit:  # SQLite: on the driver alone
        assert unit.answers.all_of(ids) == {aid: batch[aid] for aid in ids}


def test_first_listing_with_empty_cache_matches_the_scores(services) -> None:  # type: ignore[no-untyped-def]
    ids = _three(services)
    with services.db.write() as s:
        s.execute(text("UPDATE assessments SET summary = NULL"))
    listed = {row.assessment.id: row.overall for row in AssessmentService(services).list()}
    for aid in ids:
        full = ScoringService(services).score(aid)
        assert listed[aid].score == full.score
        assert [f.score for f in listed[aid].children] == [f.score for f in full.children]
        assert listed[aid].completion == full.completion
    with services.db.read() as s:
        assert all(
            summary is not None for _a, summary in AssessmentRepository(s).list_with_summaries()
        )


def test_summaries_computed_before_a_save_are_not_cached(services) -> None:  # type: ignore[no-untyped-def]
    first, second, _ = _three(services)
    with services.db.write() as s:
        s.execute(text("UPDATE assessments SET summary = NULL"))
    service = AssessmentService(services)
    stale_stamp = service.get(first).updated_at
    fresh_stamp = service.get(second).updated_at
    AnswerService(services).record(first, "GOVERN 1.2", metrics=HML)  # commits in between
    empty = {"version": 2, "overall": [], "functions": []}
    with services.db.write() as s:
        AssessmentRepository(s).set_summaries(
            [(first, empty, stale_stamp), (second, empty, fresh_stamp)]
        )
    with services.db.read() as s:
        cached = {a.id: summary for a, summary in AssessmentRepository(s).list_with_summaries()}
    assert cached[first] is None
    assert cached[second] is not None
