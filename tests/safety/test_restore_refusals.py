"""Restore takes only a whole database of this app that this version can open, and can always
be undone; a failed backup leaves no temp files behind."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from app.persistence import backups
from app.services.assessments import AssessmentService
from app.services.backups import BackupService, restore_backup, undo_last_restore
from app.services.bootstrap import open_services
from app.services.errors import InvalidInput, StorageError

FIXTURE = Path(__file__).parents[1] / "persistence" / "fixtures" / "schema-0001.sqlite3"


def _names(db: Path, catalog) -> list[str]:  # type: ignore[no-untyped-def]
    ctx = open_services(str(db), catalog=catalog)
    try:
        return sorted(s.assessment.name for s in AssessmentService(ctx).list())
    finally:
        ctx.db.dispose()


def _foreign(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    return path


def _newer(ctx, path: Path) -> Path:  # type: ignore[no-untyped-def]
    shutil.copy(BackupService(ctx).create().path, path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    return path


def _truncated(ctx, path: Path) -> Path:  # type: ignore[no-untyped-def]
    whole = BackupService(ctx).create().path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _empty_sqlite(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda ctx, p: _foreign(p), "another program"),
        (_newer, "newer version"),
        (_truncated, "damaged"),
        (lambda ctx, p: _empty_sqlite(p), "empty SQLite database"),
        (lambda ctx, p: p.write_bytes(b"") and p, "empty"),
        (lambda ctx, p: p.write_bytes(b"PK\x03\x04" * 100) and p, "not an SQLite database"),
    ],
)
def test_restore_refuses_what_it_could_not_open(
    ctx, db_path, tmp_path, catalog, make, says
) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "Kept"})
    bad = make(ctx, tmp_path / "bad.sqlite3") or tmp_path / "bad.sqlite3"
    before = list(BackupService(ctx).list())
    with pytest.raises(InvalidInput, match=says) as info:
        BackupService(ctx).restore(bad)
    assert "Nothing was changed" in str(info.value)
    assert BackupService(ctx).list() == before  # no before-restore copy either
    assert _names(db_path, catalog) == ["Kept"]


def test_refused_restore_from_the_cli_changes_nothing(
    ctx, db_path, tmp_path, catalog, capsys
) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "Kept"})
    ctx.db.dispose()
    foreign = _foreign(tmp_path / "contacts.sqlite3")
    assert main(["--db", str(db_path), "backup", "restore", str(foreign)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "another program" in err and "Traceback" not in err
    assert main(["--db", str(db_path), "backup", "restore", "x" * 300]) == 1
    assert "cannot be read" in capsys.readouterr().err
    assert _names(db_path, catalog) == ["Kept"]


def test_older_schema_backup_is_restored_and_upgraded(ctx, db_path, tmp_path, catalog) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "Current"})
    old = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, old)
    restore_backup(ctx.location, old)
    assert _names(db_path, catalog) == ["Fixture assessment"]
    kinds = {b.kind for b in BackupService(ctx).list()}
    assert "before-restore" in kinds and "before-migration (schema 0001)" in kinds


def test_restore_is_undone_from_the_cli_even_over_an_unusable_database(  # type: ignore[no-untyped-def]
    ctx, db_path, catalog, capsys
) -> None:
    AssessmentService(ctx).create({"name": "Mine"})
    manual = BackupService(ctx).create().path
    AssessmentService(ctx).create({"name": "Later"})
    ctx.db.dispose()
    db = ["--db", str(db_path)]
    # Restore, undo, and undo again (which re-applies the restore), all from the CLI.
    assert main([*db, "backup", "restore", str(manual)]) == 0
    assert "backup restore --undo" in capsys.readouterr().out
    assert _names(db_path, catalog) == ["Mine"]
    assert main([*db, "backup", "restore", "--undo"]) == 0
    assert _names(db_path, catalog) == ["Later", "Mine"]
    assert main([*db, "backup", "restore", "--undo"]) == 0
    assert _names(db_path, catalog) == ["Mine"]
    # A live database that cannot be opened (another program's, as an unchecked restore
    # left it): every other command refuses it, but backups are still listed and restored.
    db_path.unlink()
    _foreign(db_path)
    capsys.readouterr()
    assert main([*db, "assessment", "list"]) == 1
    assert main([*db, "backup", "list"]) == 0
    assert "before-restore" in capsys.readouterr().out
    assert main([*db, "backup", "restore", str(manual)]) == 0
    assert _names(db_path, catalog) == ["Mine"]
    # Its before-restore copy is another program's database: undoing into it is refused too.
    capsys.readouterr()
    assert main([*db, "backup", "restore", "--undo"]) == 1
    assert "another program" in capsys.readouterr().err
    assert _names(db_path, catalog) == ["Mine"]


def test_undo_without_a_restore_is_refused(ctx) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="no restore to undo"):
        undo_last_restore(ctx.location)


@pytest.mark.parametrize("extra", [[], ["some.sqlite3", "--undo"]])
def test_restore_needs_a_file_or_undo(ctx, db_path, capsys, extra) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        main(["--db", str(db_path), "backup", "restore", *extra])
    assert info.value.code == 2  # wrong usage
    assert "FILE" in capsys.readouterr().err


def test_two_restores_in_one_second_keep_both_before_restore_copies(ctx, catalog) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    now = dt.datetime(2026, 11, 30, 9, 0, 0)
    first = backups.take(ctx.location.sqlite_path, ctx.location.backup_dir, "before-restore", now)
    second = backups.take(ctx.location.sqlite_path, ctx.location.backup_dir, "before-restore", now)
    assert first.path != second.path and first.path.exists() and second.path.exists()
    listed = backups.list_backups(ctx.location.sqlite_path, ctx.location.backup_dir)
    assert [b.path for b in listed] == [second.path, first.path]  # newest first


@pytest.mark.parametrize("where", ["copy", "fsync", "rename"])
def test_failed_backup_leaves_no_part_files(ctx, monkeypatch, where) -> None:  # type: ignore[no-untyped-def]
    AssessmentService(ctx).create({"name": "Backed up"})
    folder = ctx.location.backup_dir
    folder.mkdir(parents=True, exist_ok=True)
    full = OSError(errno.ENOSPC, "No space left on device")

    def copy_then_fail(source: Path, tmp: Path) -> None:
        real_copy(source, tmp)  # bytes (and SQLite's side files) are on disk when it fails
        tmp.with_name(tmp.name + "-journal").write_bytes(b"half")
        raise full

    def fail(*_args: object) -> None:
        raise full

    real_copy = backups._copy_pages
    if where == "copy":
        monkeypatch.setattr(backups, "_copy_pages", copy_then_fail)
    elif where == "fsync":
        monkeypatch.setattr(backups.os, "fsync", fail)
    else:
        monkeypatch.setattr(backups.os, "replace", fail)
    with pytest.raises(StorageError, match="No space left"):
        BackupService(ctx).create()
    with pytest.raises(StorageError, match="No space left"):
        BackupService(ctx).daily()
    assert os.listdir(folder) == []


def test_undo_after_restoring_over_a_damaged_file_says_there_is_nothing_to_put_back(  # type: ignore[no-untyped-def]
    ctx, db_path, catalog
) -> None:
    AssessmentService(ctx).create({"name": "Mine"})
    manual = BackupService(ctx).create().path
    BackupService(ctx).restore(manual)  # an earlier restore: its copy must not be taken below
    ctx.db.dispose()
    db_path.write_bytes(b"garbage" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    restore_backup(ctx.location, manual)
    with pytest.raises(InvalidInput, match=r"not a database of this app \(kept as .*damaged"):
        undo_last_restore(ctx.location)
    assert _names(db_path, catalog) == ["Mine"]
