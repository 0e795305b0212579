"""Deleting says what goes, needs the typed name for what others rely on, and takes the evidence
files nothing cites any more with it (never one still cited: by a copy, a backup, a save)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.cli.main import main
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.backups import BackupService
from app.services.errors import InvalidInput, StorageError
from app.services.evidence import EvidenceService
from app.services.lifecycle import LifecycleService


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _stored(ctx) -> set[str]:  # type: ignore[no-untyped-def]
    return {sha for sha, _ in ctx.evidence.stored()}


@pytest.fixture
def attached(ctx, tmp_path):  # type: ignore[no-untyped-def]
    """Assessment with a file only it cites and a file its copy cites too."""
    a = AssessmentService(ctx).create({"name": "Q3 2026"})
    answers = AnswerService(ctx)
    own = answers.attach_file(a.id, "GOVERN 1.1", _file(tmp_path, "secret.pdf", "secret"))
    shared = answers.attach_file(a.id, "GOVERN 1.2", _file(tmp_path, "policy.pdf", "policy"))
    copy = AssessmentService(ctx).duplicate(a.id)
    # The copy drops the secret file: the original still cites it, so it stays.
    AnswerService(ctx).remove_evidence(copy.id, "GOVERN 1.1", 0)
    return a, copy, own.evidence[0].sha256, shared.evidence[0].sha256


def test_delete_removes_only_files_nothing_else_cites(ctx, attached) -> None:  # type: ignore[no-untyped-def]
    a, copy, own, shared = attached
    assert _stored(ctx) == {own, shared}
    plan = AssessmentService(ctx).delete_plan(a.id)
    assert [f.name for f in plan.files.removed] == ["secret.pdf"] and plan.shared == ["policy.pdf"]
    assert plan.why_confirm == ""
    done = AssessmentService(ctx).delete(a.id)
    assert [f.sha256 for f in done.removed] == [own]
    assert _stored(ctx) == {shared}  # the copy's file stays
    AssessmentService(ctx).delete(copy.id)
    assert _stored(ctx) == set()


def test_removing_an_evidence_item_removes_its_file(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "One"})
    answer = AnswerService(ctx).attach_file(a.id, "GOVERN 1.1", _file(tmp_path, "x.txt", "x"))
    assert _stored(ctx) == {answer.evidence[0].sha256}
    AnswerService(ctx).remove_evidence(a.id, "GOVERN 1.1", 0)
    assert _stored(ctx) == set()


def test_files_a_backup_cites_are_kept_for_it(ctx, attached, catalog) -> None:  # type: ignore[no-untyped-def]
    a, copy, own, shared = attached
    backup = BackupService(ctx).create()
    done = AssessmentService(ctx).delete(a.id)
    assert done.removed == [] and [f.sha256 for f in done.kept_for_backups] == [own]
    assert own in _stored(ctx)
    # Restoring the backup brings the assessment back with its evidence intact.
    BackupService(ctx).restore(backup.path)
    from app.services.bootstrap import open_services

    again = open_services(str(ctx.location.sqlite_path), catalog=catalog)
    try:
        item = AnswerService(again).get(a.id, "GOVERN 1.1").evidence[0]
        assert AnswerService(again).evidence_file(item)[1] == "ok"
    finally:
        again.db.dispose()
    # Once no backup cites it any more, purge removes what nothing cites.
    for b in BackupService(ctx).list():
        b.path.unlink()
    AssessmentService(ctx).delete(a.id)
    assert own not in _stored(ctx)


def test_purge_lists_and_removes_orphans_and_interrupted_copies(ctx, attached, capsys) -> None:  # type: ignore[no-untyped-def]
    a, copy, own, shared = attached
    orphan, _ = ctx.evidence.add_bytes(b"left by a crash between commit and removal")
    stale = ctx.evidence.root / ".incoming.abc"
    stale.write_bytes(b"half a copy")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = ctx.evidence.root / ".incoming.def"  # a copy in progress elsewhere
    fresh.write_bytes(b"copying")
    db = ["--db", str(ctx.location.sqlite_path)]
    assert main([*db, "evidence", "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert orphan in out and "would be removed" in out and "1 interrupted copy" in out
    assert orphan in _stored(ctx) and stale.exists()
    assert main([*db, "evidence", "purge"]) == 0
    assert "removed" in capsys.readouterr().out
    assert _stored(ctx) == {own, shared} and not stale.exists() and fresh.exists()
    assert main([*db, "evidence", "purge"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


def test_unreadable_backup_keeps_every_file(ctx, attached) -> None:  # type: ignore[no-untyped-def]
    a, copy, own, shared = attached
    ctx.location.backup_dir.mkdir(parents=True, exist_ok=True)
    (ctx.location.backup_dir / "assessments-manual-20260101-000000.sqlite3").write_bytes(
        b"x" * 4096
    )
    done = AssessmentService(ctx).delete(a.id)
    assert done.removed == [] and "cannot be read" in done.problem
    assert own in _stored(ctx)


def test_a_save_never_cites_a_file_removed_meanwhile(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "One"})
    answers = AnswerService(ctx)
    answer = answers.attach_file(a.id, "GOVERN 1.1", _file(tmp_path, "x.txt", "x"))
    item = answer.evidence[0]
    answers.record(a.id, "GOVERN 1.1", evidence=[])  # e.g. Remove in the window (undoable)
    EvidenceService(ctx).purge()  # another instance cleans up
    with pytest.raises(StorageError, match="no longer in the evidence store"):
        answers.record(a.id, "GOVERN 1.1", evidence=[item])  # the undo
    assert answers.get(a.id, "GOVERN 1.1").evidence == []


def test_finalized_or_built_upon_needs_the_typed_name(ctx, attached, capsys) -> None:  # type: ignore[no-untyped-def]
    a, copy, own, shared = attached
    LifecycleService(ctx).finalize(a.id, signer="Ann Lee", role="CRO")
    with pytest.raises(InvalidInput, match="finalized"):
        AssessmentService(ctx).delete(a.id)
    with pytest.raises(InvalidInput, match="name typed"):
        AssessmentService(ctx).delete(a.id, confirm_name="Q3")
    db = ["--db", str(ctx.location.sqlite_path), "assessment", "delete", str(a.id)]
    assert main(db) == 1
    err = capsys.readouterr().err
    assert "finalized (signed off by Ann Lee)" in err and "secret.pdf" in err
    assert "--confirm-name 'Q3 2026'" in err and "nothing was deleted" in err
    assert main([*db, "--yes"]) == 1
    assert main([*db, "--yes", "--confirm-name", "Q3 2026 "]) == 1
    assert AssessmentService(ctx).get(a.id).name == "Q3 2026"
    capsys.readouterr()
    assert main([*db, "--yes", "--confirm-name", "Q3 2026"]) == 0
    out = capsys.readouterr().out
    assert "deleted assessment" in out and "secret.pdf" in out


def test_previous_cycle_needs_the_typed_name(ctx) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "2025"})
    LifecycleService(ctx).finalize(a.id, signer="Ann", role="CRO")
    later = LifecycleService(ctx).start_next_cycle(a.id, name="2026")
    LifecycleService(ctx).reopen(a.id, reason="fix a typo")
    plan = AssessmentService(ctx).delete_plan(a.id)
    assert "previous cycle of" in plan.why_confirm and "2026" in plan.why_confirm
    with pytest.raises(InvalidInput, match="previous cycle"):
        AssessmentService(ctx).delete(a.id)
    AssessmentService(ctx).delete(a.id, confirm_name="2025")
    assert AssessmentService(ctx).get(later.id).previous_id is None


def test_files_go_only_after_the_delete_commits(ctx, attached, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A crash (or any failure) before the commit keeps the files; one after it leaves an
    unused file that purge removes. Never an answer citing a removed file."""
    a, copy, own, shared = attached
    from app.persistence import repositories

    def crash(self, assessment_id):  # type: ignore[no-untyped-def]
        raise RuntimeError("killed before the commit")

    with monkeypatch.context() as m:
        m.setattr(repositories.AssessmentRepository, "delete", crash)
        with pytest.raises(RuntimeError):
            AssessmentService(ctx).delete(a.id)
    assert AssessmentService(ctx).get(a.id) and own in _stored(ctx)
    item = AnswerService(ctx).get(a.id, "GOVERN 1.1").evidence[0]
    assert AnswerService(ctx).evidence_file(item)[1] == "ok"

    def fail(self, sha256, connection=None):  # type: ignore[no-untyped-def]
        raise OSError("killed after the commit")

    with monkeypatch.context() as m:
        m.setattr(type(ctx.evidence), "remove", fail)
        done = AssessmentService(ctx).delete(a.id)
    assert "could not be removed" in done.problem and own in _stored(ctx)
    assert [f.sha256 for f in EvidenceService(ctx).purge().removed] == [own]
    assert _stored(ctx) == {shared}


def test_bundle_import_keeps_its_files_through_a_concurrent_clean_up(  # type: ignore[no-untyped-def]
    ctx, attached, tmp_path, monkeypatch
) -> None:
    from app.services.bundle import BundleService
    from app.services.exchange import ExchangeService

    a, copy, own, shared = attached
    bundle = BundleService(ctx).export_bundle(a.id, tmp_path / "q3.zip")
    AssessmentService(ctx).delete(a.id)
    AssessmentService(ctx).delete(copy.id)
    assert _stored(ctx) == set()
    real = ExchangeService.import_parsed

    def purge_first(self, doc):  # type: ignore[no-untyped-def]
        EvidenceService(ctx).purge()  # another instance, between the copy-in and the commit
        return real(self, doc)

    monkeypatch.setattr(ExchangeService, "import_parsed", purge_first)
    new_id = BundleService(ctx).import_bundle(bundle)
    item = AnswerService(ctx).get(new_id, "GOVERN 1.1").evidence[0]
    assert AnswerService(ctx).evidence_file(item)[1] == "ok"
    assert _stored(ctx) == {own, shared}
