"""Promise 2: backups before migrations, a daily rolling backup (last 7), and restoring one."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

import app.persistence.database as database
from app.persistence import backups
from app.persistence.errors import MigrationFailed
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.backups import BackupService, restore_backup
from app.services.bootstrap import open_services
from app.services.errors import StorageError

FIXTURE = Path(__file__).parents[1] / "persistence" / "fixtures" / "schema-0001.sqlite3"


def test_daily_backup_once_a_day_keeps_seven(ctx, db_path) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "Backed up"})
    folder = ctx.location.backup_dir
    day = dt.datetime(2026, 11, 1, 9, 0)
    for i in range(10):
        assert backups.rolling_if_due(db_path, folder, now=day + dt.timedelta(days=i))
        assert (
            backups.rolling_if_due(db_path, folder, now=day + dt.timedelta(days=i, hours=5)) is None
        )
    daily = [b for b in backups.list_backups(db_path, folder) if b.kind == "daily"]
    assert len(daily) == 7
    assert daily[0].taken_at.date() == dt.date(2026, 11, 10)
    con = sqlite3.connect(daily[0].path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT name FROM assessments").fetchall() == [("Backed up",)]
    finally:
        con.close()


def test_restore_backs_up_current_state_first(ctx, catalog) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Before"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", notes="old note")
    service = BackupService(ctx)
    taken = service.create()
    AnswerService(ctx).record(a.id, "GOVERN 1.1", notes="a mistake")
    safety = service.restore(taken.path)
    assert safety is not None and safety.kind == "before-restore"
    reopened = open_services(str(ctx.location.sqlite_path), catalog=catalog)
    try:
        assert AnswerService(reopened).get(a.id, "GOVERN 1.1").notes == "old note"
        assert AnswerService(reopened).verify_history(a.id) is None
        kinds = {b.kind for b in BackupService(reopened).list()}
        assert {"manual", "before-restore"} <= kinds
    finally:
        reopened.db.dispose()


def test_restore_over_a_damaged_file(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.sqlite3"
    shutil.copy(FIXTURE, good)
    broken_ctx_path = tmp_path / "db" / "assessments.sqlite3"
    broken_ctx_path.parent.mkdir()
    broken_ctx_path.write_bytes(b"garbage" * 100)
    from app.config.paths import resolve

    restore_backup(resolve(str(broken_ctx_path)), good)
    assert (broken_ctx_path.parent / "assessments.sqlite3.damaged").read_bytes() == b"garbage" * 100
    ctx = open_services(str(broken_ctx_path), catalog=catalog)
    try:
        assert [s.assessment.name for s in AssessmentService(ctx).list()] == ["Fixture assessment"]
    finally:
        ctx.db.dispose()


def test_restoring_a_missing_backup_is_refused(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="does not exist"):
        BackupService(ctx).restore(tmp_path / "nope.sqlite3")


def _migrations_with(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_test.py").write_text(
        '"""Test revision."""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f'revision = "9001"\ndown_revision = "{database.head_revision()}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade() -> None:\n{body}\n\n\ndef downgrade() -> None:\n    pass\n"
    )
    return folder


def test_migration_copies_the_file_first(tmp_path, monkeypatch, catalog) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, db)
    monkeypatch.setattr(
        database,
        "MIGRATIONS",
        _migrations_with(tmp_path, '    op.add_column("assessments", sa.Column("extra", sa.Text))'),
    )
    ctx = open_services(str(db), catalog=catalog)
    ctx.db.dispose()
    copies = list(tmp_path.glob("old-*-schema-0001.sqlite3.bak"))
    assert len(copies) == 1 and dt.date.today().isoformat() in copies[0].name
    con = sqlite3.connect(copies[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    con.close()
    listed = backups.list_backups(db, tmp_path / "backups")
    assert listed and listed[0].kind == "before-migration (schema 0001)"


def test_failed_migration_rolls_back_and_keeps_the_copy(tmp_path, monkeypatch, catalog) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, db)
    body = (
        '    op.add_column("assessments", sa.Column("extra", sa.Text))\n'
        "    op.execute(\"UPDATE assessments SET name = 'changed'\")\n"
        '    raise RuntimeError("boom")'
    )
    monkeypatch.setattr(database, "MIGRATIONS", _migrations_with(tmp_path, body))
    with pytest.raises(StorageError) as info:
        open_services(str(db), catalog=catalog)
    assert isinstance(info.value.__cause__, MigrationFailed)
    assert "rolled back" in str(info.value) and ".bak" in str(info.value)
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert con.execute("SELECT name FROM assessments").fetchall() == [("Fixture assessment",)]
        columns = [r[1] for r in con.execute("PRAGMA table_info(assessments)")]
        assert "extra" not in columns
    finally:
        con.close()
    assert list(tmp_path.glob("old-*-schema-0001.sqlite3.bak"))
