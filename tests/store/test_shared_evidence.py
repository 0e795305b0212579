"""Evidence files on both engines: one member attaches, another (with a data folder of their
own) opens, verifies and exports the same file. SQLite keeps them in the folder beside the
database; a server database in its ``evidence_files`` table (migration 0006)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from app.cli.main import main
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.bundle import BundleService
from app.services.errors import InvalidInput, StorageError
from app.services.evidence import EvidenceService
from app.services.integrity import IntegrityService
from app.services.lifecycle import LifecycleService
from app.services.report import ReportService

SUB = "GOVERN 1.1"


@pytest.fixture
def members(store_url, tmp_path, monkeypatch, catalog):  # type: ignore[no-untyped-def]
    """Two members' contexts on one database, each opened with an AIRMF_DATA_DIR of its own."""
    opened = []

    def member(name: str):  # type: ignore[no-untyped-def]
        monkeypatch.setenv("AIRMF_DATA_DIR", str(tmp_path / f"home-{name}"))
        ctx = open_services(store_url, catalog=catalog)
        opened.append(ctx)
        return ctx

    a, b = member("a"), member("b")
    yield a, b
    for ctx in opened:
        ctx.db.dispose()


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _tamper(ctx, sha: str) -> None:  # type: ignore[no-untyped-def]
    """Change the stored content of ``sha`` behind the app's back."""
    if ctx.location.sqlite_path is None:
        from sqlalchemy import text

        with ctx.db.engine.begin() as conn:
            conn.execute(
                text("UPDATE evidence_files SET content = :c WHERE sha256 = :h"),
                {"c": b"forged content", "h": sha},
            )
    else:
        ctx.evidence.path_for(sha).write_bytes(b"forged content")


