"""Migration 0010 (AI-system profiles) on the schema-0006 fixture: the data is intact, existing
assessments have an empty profile, and a profile can be filled in and carried afterwards."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.domain.system_profile import RiskTier
from app.persistence.database import HEAD
from app.services.answers import AnswerService
from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services

FIXTURE = Path(__file__).with_name("fixtures") / "schema-0006.sqlite3"


def test_upgrade_from_0006_keeps_the_data_and_adds_empty_profiles(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    before = {
        table: con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608
        for table in ("assessments", "answers", "answer_history", "evidence_items")
    }
    con.close()
    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    try:
        ids = [s.assessment.id for s in AssessmentService(ctx).list()]
        assert ids
        editor = AssessmentEditor(ctx)
        assert all(editor.profile(aid).is_empty for aid in ids)
        assert all(AnswerService(ctx).check_history(aid).ok for aid in ids)
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(path)
    for table, rows in before.items():
        after = con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608
        if table == "assessments":  # the list may refresh the cached scores only
            assert [r[:3] for r in after] == [r[:3] for r in rows]
        else:  # later migrations may add columns: those there before keep their values
            assert [r[: len(rows[0])] for r in after] == rows if rows else after == rows, table
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    assert con.execute("SELECT count(*) FROM system_profiles").fetchone() == (0,)
    con.close()

    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    try:
        draft = next(
            s.assessment.id
            for s in AssessmentService(ctx).list()
            if s.assessment.status.value == "draft"
        )
        AssessmentEditor(ctx).edit(draft, AssessmentEdit(system={"risk_tier": "medium"}))
        assert AssessmentEditor(ctx).profile(draft).risk_tier is RiskTier.MEDIUM
        assert AnswerService(ctx).check_history(draft).ok
    finally:
        ctx.db.dispose()


def test_upgrade_to_0010_on_every_engine(store_url: str, catalog) -> None:  # type: ignore[no-untyped-def]
    """A database at the revision before 0010 with an assessment and an answer, upgraded by
    opening it: the rows are intact and the assessment's profile is empty, then editable."""
    import datetime as dt

    from alembic import command
    from sqlalchemy import func, select

    from app.config.paths import resolve
    from app.persistence.database import alembic_config, open_database
    from app.persistence.rows import AnswerRow, AssessmentRow

    location = resolve(store_url)
    if location.sqlite_path is not None:
        location.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(location.url, sqlite_path=location.sqlite_path, migrate=False)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    try:
        cfg = alembic_config()
        with db.engine.connect() as conn, conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0009")  # the revision 0010 follows
            conn.execute(
                AssessmentRow.__table__.insert().values(
                    id=1,
                    uid="u1",
                    name="Before 0010",
                    ai_system="Scorer",
                    organization="",
                    scope="",
                    assessor="",
                    framework_id="nist-ai-rmf-1.0",
                    framework_version="1.0",
                    scheme_id="rubric",
                    default_target=3,
                    profiles=[],
                    status="draft",
                    created_at=now,
                    updated_at=now,
                    finalized_by="",
                    finalized_role="",
                    finalized_statement="",
                    fingerprint="",
                    history_count=0,
                    history_head="0" * 64,
                    origin="original",
                    copy_of="",
                )
            )
            conn.execute(
                AnswerRow.__table__.insert().values(
                    assessment_id=1, subcategory_id="GOVERN 1.1", notes="kept", updated_at=now
                )
            )
    finally:
        db.dispose()
    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "tester"
    try:
        with ctx.db.read() as s:
            assert s.scalar(select(func.count()).select_from(AnswerRow)) == 1
        assert AssessmentService(ctx).get(1).name == "Before 0010"
        assert AssessmentService(ctx).answers(1)["GOVERN 1.1"].notes == "kept"
        assert AssessmentEditor(ctx).profile(1).is_empty
        AssessmentEditor(ctx).edit(1, AssessmentEdit(system={"risk_tier": "low"}))
        assert AssessmentEditor(ctx).profile(1).risk_tier is RiskTier.LOW
    finally:
        ctx.db.dispose()
