"""Migration 0004 on the previous schema's fixture: the chain head is computed for existing
assessments, entries recorded before keep their old text and verify, and an assessment signed
off before (fingerprint of its answers alone) still verifies as such."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from app.domain.assessment import HistoryEntry
from app.domain.exchange import fingerprint
from app.domain.history import chain
from app.services.answers import AnswerService
from app.services.bootstrap import open_services
from app.services.lifecycle import LifecycleService

FIXTURE = Path(__file__).with_name("fixtures") / "schema-0002.sqlite3"


def _open(path: Path, catalog):  # type: ignore[no-untyped-def]
    ctx = open_services(str(path), catalog=catalog)
    ctx.actor = "tester"
    return ctx


def test_chain_head_computed_and_old_entries_kept(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    last_seq, last_hash = con.execute(
        "SELECT seq, entry_hash FROM answer_history ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    con.close()
    ctx = _open(path, catalog)
    try:
        answers = AnswerService(ctx)
        a = answers.assessments.get(1)
        assert (a.history_count, a.history_head) == (last_seq, last_hash)
        assert answers.check_history(1).ok
        entries = answers.history(1)
        assert all(e.old is not None for e in entries)
        answers.record(1, "GOVERN 1.1", notes="After the upgrade")
        check = answers.check_history(1)
        assert check.ok and check.stored_head.count == last_seq + 1
        notes = [e for e in answers.history(1, "GOVERN 1.1") if e.field == "notes"]
        assert (notes[-1].old, notes[-1].new) == ("Approved by the board", "After the upgrade")
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(path)
    # The append-only trigger survived the rebuild of the history table.
    assert con.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
        "AND name = 'answer_history_append_only'"
    ).fetchone() == (1,)
    assert con.execute(
        "SELECT old FROM answer_history WHERE seq = ?", (last_seq + 1,)
    ).fetchone() == (None,)
    con.close()


def test_a_signoff_from_before_the_upgrade_verifies_as_legacy(tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    # The answers' fingerprint as the previous version computed it, from an upgraded copy.
    probe = tmp_path / "probe.sqlite3"
    shutil.copy(FIXTURE, probe)
    ctx = _open(probe, catalog)
    legacy = fingerprint(list(AnswerService(ctx).assessments.answers(1).values()))
    ctx.db.dispose()

    path = tmp_path / "db.sqlite3"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    seq, prev = con.execute(
        "SELECT seq, entry_hash FROM answer_history ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    now = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
    (event,) = chain(
        [
            HistoryEntry(
                subcategory_id="ASSESSMENT",
                field="status",
                old="draft",
                new="finalized by Ann Lee (CRO)",
                actor="fixture",
                at=now,
            )
        ],
        prev,
        seq + 1,
    )
    con.execute(
        "INSERT INTO answer_history (assessment_id, seq, subcategory_id, field, old, new, actor, "
        "at, prev_hash, entry_hash) VALUES (1, ?, 'ASSESSMENT', 'status', 'draft', ?, 'fixture', "
        "?, ?, ?)",
        (event.seq, event.new, now.isoformat(timespec="microseconds"), prev, event.entry_hash),
    )
    con.execute(
        "UPDATE assessments SET status = 'finalized', finalized_by = 'Ann Lee', "
        "finalized_role = 'CRO', finalized_at = ?, fingerprint = ?",
        (now.isoformat(timespec="microseconds"), legacy),
    )
    con.commit()
    con.close()
    ctx = _open(path, catalog)
    try:
        v = LifecycleService(ctx).verify(1)
        assert v.matches and v.legacy and v.head.count == seq + 1
    finally:
        ctx.db.dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE assessments SET finalized_by = 'Mallory'")
    con.commit()
    con.close()
    ctx = _open(path, catalog)
    try:
        assert not LifecycleService(ctx).verify(1).matches  # the history names Ann Lee
    finally:
        ctx.db.dispose()
