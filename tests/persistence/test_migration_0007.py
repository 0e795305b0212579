"""Migration 0007 on the previous schema's fixture: the answers, history and sign-offs are
intact, the history still verifies, and actions can be added (their long history field names
included) on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.persistence.database import HEAD
from app.services.actions import ActionService
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services

FIXTURE = Path(__file__).with_name("fixtures") / "schema-0006.sqlite3"


def _rows(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT a.subcategory_id, a.notes, a.level, h.seq, h.entry_hash FROM answers AS a "
            "JOIN answer_history AS h ON h.assessment_id = a.assessment_id ORDER BY 1, 4"
        ).fetchall()
    finally:
        con.close()


def test_existing_data_is_intact_and_actions_can_be_added(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    before = _rows(path)
    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    try:
        assert _rows(path) == before
        aid = AssessmentService(ctx).list()[0].assessment.id
        assert AnswerService(ctx).check_history(aid).ok
        action = ActionService(ctx).add(aid, "GOVERN 1.1", title="After the upgrade")
        ActionService(ctx).update(aid, action.uid, description="A field name of 51 characters")
        assert AnswerService(ctx).check_history(aid).ok
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    assert con.execute("SELECT title FROM remediation_actions").fetchall() == [
        ("After the upgrade",)
    ]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the trigger is back
        con.execute("UPDATE answer_history SET new = 'forged'")
    con.close()


def test_actions_on_both_engines(store_url, catalog) -> None:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "tester"
    try:
        aid = AssessmentService(ctx).create({"name": "Q1"}).id
        service = ActionService(ctx)
        action = service.add(aid, "GOVERN 1.1", title="Fix", description="Longest field name")
        service.update(aid, action.uid, status="risk_accepted", rationale="Small")
        assert [(a.uid, a.status.value) for a in service.list(aid)] == [
            (action.uid, "risk_accepted")
        ]
        assert any(
            e.field == f"action:{action.uid}:description" for e in AnswerService(ctx).history(aid)
        )
        AssessmentService(ctx).delete(aid)
        assert service._read(aid) == []  # deleted with their assessment
    finally:
        ctx.db.dispose()
