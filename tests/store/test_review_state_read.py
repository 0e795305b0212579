"""A save reads the answer's review state with the answer itself, on both engines.

An edit moves a ready or reviewed answer back to draft (``services.review.moved_by_edit``), so
every save must know the state. It is read in the statement that reads the answer for the save
(issue 13: on a server a read of its own was one more round trip on every save); only an answer
saved for the first time, which has no row to read it with, reads it on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from app.domain.review import AnswerReview, ReviewAction, ReviewState
from app.persistence import repositories, review_snapshot, reviews, sqlite_store
from app.persistence.review_snapshot import reviews_in
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.review import ReviewService


@pytest.fixture
def services(store_url: str, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "dana"
    yield ctx
    ctx.db.dispose()


class _Refused:
    """Stands for the review state's own read: a save that still made it fails."""

    def rows(self, *_args: object, **_kwargs: object) -> list[object]:
        raise AssertionError("the review state was read in a statement of its own")


def _refuse_the_separate_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read of one review state in a statement of its own fails: the repositories' and
    the SQLite driver's (SQL that fails if it is ever run)."""
    monkeypatch.setattr(repositories, "_GET_REVIEW_STATE", _Refused())
    monkeypatch.setattr(reviews, "_GET_STATE", _Refused())
    monkeypatch.setattr(sqlite_store, "_REVIEW_STATE", "SELECT refused FROM no_such_table")
    monkeypatch.setattr(review_snapshot, "_GET_STATE", "SELECT refused FROM no_such_table")


def _reviewed(ctx, sub: str = "GOVERN 1.1") -> int:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"}).id
    AnswerService(ctx).record(aid, sub, notes="first")
    reviews = ReviewService(ctx)
    reviews.act(aid, sub, ReviewAction.READY)
    ctx.actor = "sam"
    reviews.act(aid, sub, ReviewAction.APPROVE)
    ctx.actor = "dana"
    assert reviews.state(aid, sub).state is ReviewState.REVIEWED
    return aid


@pytest.mark.parametrize("how", ["record", "record_many"])
def test_an_edit_moves_the_state_read_with_the_answer(services, monkeypatch, how) -> None:  # type: ignore[no-untyped-def]
    aid = _reviewed(services)
    _refuse_the_separate_read(monkeypatch)
    answers = AnswerService(services)
    if how == "record":
        answers.record(aid, "GOVERN 1.1", notes="changed")
    else:
        answers.record_many(aid, [("row 1", "GOVERN 1.1", {"owner": "Dana"})])
    review = ReviewService(services).state(aid, "GOVERN 1.1")
    assert (review.state, review.actor) == (ReviewState.DRAFT, "dana")
    tail = answers.history(aid)[-1]
    assert (tail.field, tail.new) == ("review", "draft")
    assert answers.check_history(aid).ok


def test_the_unit_hands_out_the_state_read_with_the_answer_once(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    aid = _reviewed(services)
    with services.saving(aid) as unit:
        assert unit.answers.get(aid, "GOVERN 1.1") is not None
        with monkeypatch.context() as patched:
            _refuse_the_separate_read(patched)
            assert unit.answers.review_state(aid, "GOVERN 1.1") == "reviewed"  # no query
        # Asked again, it is read anew: the caller may have changed it in between.
        assert unit.answers.review_state(aid, "GOVERN 1.1") == "reviewed"
        assert unit.answers.review_state(aid, "MAP 1.1") is None  # no answer, no state


def test_a_state_stored_before_the_answer_is_read_on_the_first_save(services) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    ready = AnswerReview(
        subcategory_id="MAP 1.1", state=ReviewState.READY, actor="sam", at=dt.datetime.now(dt.UTC)
    )
    with services.writing(assessment_id=aid) as unit:
        reviews_in(unit).set_state(aid, ready)
    AnswerService(services).record(aid, "MAP 1.1", notes="first answer")
    assert ReviewService(services).state(aid, "MAP 1.1").state is ReviewState.DRAFT


def test_a_first_save_reads_its_answer_once(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An answer not stored yet is read once per save: ``version`` and ``put`` know from that
    read that it is absent (on a server each read was one more round trip)."""
    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    reads: list[str] = []
    for repo in (repositories.AnswerRepository, sqlite_store.DriverAnswerSaves):
        original = repo.get

        def counting(self, assessment_id, subcategory_id, _original=original):  # type: ignore[no-untyped-def]
            reads.append(subcategory_id)
            return _original(self, assessment_id, subcategory_id)

        monkeypatch.setattr(repo, "get", counting)
    rating = {"coverage": "H", "robustness": "M", "input_diversity": "L"}
    AnswerService(services).record(aid, "GOVERN 1.1", metrics=rating)
    assert reads == ["GOVERN 1.1"]
    monkeypatch.undo()
    assert AnswerService(services).get(aid, "GOVERN 1.1").metrics == rating
