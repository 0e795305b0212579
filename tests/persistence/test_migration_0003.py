"""Migration 0003: assessment ids are never reused, the origin column, and no data lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.domain.assessment import Origin
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services

FIXTURES = Path(__file__).with_name("fixtures")


def _schema_0002_with_two(tmp_path: Path) -> Path:
    """The 0002 fixture plus a second assessment that is then deleted (id 2, the last one)."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-0002.sqlite3", path)
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO assessments (id,uid,name,ai_system,organization,scope,assessor,"
        "framework_id,framework_version,scheme_id,default_target,profiles,status,created_at,"
        "updated_at,finalized_by,finalized_role,finalized_statement,fingerprint) VALUES "
        "(2,'u2','Deleted','S','','','','nist-ai-rmf-1.0','1.0','rubric',3,'[]','draft',"
        "'2026-01-01T00:00:00+00:00','2026-01-01T00:00:00+00:00','','','','')"
    )
    con.execute("DELETE FROM assessments WHERE id = 2")
    con.commit()
    con.close()
    return path


def test_upgrade_keeps_every_row_and_never_reuses_ids(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = _schema_0002_with_two(tmp_path)
    before = sqlite3.connect(path)
    counts = {
        t: before.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("assessments", "answers", "evidence_items", "answer_history")
    }
    before.close()
    ctx = open_services(str(path), catalog=catalog)
    try:
        con = sqlite3.connect(path)
        # The rebuild must not cascade into the answers and history (foreign keys were on).
        for table, n in counts.items():
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n, table
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'assessments'").fetchone()
        assert "AUTOINCREMENT" in sql[0]
        indexes = {r[1] for r in con.execute("PRAGMA index_list(assessments)")}
        assert {"ix_assessments_ai_system", "ix_assessments_updated_at"} <= indexes
        con.close()
        service = AssessmentService(ctx)
        (old,) = [s.assessment for s in service.list()]
        assert old.origin is Origin.ORIGINAL and old.copy_of == "" and old.is_cycle
        assert AnswerService(ctx).verify_history(old.id) is None
        # Foreign keys are on again for the app's own connections.
        with ctx.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # Id 2 was freed before the upgrade (nothing recorded it); from now on no id is reused.
        third = service.create({"name": "Third", "ai_system": "S"})
        service.delete(third.id)
        fourth = service.create({"name": "Fourth", "ai_system": "S"})
        assert fourth.id == third.id + 1
    finally:
        ctx.db.dispose()


def test_deleting_the_newest_assessment_never_frees_its_id(ctx) -> None:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    first = service.create({"name": "A"})
    second = service.create({"name": "B"})
    service.delete(second.id)
    assert service.create({"name": "C"}).id == second.id + 1
    service.delete(first.id)
    assert min(s.assessment.id for s in service.list()) > first.id
