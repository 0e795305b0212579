"""No output of the app (report, JSON export, bundle) replaces the app's own data, a device, a FIFO
or a folder; another kind of file is replaced only with --force; ``-o -`` writes to stdout."""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.persistence.files import check_output, file_kind, write_atomic
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput, NeedsConfirmation
from app.services.exchange import ExchangeService


@pytest.fixture
def airmf(tmp_path, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    db = tmp_path / "data" / "assessments.sqlite3"
    monkeypatch.setenv("AIRMF_DB", str(db))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("assessment", "create", "--name", "Q1")[0] == 0
    assert (
        run("answer", "1", "GV-1.1", "--coverage", "H", "--robustness", "M", "--diversity", "L")[0]
        == 0
    )
    assert run("backup", "create")[0] == 0
    run.db = db  # type: ignore[attr-defined]
    return run


def _digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by hash; the live database by its content (SQLite moves
    pages between the file and its -wal on its own, so their bytes may differ)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name.endswith(("-wal", "-shm")):
            continue
        if p.name == "assessments.sqlite3":
            con = sqlite3.connect(p)
            data = "\n".join(con.iterdump()).encode()
            con.close()
        else:
            data = p.read_bytes()
        out[str(p.relative_to(folder))] = hashlib.sha256(data).hexdigest()
    return out


WRITERS = (
    ("export", "1", "-o"),
    ("export", "1", "--format", "bundle", "-o"),
    ("report", "1", "-o"),
)


@pytest.mark.parametrize("writer", WRITERS, ids=["json", "bundle", "report"])
def test_the_app_s_own_files_are_never_an_output(airmf, writer) -> None:  # type: ignore[no-untyped-def]
    db: Path = airmf.db
    folder = db.parent
    (folder / "evidence" / "ab").mkdir(parents=True)
    (folder / "evidence" / "ab" / "abcd").write_bytes(b"confidential evidence")
    migration_copy = folder / "assessments-2026-01-01-120000-schema-0001.sqlite3.bak"
    migration_copy.write_bytes(db.read_bytes())
    backup = next((folder / "backups").iterdir())
    link = folder.parent / "link-to-db.sqlite3"
    link.symlink_to(db)
    hard = folder.parent / "hardlink.sqlite3"
    os.link(db, hard)
    targets = [
        db,
        Path(f"{db}-wal"),
        Path(f"{db}-shm"),
        Path(f"{db}-journal"),
        folder / "sub" / ".." / db.name,
        backup,
        folder / "backups" / "new-file.pdf",
        folder / "evidence" / "ab" / "abcd",
        migration_copy,
        link,
        hard,
    ]
    count = json.loads(airmf("assessment", "list", "--json")[1])  # (fills the score cache)
    before = _digest(folder)
    for target in targets:
        for force in ((), ("--force",)):
            code, out, err = airmf(*writer, str(target), *force)
            assert code == 1, (target, out, err)
            assert err.count("\n") == 1 and "Traceback" not in err
            assert "app's own data" in err or "which only the app manages" in err, err
    assert _digest(folder) == before
    assert json.loads(airmf("assessment", "list", "--json")[1]) == count


@pytest.mark.parametrize("writer", WRITERS, ids=["json", "bundle", "report"])
def test_a_folder_fifo_or_socket_is_refused_not_replaced(airmf, tmp_path, writer) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target, what in ((fifo, "a FIFO"), (folder, "a folder"), (sock_path, "a socket")):
            code, _out, err = airmf(*writer, str(target), "--force")
            assert code == 1 and f"is {what}, not a regular file" in err, err
        loop = tmp_path / "loop"
        loop.symlink_to(loop)
        code, _out, err = airmf(*writer, str(loop), "--force")
        assert code == 1 and "cannot be written" in err and loop.is_symlink(), err
        assert fifo.is_fifo() and folder.is_dir() and sock_path.is_socket()
        assert list(folder.iterdir()) == []
    finally:
        server.close()


def test_write_atomic_never_replaces_a_device_or_fifo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(fifo, b"data")
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe"]


@pytest.mark.parametrize(
    ("writer", "kind", "existing"),
    [
        (("export", "1", "-o"), "json", b"%PDF-1.7 a report"),
        (("export", "1", "--format", "bundle", "-o"), "bundle", b'{"a": 1}'),
        (("report", "1", "-o"), "pdf", b"plain notes someone kept"),
        (("report", "1", "-o"), "pdf", b"SQLite format 3\x00" + bytes(100)),
    ],
)
def test_another_kind_of_file_needs_force(airmf, tmp_path, writer, kind, existing) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out.file"
    target.write_bytes(existing)
    code, _out, err = airmf(*writer, str(target))
    assert code == 1 and "repeat with --force" in err
    assert target.read_bytes() == existing
    code, _out, err = airmf(*writer, str(target), "--force")
    assert code == 0, err
    assert file_kind(target) == kind


def test_the_same_kind_is_replaced_without_asking(airmf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for writer, name in ((("report", "1", "-o"), "r.pdf"), (("export", "1", "-o"), "e.json")):
        target = tmp_path / name
        assert airmf(*writer, str(target))[0] == 0
        first = target.read_bytes()
        target.write_bytes(first[:-5])  # an earlier, different file of the same kind
        assert airmf(*writer, str(target))[0] == 0
        assert file_kind(target) in ("pdf", "json")
    empty = tmp_path / "empty.json"
    empty.touch()
    assert airmf("export", "1", "-o", str(empty))[0] == 0


def test_dash_writes_to_standard_output(tmp_path, capsysbinary, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AIRMF_DB", str(tmp_path / "db.sqlite3"))
    assert main(["assessment", "create", "--name", "Q1"]) == 0
    capsysbinary.readouterr()
    main(["export", "1", "-o", "-"])
    doc = json.loads(capsysbinary.readouterr().out)
    assert doc["format"] == "airmf-assessment" and doc["assessment"]["name"] == "Q1"
    main(["report", "1", "-o", "-"])
    assert capsysbinary.readouterr().out.startswith(b"%PDF")
    main(["export", "1", "--format", "bundle", "-o", "-"])
    assert capsysbinary.readouterr().out.startswith(b"PK\x03\x04")
    assert not Path("-").exists()


def test_services_use_the_same_guard(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Guarded"}).id
    with pytest.raises(InvalidInput, match="own data"):
        ExchangeService(ctx).export_json(aid, ctx.location.sqlite_path, force=True)
    other = tmp_path / "x.json"
    other.write_bytes(b"PK\x03\x04 a zip")
    with pytest.raises(NeedsConfirmation):
        ExchangeService(ctx).export_json(aid, other)
    stream = io.BytesIO()
    assert ExchangeService(ctx).export_json(aid, stream) is None
    assert json.loads(stream.getvalue())["assessment"]["name"] == "Guarded"


def test_file_kind_by_content_not_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cases = {
        "a.json": (b"%PDF-1.4", "pdf"),
        "b.pdf": (b'\xef\xbb\xbf  {"x": 1}', "json"),
        "c.zip": (
            b"PK\x03\x04" + bytes(22) + (15).to_bytes(2, "little") + bytes(2) + b"assessment.json",
            "bundle",
        ),
        "d.docx": (
            b"PK\x03\x04"
            + bytes(22)
            + (19).to_bytes(2, "little")
            + bytes(2)
            + b"[Content_Types].xml",
            "zip",
        ),
        "e.txt": (b"hello", "other"),
        "f": (b"", "empty"),
    }
    for name, (data, kind) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert file_kind(tmp_path / name) == kind, name
    assert check_output(tmp_path / "new.pdf", "pdf") == tmp_path / "new.pdf"
