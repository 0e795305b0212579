"""The store: SQLite pragmas, migrations from every released schema, refusal of foreign files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.persistence.database import head_revision, open_database
from app.persistence.errors import DatabaseTooNew, NotOurDatabase
from app.persistence.rows import Base

FIXTURES = Path(__file__).with_name("fixtures")


def _open(path: Path):  # type: ignore[no-untyped-def]
    return open_database(f"sqlite:///{path}", sqlite_path=path)


def test_pragmas_for_durability(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = _open(tmp_path / "a.sqlite3")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()


def test_rows_match_the_migrations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = _open(tmp_path / "a.sqlite3")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.dispose()
    assert diff == []


def test_history_is_append_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.sqlite3"
    _open(path).dispose()
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO assessments (uid,name,ai_system,organization,scope,assessor,"
        "framework_id,framework_version,scheme_id,default_target,profiles,status,"
        "created_at,updated_at,finalized_by,finalized_role,finalized_statement,fingerprint) "
        "VALUES ('u','n','s','','','','f','1','rubric',3,'[]','draft','t','t','','','','')"
    )
    con.execute(
        "INSERT INTO answer_history (assessment_id,seq,subcategory_id,field,old,new,"
        "actor,at,prev_hash,entry_hash) VALUES (1,1,'GOVERN 1.1','notes','','x','a','t',"
        "'p','h')"
    )
    con.commit()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("UPDATE answer_history SET new='forged'")
    con.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.sqlite3")), ids=lambda p: p.name)
def test_every_released_schema_upgrades_with_data_intact(tmp_path, fixture, ctx) -> None:  # type: ignore[no-untyped-def]
    from app.services.bootstrap import open_services
    from app.services.scoring import ScoringService

    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    upgraded = open_services(str(copy), catalog=ctx.catalog)
    try:
        with upgraded.db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        from app.services.answers import AnswerService
        from app.services.assessments import AssessmentService

        summaries = AssessmentService(upgraded).list()
        assert [s.assessment.name for s in summaries] == ["Fixture assessment"]
        aid = summaries[0].assessment.id
        tree = ScoringService(upgraded).score(aid)
        assert tree.find("GOVERN 1.1").score == 4.0
        assert tree.find("MAP 1.1").not_applicable == 1
        answer = AnswerService(upgraded).get(aid, "GOVERN 1.1")
        assert answer.notes == "Approved by the board" and answer.evidence[0].url
        assert AnswerService(upgraded).verify_history(aid) is None
    finally:
        upgraded.db.dispose()


def test_newer_database_is_refused_untouched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.sqlite3"
    _open(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version"):
        _open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["text", "truncated", "foreign", "folder"])
def test_foreign_or_damaged_files_are_refused_untouched(tmp_path, kind) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.sqlite3"
    if kind == "text":
        path.write_text("hello, I am a spreadsheet export\n" * 20)
    elif kind == "truncated":
        path.write_bytes(b"SQLite format 3\x00\x10\x00")
    elif kind == "foreign":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        con.commit()
        con.close()
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(NotOurDatabase) as info:
        _open(path)
    assert str(path) in str(info.value)
    if before is not None:
        assert path.read_bytes() == before


def test_known_revisions_match_the_migration_scripts() -> None:
    """Opening an up-to-date database skips Alembic; the constant must follow the scripts."""
    from app.persistence.database import KNOWN_REVISIONS, script_revisions

    assert list(KNOWN_REVISIONS) == script_revisions()
