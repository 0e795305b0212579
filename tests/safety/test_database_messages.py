"""Database problems are told as what they are: read-only (not "damaged"), locked, damaged, by
SQLite's result code and never by message text; no password ever appears in a message or log
line; and a listing never waits for another program's lock to refresh its score cache."""

from __future__ import annotations

import logging
import os
import sqlite3
import types
from pathlib import Path

import pytest

from app.config.redact import RedactingFilter, redact
from app.persistence import database
from app.persistence.database import error_code, open_database
from app.persistence.errors import DatabaseUnavailable, NotOurDatabase
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import StorageError

SECRET_URL = "postgresql+psycopg://u:secret@127.0.0.1:1/x"


def _sqlite_error(cls: type[sqlite3.Error], message: str, code: int) -> sqlite3.Error:
    exc = cls(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.fixture
def existing_db(tmp_path, catalog):  # type: ignore[no-untyped-def]
    path = tmp_path / "ro" / "assessments.sqlite3"
    ctx = open_services(str(path), catalog=catalog)
    AssessmentService(ctx).create({"name": "Kept"})
    ctx.db.dispose()
    return path


def test_a_read_only_file_system_is_named_not_called_damaged(existing_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """SQLite cannot create the -shm of a WAL database on read-only media: CANTOPEN."""

    class ReadOnlyMedia:
        def execute(self, *_a: object) -> None:
            raise _sqlite_error(
                sqlite3.OperationalError, "unable to open database file", database.SQLITE_CANTOPEN
            )

        def close(self) -> None:
            pass

    monkeypatch.setattr(database.sqlite3, "connect", lambda *a, **k: ReadOnlyMedia())
    monkeypatch.setattr(
        database.os, "statvfs", lambda _p: types.SimpleNamespace(f_flag=os.ST_RDONLY)
    )
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(f"sqlite:///{existing_db}", sqlite_path=existing_db)
    assert "read-only file system" in str(info.value)
    assert "damaged" not in str(info.value)


def test_errors_are_classified_by_code_not_by_text() -> None:  # type: ignore[no-untyped-def]
    misleading = _sqlite_error(sqlite3.DatabaseError, "database is locked", database.SQLITE_CORRUPT)
    assert error_code(misleading) == database.SQLITE_CORRUPT
    assert database._explain(misleading) == "the database file is damaged or not a database"
    extended = _sqlite_error(sqlite3.OperationalError, "whatever", database.SQLITE_BUSY | 0x200)
    assert "in use by another program" in database._explain(extended)
    full = _sqlite_error(sqlite3.OperationalError, "readonly", database.SQLITE_FULL)
    assert database._explain(full) == "the disk is full"


def test_a_real_non_database_is_recognised_by_its_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(NotOurDatabase, match="damaged or not a database"):
        open_database(f"sqlite:///{junk}", sqlite_path=junk)


def test_a_read_only_folder_without_root(existing_db) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() == 0:
        pytest.skip("root ignores permissions; the injected read-only case covers it")
    folder = existing_db.parent
    for name in os.listdir(folder):
        if name.endswith(("-wal", "-shm")):
            (folder / name).unlink()
    existing_db.chmod(0o444)
    folder.chmod(0o555)
    try:
        with pytest.raises(DatabaseUnavailable, match="read-only"):
            db = open_database(f"sqlite:///{existing_db}", sqlite_path=existing_db)
            with db.write():
                pass
    finally:
        folder.chmod(0o755)
        existing_db.chmod(0o644)


def test_no_password_in_a_connection_error(catalog) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StorageError) as info:
        open_services(SECRET_URL, catalog=catalog)
    message = str(info.value)
    assert "secret" not in message
    assert "u:***@127.0.0.1:1/x" in message


def test_no_password_in_a_driver_message(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    driver = Exception(
        'connection to server at "127.0.0.1" failed for postgresql://u:secret@127.0.0.1:1/x '
        "(host=127.0.0.1 user=u password=secret dbname=x)"
    )
    wrapped = OperationalError("connect", {}, driver)
    text = database._explain(wrapped)
    assert "secret" not in text and "password=***" in text
    assert "secret" not in str(DatabaseUnavailable(SECRET_URL, str(driver)))


@pytest.mark.logs_errors  # it logs an exception on purpose
def test_no_password_in_a_log_line(caplog) -> None:  # type: ignore[no-untyped-def]
    logger = logging.getLogger("airmf.test.redact")
    logger.addFilter(RedactingFilter())
    try:
        with caplog.at_level(logging.INFO, logger="airmf.test.redact"):
            logger.info("opening %s", SECRET_URL)
            try:
                raise RuntimeError(f"cannot connect to {SECRET_URL}")
            except RuntimeError:
                logger.exception("failed")
    finally:
        logger.filters.clear()
    assert "secret" not in caplog.text
    assert "u:***@" in caplog.text
    assert redact(redact(SECRET_URL)) == redact(SECRET_URL)


def test_the_list_never_waits_for_a_lock_to_refresh_its_cache(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Another program holds the write lock; the list is computed in memory and returned at once
    (with the old 10 s wait, set here to 10 minutes, this test would hang)."""
    service = AssessmentService(ctx)
    a = service.create({"name": "Cached later"})
    ctx.db.dispose()
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 600_000)
    other = sqlite3.connect(ctx.location.sqlite_path, isolation_level=None)
    try:
        other.execute("UPDATE assessments SET summary = NULL")  # stale: the list must rescore
        other.execute("BEGIN IMMEDIATE")  # another program's write lock, held
        listed = service.list()
        assert [s.assessment.id for s in listed] == [a.id]
        assert listed[0].overall.completion == 0
        other.execute("ROLLBACK")
    finally:
        other.close()
    service.list()  # the lock is free again: the cache is written now
    con = sqlite3.connect(ctx.location.sqlite_path)
    assert con.execute("SELECT summary FROM assessments").fetchone()[0] is not None
    con.close()


def test_a_save_blocked_by_another_program_says_so(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.services.answers import AnswerService

    a = AssessmentService(ctx).create({"name": "Busy"})
    ctx.db.dispose()
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 0)  # give up at once instead of in 10 s
    other = sqlite3.connect(ctx.location.sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="in use by another program"):
            AnswerService(ctx).record(a.id, "GOVERN 1.1", notes="blocked")
        with pytest.raises(StorageError, match="in use by another program"):
            AssessmentService(ctx).rename(a.id, "Renamed")
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_device_or_fifo_is_never_opened_as_the_database(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Opening a FIFO would block; a device would get -wal/-shm files created beside it."""
    from app.cli.main import main

    fifo = tmp_path / "pipe.sqlite3"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/null")):
        assert main(["--db", str(target), "assessment", "list"]) == 1
        err = capsys.readouterr().err
        assert "is not a regular file" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.sqlite3"]
    assert not Path("/dev/null-wal").exists()


@pytest.mark.parametrize(
    "url",
    [SECRET_URL, "postgresql://u:secret@/x?host=/nonexistent", "nosuchdialect://u:secret@h/x"],
)
def test_a_bad_database_url_is_one_message_without_the_password(url, capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli.main import main

    assert main(["--db", url, "assessment", "list"]) == 1
    err = capsys.readouterr().err
    assert "secret" not in err and "Traceback" not in err and err.count("\n") == 1, err
