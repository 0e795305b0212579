"""An optional write (the score cache) never waits for another writer's lock, on both engines
(store contract: ``write(wait=False)``/``save(None, wait=False)`` raise at once). On SQLite the
file's write lock is refused by a busy timeout of 0; on PostgreSQL a row another writer has
locked is refused by the transaction's lock timeout. Either way: one "locked" message, nothing
written, and a listing whose summaries cannot be cached still returns."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import StorageError

HML = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


@pytest.fixture
def services(store_url: str, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    yield ctx
    ctx.db.dispose()


class _Holder:
    """Another writer of the assessment, holding its write unit open until released."""

    def __init__(self, ctx, aid: int) -> None:  # type: ignore[no-untyped-def]
        self.held = threading.Event()
        self.release = threading.Event()
        self.failed: list[BaseException] = []
        self.thread = threading.Thread(target=self._hold, args=(ctx, aid))

    def _hold(self, ctx, aid: int) -> None:  # type: ignore[no-untyped-def]
        try:
            with ctx.writing(assessment_id=aid) as unit:
                unit.assessments.touch(aid, ctx.clock())
                self.held.set()
                self.release.wait(60)
        except BaseException as exc:  # reported by the test
            self.failed.append(exc)
            self.held.set()

    def __enter__(self) -> _Holder:
        self.thread.start()
        assert self.held.wait(30) and not self.failed
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self.thread.join(60)
        assert not self.failed


def test_an_optional_write_is_refused_at_once_by_a_held_lock(services) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    stamp = AssessmentService(services).get(aid).updated_at
    summary = {"version": 2, "overall": [], "functions": []}
    with _Holder(services, aid) as holder:
        for unit_of in (
            lambda: services.saving(None, wait=False),
            lambda: services.writing(wait=False),
        ):
            with pytest.raises(StorageError, match="locked"), unit_of() as unit:
                unit.assessments.set_summaries([(aid, summary, stamp)])
        assert holder.thread.is_alive()  # refused while the other writer still held it
    with services.reading() as unit:
        assert unit.assessments.list_with_summaries()[0][1] is None  # nothing was cached


def test_a_listing_returns_while_another_writer_holds_the_lock(services) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    AnswerService(services).record(aid, "GOVERN 1.1", metrics=HML)
    with _Holder(services, aid) as holder:
        listed = AssessmentService(services).list()
        # Returned before the other writer let go: its cache write did not wait.
        assert holder.thread.is_alive()
    assert [row.assessment.id for row in listed] == [aid]
    assert listed[0].overall.score == 3.0
