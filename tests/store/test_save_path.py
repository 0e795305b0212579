"""The save path on every engine: one transaction per save, all or nothing.

On PostgreSQL the save runs pipelined on the driver (writes and COMMIT queued and sent
together), so an error the server reports for a queued write arrives late; these tests hold
that it still rolls back the whole save and surfaces as a storage error, never as a driver
traceback, and that saves and the history chain read back the same on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.persistence import repositories
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import StorageError


@pytest.fixture
def services(store_url: str, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    yield ctx
    ctx.db.dispose()


def _metrics(c: str, r: str, d: str) -> dict[str, str]:
    return {"coverage": c, "robustness": r, "input_diversity": d}


def test_saves_read_back_and_chain_verifies(services) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    answers = AnswerService(services)
    answers.record(aid, "GOVERN 1.1", metrics=_metrics("L", "M", "H"))
    answers.record(aid, "GOVERN 1.1", notes="first note")  # an update of the stored row
    answers.record(aid, "MAP 1.1", not_applicable=True, na_rationale="Out of scope")
    stored = AssessmentService(services).answers(aid)
    assert stored["GOVERN 1.1"].metrics == _metrics("L", "M", "H")
    assert stored["GOVERN 1.1"].notes == "first note"
    assert stored["MAP 1.1"].not_applicable is True
    check = answers.check_history(aid)
    assert check.ok, check
    history = answers.history(aid)
    assert [e.seq for e in history] == list(range(1, len(history) + 1))
    assert AssessmentService(services).get(aid).history_count == len(history)


def test_a_write_refused_by_the_database_rolls_back_the_whole_save(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    answers = AnswerService(services)
    answers.record(aid, "GOVERN 1.1", notes="kept")
    before = AssessmentService(services).get(aid)
    # The next history entry reuses seq 1: the unique key refuses it, after the answer's
    # update was already sent (on a server: queued in the same pipeline). Injected into the
    # history records of this engine's save unit, whichever class that is.
    with services.saving(aid) as unit:
        kind = type(unit.history)
    real = kind.append

    def clashing(self, assessment_id, entries):  # type: ignore[no-untyped-def]
        real(self, assessment_id, [e.model_copy(update={"seq": 1}) for e in entries])

    monkeypatch.setattr(kind, "append", clashing)
    with pytest.raises(Exception) as raised:
        answers.record(aid, "GOVERN 1.1", notes="lost")
    assert type(raised.value).__module__.split(".")[0] in {"sqlalchemy", "app"}
    monkeypatch.setattr(kind, "append", real)
    assert AssessmentService(services).answers(aid)["GOVERN 1.1"].notes == "kept"
    after = AssessmentService(services).get(aid)
    assert (after.history_count, after.history_head) == (before.history_count, before.history_head)
    assert answers.check_history(aid).ok
    # The connection went back to the pool clean: the next save works.
    answers.record(aid, "GOVERN 1.1", notes="saved after")
    assert AssessmentService(services).answers(aid)["GOVERN 1.1"].notes == "saved after"


def test_a_save_on_a_missing_assessment_writes_nothing(services) -> None:  # type: ignore[no-untyped-def]
    from app.services.errors import NotFound

    with pytest.raises(NotFound):
        AnswerService(services).record(999_999, "GOVERN 1.1", notes="x")
    assert AssessmentService(services).list() == []


def test_an_unavailable_server_is_a_storage_error(services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    if services.location.sqlite_path is not None:  # the SQLite save opens the file itself
        import sqlite3

        def cannot_open(*_args, **_kwargs):  # type: ignore[no-untyped-def]
            raise sqlite3.OperationalError("unable to open database file")

        monkeypatch.setattr(sqlite3, "connect", cannot_open)
    else:

        def refused():  # type: ignore[no-untyped-def]
            from sqlalchemy.exc import OperationalError

            raise OperationalError("connect", None, Exception("connection refused"))

        monkeypatch.setattr(services.db.engine, "raw_connection", refused)
    with pytest.raises(StorageError):
        AnswerService(services).record(aid, "GOVERN 1.1", notes="x")


def test_a_connection_lost_mid_save_is_not_reused(services) -> None:  # type: ignore[no-untyped-def]
    """The server ends the session during a save: that save fails as a storage error, nothing
    is half-written, and the next save gets a fresh connection and succeeds."""
    if services.db.engine.dialect.name != "postgresql":
        pytest.skip("a server session to end: PostgreSQL only")
    from sqlalchemy import text

    aid = AssessmentService(services).create({"name": "Q1", "ai_system": "Scorer"}).id
    answers = AnswerService(services)
    answers.record(aid, "GOVERN 1.1", notes="kept")
    real = repositories.HistoryRepository.append

    def killed(self, assessment_id, entries):  # type: ignore[no-untyped-def]
        driver = self.connection.driver
        driver.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        real(self, assessment_id, entries)

    original = repositories.HistoryRepository.append
    repositories.HistoryRepository.append = killed  # type: ignore[method-assign]
    try:
        with pytest.raises(StorageError):
            answers.record(aid, "GOVERN 1.1", notes="lost")
    finally:
        repositories.HistoryRepository.append = original  # type: ignore[method-assign]
    answers.record(aid, "GOVERN 1.2", notes="saved after")
    stored = AssessmentService(services).answers(aid)
    assert stored["GOVERN 1.1"].notes == "kept"
    assert stored["GOVERN 1.2"].notes == "saved after"
    assert answers.check_history(aid).ok
    with services.db.read() as s:
        assert s.execute(text("SELECT 1")).scalar_one() == 1


def _saves(ctx, tmp_path) -> int:  # type: ignore[no-untyped-def]
    """The same saves of every kind of value, on ``ctx`` (a fixed clock and actor)."""
    import datetime as dt

    from app.services.lifecycle import LifecycleService

    ticks = iter(range(10_000))
    # A non-UTC zone, and whole seconds every other tick: both paths store UTC text with
    # microseconds always written.
    zone = dt.timezone(dt.timedelta(hours=2))
    start = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=zone)

    def clock() -> dt.datetime:
        n = next(ticks)
        return start + dt.timedelta(seconds=n, microseconds=7 * (n % 2))

    ctx.clock = clock
    ctx.actor = "Bytes Tester"
    aid = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"}).id
    answers = AnswerService(ctx)
    answers.record(aid, "GOVERN 1.1", metrics=_metrics("L", "M", "H"), target=4)
    answers.record(aid, "GOVERN 1.1", notes="Zoë's note — ✓\nline two", owner="Kim")
    answers.record(
        aid,
        "MAP 1.1",
        not_applicable=True,
        na_rationale="Out of scope",
        due_date=dt.date(2027, 3, 31),
        flagged=True,
        actions_in_place=[2, 0],
        evidence_status="none_found",
    )
    answers.add_link(aid, "MAP 1.1", "Policy", "https://example.org/p")
    answers.add_link(aid, "MAP 1.1", "Minutes", "https://example.org/m")
    answers.remove_evidence(aid, "MAP 1.1", 0)
    answers.record(aid, "MAP 1.1", not_applicable=False, level=None)
    answers.record(aid, "GOVERN 1.1", base_version=1, flagged=True)  # a merged stale save
    answers.record_many(aid, [("row 1", "GOVERN 1.2", {"notes": "batch"})])
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    nxt = LifecycleService(ctx).start_next_cycle(aid).id
    answers.record(nxt, "GOVERN 1.1", notes="reviewed")  # confirms a carried-over answer
    return aid


def _stored(path) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    import sqlite3

    con = sqlite3.connect(path)
    try:
        tables = {
            "answers": "SELECT * FROM answers ORDER BY id",
            "evidence_items": "SELECT * FROM evidence_items ORDER BY id",
            "answer_history": "SELECT * FROM answer_history ORDER BY assessment_id, seq",
            # uid is random per assessment; everything else must be equal.
            "assessments": "SELECT * FROM assessments ORDER BY id",
        }
        out = {}
        for name, sql in tables.items():
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            out[name] = [
                tuple(v for n, v in zip(names, row, strict=True) if n != "uid") for row in cursor
            ]
        return out
    finally:
        con.close()


def test_the_sqlite_driver_save_stores_what_the_sqlalchemy_save_stores(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    """SQLite's answer save runs on the driver alone; the same saves through the repositories'
    save path (the server implementation's, here on an SQLite file) store the same bytes."""
    from app.persistence.server_store import ServerStore
    from app.persistence.sqlite_store import SQLiteStore

    stored = {}
    for name in ("driver", "sqlalchemy"):
        path = tmp_path / name / "a.sqlite3"
        ctx = open_services(str(path), catalog=catalog)
        ctx.store  # noqa: B018 - made here, replaced below for the SQLAlchemy run
        if name == "sqlalchemy":
            ctx._store = (ctx.db, ServerStore(ctx.db))
        assert isinstance(ctx.store, SQLiteStore if name == "driver" else ServerStore)
        _saves(ctx, tmp_path)
        ctx.db.dispose()
        stored[name] = _stored(path)
    assert stored["driver"] == stored["sqlalchemy"]
    assert len(stored["driver"]["answer_history"]) > 10 and stored["driver"]["evidence_items"]
