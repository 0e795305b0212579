"""Promises 4, 6 and 7: two instances, evidence integrity, and unwritable or full disks."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

import app.persistence.files as files
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import StorageError
from app.services.exchange import ExchangeService

WRITER = """
import sys
sys.path.insert(0, {root!r})
from app.services.answers import AnswerService
from app.services.bootstrap import open_services
ctx = open_services({db!r})
ctx.actor = {who!r}
subs = ctx.catalog.framework("nist-ai-rmf-1.0").subcategory_ids()
for i in range(40):
    AnswerService(ctx).record({aid}, subs[i], notes={who!r} + " " + str(i))
    AnswerService(ctx).record({aid}, subs[40 + i % 30], owner={who!r} + str(i))
print("done")
"""


@pytest.mark.slow
def test_two_instances_write_safely(ctx, db_path) -> None:  # type: ignore[no-untyped-def]
    """Documented choice: both instances may write; each write is its own short transaction."""
    aid = AssessmentService(ctx).create({"name": "Shared"}).id
    root = str(Path(__file__).resolve().parents[2])
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER.format(root=root, db=str(db_path), who=who, aid=aid)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("alice", "bob")
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
    answers = AssessmentService(ctx).answers(aid)
    subs = ctx.catalog.framework("nist-ai-rmf-1.0").subcategory_ids()
    # Notes of the first 40 subcategories: the last writer wins, but both wrote all 40.
    assert all(answers[s].notes.split()[0] in {"alice", "bob"} for s in subs[:40])
    history = AnswerService(ctx).history(aid)
    actors = [e.actor for e in history]
    assert actors.count("alice") >= 80 and actors.count("bob") >= 80
    assert AnswerService(ctx).verify_history(aid) is None  # one chain, no fork


def test_changed_or_missing_evidence_is_detected(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Evidence"})
    src = tmp_path / "policy.pdf"
    src.write_bytes(b"%PDF-1.4 policy")
    item = AnswerService(ctx).attach_file(a.id, "GOVERN 1.1", src).evidence[0]
    stored, state = AnswerService(ctx).evidence_file(item)
    assert state == "ok"
    stored.chmod(0o644)
    stored.write_bytes(b"altered")
    assert AnswerService(ctx).evidence_file(item)[1] == "changed"
    stored.unlink()
    assert AnswerService(ctx).evidence_file(item)[1] == "missing"


def _fail_writes(monkeypatch, code: int) -> None:  # type: ignore[no-untyped-def]
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        real_fsync(fd)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, "fsync", failing_fsync)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_export_to_full_or_readonly_disk_keeps_old_file(ctx, tmp_path, monkeypatch, code) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Export"})
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "out.json"
    target.write_text('{"previous": "export"}')
    _fail_writes(monkeypatch, code)
    with pytest.raises(StorageError, match=os.strerror(code)) as info:
        ExchangeService(ctx).export_json(a.id, target)
    assert str(target) in str(info.value)
    assert target.read_text() == '{"previous": "export"}'
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]  # no partial file left


def test_export_into_readonly_folder(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions; covered by the injected EROFS case")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    a = AssessmentService(ctx).create({"name": "Export"})
    with pytest.raises(StorageError):
        ExchangeService(ctx).export_json(a.id, folder / "x.json")


def test_save_on_a_readonly_database_gives_a_clear_error(tmp_path, catalog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "ro.sqlite3"
    ctx = open_services(str(db), catalog=catalog)
    aid = AssessmentService(ctx).create({"name": "RO"}).id
    ctx.db.dispose()
    # Simulate the file becoming read-only under a running app: query_only refuses writes, on
    # the engine's connections and on those the SQLite store's save opens on the driver.
    ctx = open_services(str(db), catalog=catalog)
    from sqlalchemy import event

    from app.persistence import database

    event.listen(ctx.db.engine, "connect", lambda con, _r: con.execute("PRAGMA query_only = ON"))
    ctx.db.engine.dispose()
    pragmas = database._sqlite_pragmas

    def read_only(con, record) -> None:  # type: ignore[no-untyped-def]
        pragmas(con, record)
        con.execute("PRAGMA query_only = ON")

    monkeypatch.setattr(database, "_sqlite_pragmas", read_only)
    with pytest.raises(StorageError, match="read-only|readonly|query"):
        AnswerService(ctx).record(aid, "GOVERN 1.1", notes="will not save")
    ctx.db.dispose()
    ctx = open_services(str(db), catalog=catalog)
    assert AssessmentService(ctx).answers(aid) == {}
    ctx.db.dispose()
