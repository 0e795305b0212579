"""Migration 0008 on the previous schema's fixture: evidence items gain an as-of and a
valid-until date (none for existing items), answers the AI 600-1 actions in place (none); the
existing answers, evidence and history read and verify as before, and the new values are stored
on both engines."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from app.persistence.database import HEAD
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services

FIXTURE = Path(__file__).with_name("fixtures") / "schema-0006.sqlite3"


def test_existing_evidence_has_no_dates_and_the_history_still_verifies(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    try:
        answers = AnswerService(ctx)
        govern = answers.get(1, "GOVERN 1.1")
        assert [(e.title, e.url, e.as_of, e.valid_until) for e in govern.evidence] == [
            ("Policy", "https://example.org/policy", None, None)
        ]
        assert govern.genai_actions_in_place == []
        assert govern.metrics == {"coverage": "H", "input_diversity": "M", "robustness": "H"}
        # The history's evidence text (recorded before the dates existed) still matches.
        assert answers.check_history(1).ok
        dated = answers.update_evidence_dates(1, "GOVERN 1.1", 0, valid_until="2027-06-30")
        assert dated.evidence[0].valid_until == dt.date(2027, 6, 30)
        ticked = answers.tick_genai_actions(1, "GOVERN 1.1", {"GV-1.1-001": True})
        assert ticked.genai_actions_in_place == ["GV-1.1-001"]
        assert answers.check_history(1).ok
        assert AssessmentService(ctx).answers(1)["GOVERN 1.1"] == ticked  # the driver read too
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT as_of, valid_until FROM evidence_items").fetchall() == [
        (None, "2027-06-30")
    ]
    assert con.execute(
        "SELECT genai_actions_in_place FROM answers ORDER BY subcategory_id"
    ).fetchall() == [('["GV-1.1-001"]',), ("[]",)]
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    con.close()


def test_dates_and_ticks_round_trip_on_each_engine(store_url, catalog) -> None:  # type: ignore[no-untyped-def]
    """The save path (compiled statements), the ORM reads and, on PostgreSQL, the server
    evidence path store and return the new columns."""
    from app.domain.assessment import AssessmentMeta

    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "tester"
    try:
        aid = AssessmentService(ctx).create(AssessmentMeta(name="Dates")).id
        answers = AnswerService(ctx)
        answers.add_link(
            aid,
            "MAP 1.1",
            "",
            "https://example.org/a",
            as_of="2027-01-01",
            valid_until="2027-12-31",
        )
        answers.tick_genai_actions(aid, "MAP 1.1", {"MP-1.1-001": True})
        stored = AssessmentService(ctx).answers(aid)["MAP 1.1"]
        item = stored.evidence[0]
        assert (item.as_of, item.valid_until) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
        assert stored.genai_actions_in_place == ["MP-1.1-001"]
        assert answers.get(aid, "MAP 1.1") == stored
        assert answers.check_history(aid).ok
    finally:
        ctx.db.dispose()
