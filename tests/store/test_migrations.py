"""Schema upgrades on every engine: each released schema's fixture, rebuilt on PostgreSQL, is
upgraded to head and must read exactly as the same fixture upgraded on SQLite; a failing
upgrade rolls back on both; a read-only or unreachable server is one clear message.

On PostgreSQL a fixture's schema is built by running Alembic up to the fixture's revision on an
empty database, then the fixture's rows are copied in (ids kept, booleans converted, the id
sequences moved past them), as a database of that release would hold them.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Boolean, MetaData, create_engine, text

from app.persistence import database
from app.persistence.database import alembic_config, head_revision, open_database
from app.persistence.errors import DatabaseError, MigrationFailed
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import ServiceError, StorageError
from app.services.integrity import IntegrityService

FIXTURES = sorted((Path(__file__).parents[1] / "persistence" / "fixtures").glob("schema-*.sqlite3"))
# Parents before children, so that every foreign key finds its row.
TABLE_ORDER = (
    "assessments",
    "answers",
    "evidence_items",
    "answer_history",
    "evidence_files",
    "remediation_actions",  # 0007
    "answer_reviews",  # 0009
    "review_comments",
    "signoff_roles",
    "signoff_settings",
    "system_profiles",  # 0010
)


def _revision_of(fixture: Path) -> str:
    con = sqlite3.connect(f"{fixture.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


def _rebuild_on_server(fixture: Path, url: str) -> str:
    """The fixture's schema and rows on the (empty) server database at ``url``; its revision."""
    from alembic import command

    revision = _revision_of(fixture)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        server = MetaData()
        server.reflect(engine)
        source = sqlite3.connect(f"{fixture.as_uri()}?mode=ro&immutable=1", uri=True)
        with engine.begin() as conn:
            for name in TABLE_ORDER:
                if name not in server.tables:
                    continue
                table = server.tables[name]
                cursor = source.execute(f"SELECT * FROM {name} ORDER BY rowid")  # noqa: S608
                names = [d[0] for d in cursor.description]
                flags = {c.name for c in table.columns if isinstance(c.type, Boolean)}
                rows = [
                    {
                        k: (bool(v) if k in flags and v is not None else v)
                        for k, v in zip(names, row, strict=True)
                    }
                    for row in cursor
                ]
                if rows:
                    conn.execute(table.insert(), rows)
                if "id" in table.columns and rows:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"(SELECT max(id) FROM {name}))"
                        )
                    )
        source.close()
    finally:
        engine.dispose()
    return revision