def test_a_file_attached_by_one_member_is_verified_opened_and_exported_by_another(
    members, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    a, b = members
    data = bytes(range(256)) * 5000  # 1.28 MB: more than one chunk
    aid = AssessmentService(a).create({"name": "Shared"}).id
    AnswerService(a).attach_file(aid, SUB, _file(tmp_path, "policy.pdf", data))
    item = AnswerService(b).get(aid, SUB).evidence[0]
    assert item.sha256 == hashlib.sha256(data).hexdigest() and item.size == len(data)

    assert IntegrityService(b).verify(aid).evidence == ()
    assert AnswerService(b).evidence_file(item)[1] == "ok"
    copy, state = EvidenceService(b).viewing_copy(item)
    assert state == "ok" and copy is not None and copy.read_bytes() == data
    assert copy.name == "policy.pdf"

    bundle = tmp_path / "out" / "shared.zip"
    bundle.parent.mkdir()
    BundleService(b).export_bundle(aid, bundle)
    with zipfile.ZipFile(bundle) as zf:
        assert zf.read(f"evidence/{item.sha256}") == data

    # The report's evidence index and integrity check, from B's machine: nothing missing.
    report = ReportService(b).build(aid)
    assert [row.item.sha256 for row in report.evidence] == [item.sha256]
    assert report.meta.integrity_problems == ()


def test_a_bundle_imported_by_one_member_brings_its_files_for_all(members, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = members
    data = b"minutes of the risk committee\n" * 100
    aid = AssessmentService(a).create({"name": "Source"}).id
    AnswerService(a).attach_file(aid, SUB, _file(tmp_path, "minutes.txt", data))
    bundle = tmp_path / "out" / "b.zip"
    bundle.parent.mkdir()
    BundleService(a).export_bundle(aid, bundle)
    sha = hashlib.sha256(data).hexdigest()
    AnswerService(a).remove_evidence(aid, SUB, 0)  # nothing cites it: removed from the store
    assert sha not in dict(b.evidence.stored())

    new_id = BundleService(b).import_bundle(bundle)
    assert dict(a.evidence.stored())[sha] == len(data)
    assert IntegrityService(a).verify(new_id).evidence == ()


def test_identical_content_is_stored_once(members, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = members
    data = b"the same bytes under two names"
    aid = AssessmentService(a).create({"name": "Dedup"}).id
    AnswerService(a).attach_file(aid, SUB, _file(tmp_path, "one.txt", data))
    AnswerService(b).attach_file(aid, "GOVERN 1.2", _file(tmp_path, "two.txt", data))
    sha = hashlib.sha256(data).hexdigest()
    assert list(a.evidence.stored()) == [(sha, len(data))]
    cited = [AnswerService(a).get(aid, s).evidence[0].sha256 for s in (SUB, "GOVERN 1.2")]
    assert cited == [sha, sha]
    # Removing one citation keeps the content the other still cites.
    AnswerService(b).remove_evidence(aid, SUB, 0)
    assert list(a.evidence.stored()) == [(sha, len(data))]


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    members, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    a, _ = members
    source = _file(tmp_path, "big.bin", b"x" * 4096)
    with pytest.raises(ValueError, match="larger than the limit of 1,000 bytes"):
        a.evidence.add_file(source, max_bytes=1000)
    assert list(a.evidence.stored()) == []

    import app.services.answers as answers_module

    aid = AssessmentService(a).create({"name": "Limits"}).id
    monkeypatch.setattr(answers_module, "MAX_EVIDENCE_BYTES", 1000)
    with pytest.raises(InvalidInput, match="larger than"):
        AnswerService(a).attach_file(aid, SUB, source)
    assert list(a.evidence.stored()) == [] and AnswerService(a).get(aid, SUB).evidence == []


def test_reads_stream_in_chunks_and_stop_at_the_end(members, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, _ = members
    data = bytes(range(256)) * 4 + b"tail"
    sha, size = a.evidence.add_file(_file(tmp_path, "c.bin", data))
    store = a.evidence
    if hasattr(store, "chunk"):
        store.chunk = 100  # the database store's slice size: many slices for a small file
    pieces = list(store.chunks(sha))
    assert b"".join(pieces) == data and size == len(data)
    if hasattr(store, "chunk"):
        assert [len(p) for p in pieces] == [100] * 10 + [len(data) - 1000]
    with pytest.raises(FileNotFoundError):
        list(store.chunks("0" * 64))
    assert store.check("0" * 64) == "missing"


def test_a_tampered_file_is_reported_by_verify_and_blocks_the_bundle(
    members, tmp_path, capsys, store_url
) -> None:  # type: ignore[no-untyped-def]
    a, b = members
    aid = AssessmentService(a).create({"name": "Tamper"}).id
    AnswerService(a).attach_file(aid, SUB, _file(tmp_path, "report.txt", b"the real report"))
    item = AnswerService(a).get(aid, SUB).evidence[0]
    assert main(["--db", store_url, "verify", str(aid)]) == 1  # a draft: nothing to verify
    capsys.readouterr()
    LifecycleService(a).finalize(aid, signer="Dana", role="Risk lead")
    assert main(["--db", store_url, "verify", str(aid)]) == 0, capsys.readouterr()
    capsys.readouterr()

    _tamper(b, item.sha256)
    assert main(["--db", store_url, "verify", str(aid)]) == 1
    out = capsys.readouterr()
    assert "evidence file 'report.txt' was replaced" in out.out and not out.err
    assert IntegrityService(b).verify(aid).evidence[0].state == "changed"
    bundle = tmp_path / "t.zip"
    with pytest.raises(StorageError, match="missing or changed"):
        BundleService(b).export_bundle(aid, bundle)
    assert not bundle.exists()


def test_purge_removes_only_what_no_answer_cites(members, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = members
    aid = AssessmentService(a).create({"name": "Purge"}).id
    AnswerService(a).attach_file(aid, SUB, _file(tmp_path, "kept.txt", b"cited"))
    orphan, _ = a.evidence.add_file(_file(tmp_path, "orphan.txt", b"nobody cites this"))
    cited = hashlib.sha256(b"cited").hexdigest()
    preview = EvidenceService(b).purge(dry_run=True)
    assert [f.sha256 for f in preview.removed] == [orphan] and not preview.problem
    assert orphan in dict(a.evidence.stored())
    done = EvidenceService(b).purge()
    assert [f.sha256 for f in done.removed] == [orphan]
    assert dict(a.evidence.stored()).keys() == {cited}


def test_a_save_citing_a_file_removed_meanwhile_is_refused(members, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a, b = members
    aid = AssessmentService(a).create({"name": "Race"}).id
    store = a.evidence
    sha, _ = store.add_file(_file(tmp_path, "gone.txt", b"removed before the save"))
    EvidenceService(b).purge()  # nothing cites it yet: removed
    real_add = type(store).add_file

    def stored_then_purged(self, source, max_bytes=None):  # type: ignore[no-untyped-def]
        result = real_add(self, source, max_bytes)
        EvidenceService(b).purge()  # another member's clean-up between the copy and the save
        return result

    monkeypatch.setattr(type(store), "add_file", stored_then_purged)
    with pytest.raises(StorageError, match="no longer in the evidence store"):
        AnswerService(a).attach_file(aid, SUB, _file(tmp_path, "gone.txt", b"x"))
    monkeypatch.undo()
    assert AnswerService(a).get(aid, SUB).evidence == []
    assert sha not in dict(a.evidence.stored())


def test_deleting_an_assessment_removes_the_files_only_it_cited(members, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a, b = members
    one = AssessmentService(a).create({"name": "One"}).id
    two = AssessmentService(a).create({"name": "Two"}).id
    AnswerService(a).attach_file(one, SUB, _file(tmp_path, "own.txt", b"only one cites me"))
    AnswerService(a).attach_file(one, "GOVERN 1.2", _file(tmp_path, "both.txt", b"shared"))
    AnswerService(a).attach_file(two, SUB, _file(tmp_path, "both2.txt", b"shared"))
    own, shared = (hashlib.sha256(d).hexdigest() for d in (b"only one cites me", b"shared"))
    plan = AssessmentService(b).delete_plan(one)
    assert [f.sha256 for f in plan.files.removed] == [own] and not plan.files.problem
    done = AssessmentService(b).delete(one)
    assert [f.sha256 for f in done.removed] == [own] and not done.problem
    assert dict(a.evidence.stored()).keys() == {shared}
    assert IntegrityService(a).verify(two).evidence == ()


def test_a_server_clean_up_waits_for_a_save_that_holds_a_file(pg_url, catalog, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The guard between saves and clean-ups on a server: while a save's transaction holds a
    file (shared), a clean-up cannot take the removal lock; after its commit it can."""
    from sqlalchemy import text

    from app.persistence.evidence_db import REMOVAL_LOCK

    ctx = open_services(pg_url, catalog=catalog)
    try:
        store = ctx.evidence
        sha, _ = store.add_file(_file(tmp_path, "held.txt", b"held by a save"))
        try_lock = text("SELECT pg_try_advisory_xact_lock(:k)")
        with ctx.db.engine.connect() as save, ctx.db.engine.connect() as cleanup:
            with save.begin():
                assert store.hold(save, sha) is True
                assert store.hold(save, "0" * 64) is False
                with cleanup.begin():
                    assert cleanup.execute(try_lock, {"k": REMOVAL_LOCK}).scalar() is False
            with cleanup.begin():
                assert cleanup.execute(try_lock, {"k": REMOVAL_LOCK}).scalar() is True
    finally:
        ctx.db.dispose()


def test_the_cli_of_another_member_lists_a_file_as_intact(
    store_url, tmp_path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """End to end: ``airmf evidence add`` with one data folder, ``list``/``remove`` with
    another."""
    import json

    monkeypatch.setenv("AIRMF_DATA_DIR", str(tmp_path / "home-a"))
    assert main(["--db", store_url, "assessment", "create", "--name", "CLI"]) == 0
    aid = capsys.readouterr().out.strip()
    source = _file(tmp_path, "plan.txt", b"incident response plan")
    assert main(["--db", store_url, "evidence", "add", aid, SUB, "--file", str(source)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("AIRMF_DATA_DIR", str(tmp_path / "home-b"))
    assert main(["--db", store_url, "evidence", "list", aid, "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["file_name"], listed["file_state"]) == ("plan.txt", "ok")
    assert main(["--db", store_url, "evidence", "remove", aid, SUB, "1"]) == 0
    capsys.readouterr()
    assert main(["--db", store_url, "evidence", "purge", "--dry-run"]) == 0
    assert "nothing to remove" in capsys.readouterr().out  # removed with its last citation


def test_the_server_stores_file_contents_uncompressed_for_slices(pg_url, catalog) -> None:  # type: ignore[no-untyped-def]
    """Migration 0006: a slice (``substring``) of an uncompressed out-of-line value reads only
    its own part; a compressed one would be decompressed whole for every slice."""
    from sqlalchemy import text

    ctx = open_services(pg_url, catalog=catalog)
    try:
        with ctx.db.engine.connect() as conn:
            storage = conn.execute(
                text(
                    "SELECT attstorage FROM pg_attribute WHERE attname = 'content' "
                    "AND attrelid = 'evidence_files'::regclass"
                )
            ).scalar_one()
        assert storage == "e"  # EXTERNAL
    finally:
        ctx.db.dispose()


def test_a_large_file_is_never_held_whole_in_memory(members, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Stored, re-hashed and copied out in chunks: the Python heap's peak stays far below the
    file's size (24 MB here; chunks are 1 MB)."""
    import os
    import tracemalloc

    a, _ = members
    source = tmp_path / "sources" / "large.bin"
    source.parent.mkdir(parents=True, exist_ok=True)
    with source.open("wb") as fh:
        for _ in range(24):
            fh.write(os.urandom(1 << 20))
    store = a.evidence
    tracemalloc.start()
    try:
        sha, size = store.add_file(source)
        assert store.check(sha) == "ok"
        store.copy_out(sha, tmp_path / "copy.bin")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert size == 24 << 20 and (tmp_path / "copy.bin").stat().st_size == size
    assert peak < 10 << 20, f"peak {peak:,} bytes for a {size:,}-byte file"
