"""Migration 0010 (AI-system profiles) on the schema-0006 fixture: the data is intact, existing
assessments have an empty profile, and a profile can be filled in and carried afterwards."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.domain.system_profile import RiskTier
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
        else:
            assert after == rows, table
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0010",)
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
