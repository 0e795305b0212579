"""The store interface itself, on every engine: every read of a read unit equals the SQLAlchemy
implementation's, units roll back on error, writers of one assessment are serialised by the
unit, and a further record kind is reached through ``part`` in the unit's own transaction.

The SQLite store reads on the sqlite3 driver alone; these tests hold its reads equal to the
repositories' on the same file (which replaced the hand-kept column lists).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from app.persistence.server_store import ServerStore
from app.persistence.sqlite_store import SQLiteStore
from app.persistence.store import AssessmentStore, store_for
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import StorageError
from app.services.lifecycle import LifecycleService

HML = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


@pytest.fixture
def services(store_url: str, catalog) -> Iterator[object]:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    yield ctx
    ctx.db.dispose()


def _fill(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    """Three assessments of two systems, with every kind of stored value."""
    made = AssessmentService(ctx)
    answers = AnswerService(ctx)
    first = made.create({"name": "Q1", "ai_system": "Scorer", "default_target": 3}).id
    answers.record(first, "GOVERN 1.1", metrics=HML, notes="Reviewed\nwith legal ✓", target=4)
    answers.record(
        first,
        "MAP 1.1",
        not_applicable=True,
        na_rationale="Out of scope: no personal data",
        owner="Kim",
        due_date=dt.date(2027, 3, 31),
        flagged=True,
        actions_in_place=[0, 2],
    )
    answers.add_link(first, "MAP 1.1", "Policy", "https://example.org/p")
    answers.add_link(first, "MAP 1.1", "Minutes", "https://example.org/m")
    answers.record(first, "MEASURE 2.1", notes="only notes", evidence_status="none_found")
    LifecycleService(ctx).finalize(first, "Ann Lee", "CRO")
    second = LifecycleService(ctx).start_next_cycle(first).id
    answers.record(second, "GOVERN 1.1", notes="second cycle")
    other = made.create({"name": "Other", "ai_system": "Chatbot", "default_target": 2}).id
    return [first, second, other]


def _reads(unit, ids: list[int]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Every read of the store interface, with its result."""
    first = ids[0]
    a, n, h = unit.assessments, unit.answers, unit.history
    return {
        "get": [a.get(i) for i in [*ids, 999_999]],
        "head": [a.get_with_history_head(i) for i in [*ids, 999_999]],
        "uid": (a.uid_exists(a.get(first).uid), a.uid_exists("no-such-uid")),
        "list": a.list(),
        "summaries": a.list_with_summaries(),
        "by_system": (a.by_system("Scorer"), a.by_system("nobody")),
        "later": (a.later_cycles(first), a.later_cycles(ids[1])),
        "answer": [n.get(first, s) for s in ("GOVERN 1.1", "MAP 1.1", "MAP 1.2")],
        "versions": [n.versions(i) for i in ids],
        "field_versions": [n.field_versions(i) for i in ids],
        "all": [n.all(i) for i in ids],
        "all_of": n.all_of([*ids, 999_999]),
        "score_rows": n.score_rows_of([*ids, 999_999]),
        "files": n.files_of(first),
        "hashes": (n.file_hashes_in_use(), n.file_hashes_in_use(first)),
        "history": [h.list(i) for i in ids],
        "history_of": h.list(first, "MAP 1.1"),
        "heads": h.heads(),
    }


def _dumped(value: object) -> object:
    """Models compared field by field (== on Pydantic models ignores nothing, but a mismatch
    is easier to read as dicts)."""
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if isinstance(value, dict):
        return {k: _dumped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_dumped(v) for v in value]
    return value


def test_every_read_equals_the_sqlalchemy_implementation(services) -> None:  # type: ignore[no-untyped-def]
    ids = _fill(services)
    store = services.store
    with store.read() as unit:
        got = _reads(unit, ids)
    with ServerStore(services.db).read() as unit:
        expected = _reads(unit, ids)
    assert _dumped(got) == _dumped(expected)
    assert got == expected
    # The data is rich enough for the comparison to mean something.
    assert got["get"][-1] is None and got["answer"][-1] is None
    assert [e.title for e in got["answer"][1].evidence] == ["Policy", "Minutes"]
    assert got["later"][0] and got["by_system"][0] and got["heads"]
    assert got["history_of"] and {e.subcategory_id for e in got["history_of"]} == {"MAP 1.1"}
    assert got["field_versions"][0]["GOVERN 1.1"].fields  # fields with their versions


def test_each_engine_has_its_implementation(services) -> None:  # type: ignore[no-untyped-def]
    store: AssessmentStore = store_for(services.db)
    sqlite = services.location.sqlite_path is not None
    assert isinstance(store, SQLiteStore if sqlite else ServerStore)
    assert isinstance(services.store, type(store))


def test_a_failed_unit_changes_nothing(services) -> None:  # type: ignore[no-untyped-def]
    ids = _fill(services)
    before = AnswerService(services).history(ids[2])
    with pytest.raises(RuntimeError), services.writing(assessment_id=ids[2]) as unit:
        AnswerService(services)._append_history(
            unit, ids[2], "GOVERN 1.1", [("notes", "", "x")], services.clock(), None
        )
        unit.assessments.touch(ids[2], services.clock())
        raise RuntimeError("a failure after the writes")
    assert AnswerService(services).history(ids[2]) == before
    stamp = AssessmentService(services).get(ids[2]).updated_at
    with pytest.raises(RuntimeError), services.saving(ids[2]) as unit:
        unit.assessments.touch(ids[2], stamp + dt.timedelta(days=1))
        raise RuntimeError("a failure in the save path")
    assert AssessmentService(services).get(ids[2]).updated_at == stamp


def test_part_runs_in_the_units_transaction(services) -> None:  # type: ignore[no-untyped-def]
    """A further record kind (here a throwaway repository) sees the unit's own writes and is
    rolled back with them: new kinds are added without touching the answer paths."""
    from sqlalchemy import text

    class Notes:  # what a new kind's repository looks like: built on the unit's connection
        def __init__(self, connection) -> None:  # type: ignore[no-untyped-def]
            self.connection = connection

        def name_of(self, aid: int) -> str:
            return str(
                self.connection.execute(
                    text("SELECT name FROM assessments WHERE id = :a"), {"a": aid}
                ).scalar_one()
            )

    ids = _fill(services)
    meta = AssessmentService(services).get(ids[2])
    with pytest.raises(RuntimeError), services.writing(assessment_id=ids[2]) as unit:
        unit.assessments.update(ids[2], services.clock(), name="Renamed in the unit")
        assert unit.part(Notes) is unit.part(Notes)
        assert unit.part(Notes).name_of(ids[2]) == "Renamed in the unit"
        raise RuntimeError("roll back")
    with services.reading() as unit:
        assert unit.part(Notes).name_of(ids[2]) == meta.name


def test_an_unavailable_database_is_a_storage_error(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A read unit of a database that went away: one StorageError naming it, no traceback."""
    if services.location.sqlite_path is None:
        pytest.skip(
            "a server's: test_save_path.py::test_an_unavailable_server_is_a_storage_error and "
            "test_migrations.py::test_an_unreachable_server_is_one_clear_message"
        )
    services.db.dispose()
    services.location.sqlite_path.unlink()
    gone = services.location.sqlite_path.name
    with pytest.raises(StorageError, match=gone), services.reading() as unit:
        unit.assessments.list()