def _everything(ctx) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the store holds, as the services read it."""
    with ctx.reading() as unit:
        assessments = unit.assessments.list()
        ids = [a.id for a in assessments]
        out: dict[str, object] = {
            "assessments": [a.model_dump(exclude={"updated_at"}) for a in assessments],
            "answers": {i: unit.answers.all(i) for i in ids},
            "versions": {i: unit.answers.versions(i) for i in ids},
            "history": {i: unit.history.list(i) for i in ids},
            "heads": unit.history.heads(),
        }
    out["checks"] = {i: IntegrityService(ctx).check_history(i).ok for i in ids}
    # The records of schema 0007-0010 (none in older fixtures).
    from app.services.actions import ActionService
    from app.services.assessment_edit import AssessmentEditor
    from app.services.review import ReviewService

    out["actions"] = {i: ActionService(ctx).list(i) for i in ids}
    out["reviews"] = {i: ReviewService(ctx).states(i) for i in ids}
    out["signoff"] = {i: ReviewService(ctx).signoff(i) for i in ids}
    out["profiles"] = {i: AssessmentEditor(ctx).profile(i) for i in ids}
    return out


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_every_fixture_upgrades_on_the_server_as_on_sqlite(
    fixture: Path, pg_url: str, tmp_path: Path, catalog
) -> None:  # type: ignore[no-untyped-def]
    revision = _rebuild_on_server(fixture, pg_url)
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    on_file = open_services(str(copy), catalog=catalog)
    on_server = open_services(pg_url, catalog=catalog)
    try:
        with on_server.db.engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert found == head_revision() and (revision == head_revision() or revision < found)
        expected, got = _everything(on_file), _everything(on_server)
        assert got == expected
        assert expected["answers"] and all(expected["checks"].values())
        # The upgraded server database takes new saves after the copied rows.
        aid = next(iter(expected["answers"]))
        stored = AnswerService(on_server).record(aid, "GOVERN 1.2", notes="after the upgrade")
        assert stored.notes == "after the upgrade"
        assert IntegrityService(on_server).check_history(aid).ok
        assert AssessmentService(on_server).create(
            {"name": "New", "ai_system": "After", "default_target": 3}
        ).id > max(expected["answers"])
    finally:
        on_file.db.dispose()
        on_server.db.dispose()
    # The fixture was only read: nothing written beside it (a WAL file's -wal and -shm).
    assert not [p.name for p in fixture.parent.iterdir() if p.name.startswith(f"{fixture.name}-")]


def _oldest() -> Path:
    return FIXTURES[0]


def test_a_failing_upgrade_changes_nothing_on_the_server(pg_url: str, catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    revision = _rebuild_on_server(_oldest(), pg_url)

    def broken(conn) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("injected failure after the last revision")

    monkeypatch.setattr(database, "_check_references", broken)
    with pytest.raises(MigrationFailed, match="rolled back, the data is unchanged"):
        open_database(pg_url)
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == revision
            )
            names = set(
                conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                ).scalars()
            )
    finally:
        engine.dispose()
    assert "evidence_files" not in names  # added by a later revision: rolled back with it
    monkeypatch.undo()
    ctx = open_services(pg_url, catalog=catalog)  # the upgrade then succeeds
    try:
        assert AssessmentService(ctx).list()
    finally:
        ctx.db.dispose()


def test_a_failing_upgrade_changes_nothing_on_sqlite(tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / _oldest().name
    shutil.copy(_oldest(), copy)
    before = copy.read_bytes()

    def broken(conn) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("injected failure after the last revision")

    monkeypatch.setattr(database, "_check_references", broken)
    with pytest.raises(MigrationFailed, match="rolled back, the data is unchanged"):
        open_database(f"sqlite:///{copy}", sqlite_path=copy)
    assert _revision_of(copy) == _revision_of(_oldest())
    con = sqlite3.connect(copy)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert copy.read_bytes() == before


def test_a_read_only_server_session_is_one_clear_message(pg_url: str, catalog) -> None:  # type: ignore[no-untyped-def]
    ctx = open_services(pg_url, catalog=catalog)
    aid = AssessmentService(ctx).create({"name": "Q", "ai_system": "S", "default_target": 3}).id
    ctx.db.dispose()
    read_only = f"{pg_url}?options=-c%20default_transaction_read_only%3Don"
    ctx = open_services(read_only, catalog=catalog)
    try:
        assert [s.assessment.id for s in AssessmentService(ctx).list()] == [aid]
        with pytest.raises(StorageError, match="read-only"):
            AnswerService(ctx).record(aid, "GOVERN 1.1", notes="refused")
        with pytest.raises(StorageError, match="read-only"):
            AssessmentService(ctx).rename(aid, "refused")
        assert AnswerService(ctx).get(aid, "GOVERN 1.1").notes == ""
    finally:
        ctx.db.dispose()


def test_an_unreachable_server_is_one_clear_message(pg_url: str, catalog) -> None:  # type: ignore[no-untyped-def]
    # A port nothing listens on (the cluster's own port, plus one, is not the cluster's).
    host, rest = pg_url.split("@", 1)[1].split(":", 1)
    port = int(rest.split("/", 1)[0])
    gone = pg_url.replace(f"{host}:{port}", f"{host}:{port + 1}")
    with pytest.raises((StorageError, DatabaseError, ServiceError)) as info:
        open_services(gone, catalog=catalog)
    assert "Traceback" not in str(info.value) and str(port + 1) in str(info.value)
