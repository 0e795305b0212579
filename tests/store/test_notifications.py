"""Team mode: a member's app hears of another member's committed writes (LISTEN/NOTIFY)."""

from __future__ import annotations

import queue

import pytest

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import InvalidInput


@pytest.fixture
def two_members(pg_url, catalog):  # type: ignore[no-untyped-def]
    mine, theirs = open_services(pg_url, catalog=catalog), open_services(pg_url, catalog=catalog)
    yield mine, theirs
    mine.db.dispose()
    theirs.db.dispose()


def _next(heard: queue.Queue, timeout: float = 10.0):  # type: ignore[no-untyped-def,type-arg]
    return heard.get(timeout=timeout)


def test_other_members_saves_are_heard_and_own_are_not(two_members) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = two_members
    heard: queue.Queue[int | None] = queue.Queue()
    listener = mine.listen_for_changes(heard.put)
    assert listener is not None and listener.wait_connected(10)
    try:
        aid = AssessmentService(mine).create({"name": "Mine"}).id  # my own write: not heard
        AnswerService(mine).record(aid, "GOVERN 1.1", notes="mine")
        AnswerService(theirs).record(aid, "GOVERN 1.1", notes="theirs")
        assert _next(heard) == aid
        AssessmentService(theirs).create({"name": "Theirs"})  # a write with no single assessment
        assert _next(heard) is None
        with pytest.raises(InvalidInput):  # refused inside the transaction: rolled back
            AnswerService(theirs).record(aid, "GOVERN 1.1", not_applicable=True)  # no rationale
        AnswerService(theirs).record(aid, "GOVERN 1.2", notes="after")
        assert _next(heard) == aid  # the refused write announced nothing
        assert heard.empty()
    finally:
        listener.stop()


def test_listener_reconnects_after_a_drop_and_asks_for_a_full_reread(  # type: ignore[no-untyped-def]
    two_members, pg_cluster
) -> None:
    mine, theirs = two_members
    heard: queue.Queue[int | None] = queue.Queue()
    listener = mine.listen_for_changes(heard.put)
    assert listener is not None and listener.wait_connected(10)
    try:
        aid = AssessmentService(theirs).create({"name": "Theirs"}).id
        assert _next(heard) is None
        pid = listener.backend_pid
        assert pid
        pg_cluster.admin(f"SELECT pg_terminate_backend({pid})")
        assert _next(heard, 30) is None  # reconnected: re-read everything
        AnswerService(theirs).record(aid, "GOVERN 1.1", notes="after the drop")
        assert _next(heard) == aid
    finally:
        listener.stop()


def test_sqlite_has_no_channel(ctx) -> None:  # type: ignore[no-untyped-def]
    assert ctx.listen_for_changes(lambda _aid: None) is None
