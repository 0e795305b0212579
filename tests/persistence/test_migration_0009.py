"""Migration 0009 (review and sign-off) on the previous schema's fixture, and on PostgreSQL:
existing answers start as drafts, their data and history stay intact, and an assessment
finalized before roles existed reads its one signer as the approver and still verifies."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.domain.review import ReviewAction, ReviewState, RoleKind
from app.persistence.database import HEAD, open_database
from app.services.answers import AnswerService
from app.services.bootstrap import open_services
from app.services.lifecycle import LifecycleService
from app.services.review import ReviewService

FIXTURE = Path(__file__).with_name("fixtures") / "schema-0006.sqlite3"


def test_upgrade_from_0006_keeps_data_and_starts_drafts(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    before = con.execute("SELECT * FROM answers ORDER BY id").fetchall()
    history = con.execute("SELECT * FROM answer_history ORDER BY seq").fetchall()
    con.close()
    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    try:
        reviews = ReviewService(ctx)
        assert reviews.states(1) == {}
        assert {line.review.state for line in reviews.listing(1)} == {ReviewState.DRAFT}
        assert AnswerService(ctx).check_history(1).ok
        # The old single finalize, on the migrated database: its signer is the approver.
        life = LifecycleService(ctx)
        life.finalize(1, "Ann Lee", "CRO", "Signed")
        block = life.signoff(1)
        assert [(r.kind, r.name) for r in block.roles] == [(RoleKind.APPROVER, "Ann Lee")]
        assert life.verify(1).matches
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    # Later migrations may add columns: the columns there before keep their values.
    after = con.execute("SELECT * FROM answers ORDER BY id").fetchall()
    assert [row[: len(before[0])] for row in after] == before
    assert con.execute("SELECT * FROM answer_history ORDER BY seq").fetchall()[: len(history)] == (
        history
    )
    con.close()


def test_finalized_before_roles_reads_as_approver(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    """An assessment finalized under schema 0006 (no role rows) shows its signer as the
    approver after the upgrade, and its stored fingerprint still verifies."""
    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    # Finalize with the code of this version, then remove the role rows and step the schema
    # back, which is exactly what an 0006 database finalized by the old code holds.
    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    LifecycleService(ctx).finalize(1, "Ann Lee", "CRO", "Old sign-off")
    ctx.db.dispose()
    con = sqlite3.connect(path)
    # Back to the revision before 0009 (0010's table goes too: it comes after).
    for table in (
        "signoff_settings",
        "signoff_roles",
        "review_comments",
        "answer_reviews",
        "system_profiles",
    ):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE alembic_version SET version_num='0008'")
    con.commit()
    con.close()
    ctx = open_services(str(path), catalog=catalog)
    try:
        life = LifecycleService(ctx)
        block = life.signoff(1)
        assert [(r.kind, r.name, r.title, r.statement) for r in block.roles] == [
            (RoleKind.APPROVER, "Ann Lee", "CRO", "Old sign-off")
        ]
        assert life.verify(1).matches
    finally:
        ctx.db.dispose()


def test_postgresql_schema_has_the_review_tables(pg_url, catalog) -> None:  # type: ignore[no-untyped-def]
    db = open_database(pg_url)
    db.dispose()
    ctx = open_services(pg_url, catalog=catalog)
    ctx.actor = "dana"
    try:
        from app.services.assessments import AssessmentService

        aid = AssessmentService(ctx).create({"name": "PG", "ai_system": "S"}).id
        AnswerService(ctx).record(aid, "GOVERN 1.1", notes="x")
        ReviewService(ctx).act(aid, "GOVERN 1.1", ReviewAction.READY, "please look")
        assert ReviewService(ctx).state(aid, "GOVERN 1.1").state is ReviewState.READY
    finally:
        ctx.db.dispose()
