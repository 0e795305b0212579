"""Engine and transactions: SQLite in WAL mode with synchronous=FULL, migrations at open.

Opening an up-to-date SQLite database needs no SQLAlchemy: the file is checked with the
sqlite3 driver (read-only) and the engine is created on first use. SQLAlchemy costs about as
much to import as the rest of the first screen, which reads through ``snapshot()`` instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app.config.redact import redact
from app.persistence.errors import (
    DatabaseError,
    DatabaseTooNew,
    DatabaseUnavailable,
    MigrationFailed,
    NotOurDatabase,
)
from app.persistence.filesystems import network_filesystem

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine
    from sqlalchemy.exc import SQLAlchemyError

    from app.persistence.compiled import DriverTransaction
    from app.persistence.notifications import ChangeListener

MIGRATIONS = Path(__file__).with_name("migrations")
# The revisions this version knows, oldest first. Kept here so that opening an up-to-date
# database needs no Alembic import (a test checks them against the migration scripts).
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
HEAD = KNOWN_REVISIONS[-1]
# How long a statement waits for a lock another connection holds; a writer's total wait for
# the file's write lock (see begin_immediate).
BUSY_TIMEOUT_MS = 30_000
# One try of begin_immediate inside SQLite's own busy handler (which sleeps 1, 2, 5, 10 ms
# between its first tries, then up to 100 ms): short, so that waiting writers keep trying.
_LOCK_TRY_MS = 25
OUR_TABLES = {"assessments", "answers", "answer_history", "evidence_items"}


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return HEAD


def script_revisions() -> list[str]:
    """The revisions of the migration scripts, oldest first (imports Alembic)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Autocommit at the driver level; SQLAlchemy's "begin" hook below emits BEGIN itself so that
    # transactions are real (pysqlite's implicit transactions are not).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    # Writers take the write lock up front, so that two instances queue instead of deadlocking.
    # Run on the driver (SQLAlchemy's statement machinery costs more than the BEGIN itself).
    from app.persistence.compiled import as_sqlalchemy_error

    options = conn.get_execution_options()
    write = bool(options.get("airmf_write"))
    with as_sqlalchemy_error("BEGIN IMMEDIATE" if write else "BEGIN"):
        wait = not options.get("airmf_nowait")
        _set_waiting(conn.connection, wait)
        if write:
            begin_immediate(conn.connection.driver_connection, wait=wait)
        else:
            conn.connection.driver_connection.execute("BEGIN")


def begin_immediate(
    con: sqlite3.Connection,
    *,
    wait: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """BEGIN IMMEDIATE on ``con``: take the file's one write lock before anything is read.

    ``wait``: when another connection holds the lock, keep trying for BUSY_TIMEOUT_MS in
    total, every few milliseconds. SQLite's busy handler alone sleeps 100 ms between its
    later tries, and a lock that many writers take in turn is free for a few milliseconds at a
    time: a waiter could miss every release for its whole timeout while the others saved
    (the soak test of 10 processes saw a save refused after 10 s under load). Trying often
    lets waiting writers take turns. ``wait=False``: one try (the connection's busy timeout
    is the caller's, 0 for optional writes).

    Raises sqlite3.OperationalError (SQLITE_BUSY) when the lock stayed held, and any other
    error at once. The connection's busy timeout is BUSY_TIMEOUT_MS again afterwards.
    """
    if not wait:
        con.execute("BEGIN IMMEDIATE")
        return
    deadline = clock() + BUSY_TIMEOUT_MS / 1000
    try:
        while True:
            left_ms = int((deadline - clock()) * 1000)
            con.execute(f"PRAGMA busy_timeout = {max(0, min(_LOCK_TRY_MS, left_ms))}")
            try:
                con.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if error_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED) or clock() >= deadline:
                    raise
    finally:
        with contextlib.suppress(sqlite3.Error):  # a broken connection: its error goes first
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _set_waiting(pooled, wait: bool) -> None:  # type: ignore[no-untyped-def]
    """Wait up to BUSY_TIMEOUT_MS for a lock held by another program (the default), or not at
    all (an optional write such as a cache refresh must never make a read wait).

    The setting stays on the pooled connection, so it is changed only when it differs."""
    if pooled.info.get("airmf_wait", True) != wait:
        pooled.driver_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS if wait else 0}")
        pooled.info["airmf_wait"] = wait


def _probe_sqlite_file(path: Path) -> tuple[set[str], str | None] | None:
    """Refuse files that are not SQLite before SQLAlchemy touches (and maybe modifies) them.

    Returns the tables and schema revision of an existing database (None: no file yet)."""
    if not path.exists():
        if not path.parent.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    str(path), f"cannot create the folder: {exc.strerror}"
                ) from exc
        return None
    if path.is_dir():
        raise NotOurDatabase(str(path), "is a folder, not a database file")
    if not path.is_file():  # a device, FIFO or socket: opening it could block or write into it
        raise NotOurDatabase(str(path), "is not a regular file (a device, FIFO or socket)")
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise DatabaseUnavailable(str(path), f"cannot be read: {exc.strerror}") from exc
    if header and not header.startswith(b"SQLite format 3\x00"):
        raise NotOurDatabase(str(path), "is not an SQLite database (unknown file header)")
    if header and len(header) < 100:
        raise NotOurDatabase(str(path), "is truncated (shorter than an SQLite header)")
    if not header:
        return None
    return _probe_schema(path)


def probe_database_file(path: Path) -> tuple[set[str], str | None] | None:
    """Read-only check of an existing file as a database of this app (e.g. a backup to restore).

    Returns its tables and schema revision, or None for an empty file. Raises NotOurDatabase
    (not a regular file, not SQLite, truncated header, damaged, another program's),
    DatabaseTooNew (a schema this version does not know) or DatabaseUnavailable (unreadable).
    """
    try:
        regular = path.is_file()
    except OSError as exc:  # e.g. a name too long for the file system
        raise DatabaseUnavailable(str(path), f"cannot be read: {exc.strerror}") from exc
    if not regular:
        problem = "is not a regular file" if path.exists() else "does not exist"
        raise NotOurDatabase(str(path), problem)
    return _probe_sqlite_file(path)


def _probe_schema(path: Path) -> tuple[set[str], str | None]:
    """Read-only look at an existing file, before any connection could switch it to WAL."""
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(str(path), f"cannot be opened: {_explain(exc, path)}") from exc
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            version = row[0] if row else None
    except sqlite3.Error as exc:
        if error_code(exc) in DAMAGED:
            raise NotOurDatabase(str(path), f"is damaged or not a database ({exc})") from exc
        raise DatabaseUnavailable(str(path), _explain(exc, path)) from exc
    finally:
        con.close()
    _check_known(str(path), tables, version)
    return tables, version


def _check_known(location: str, tables: set[str], version: str | None) -> None:
    """Refuse another program's database, a damaged one, or one of a newer schema."""
    if version is None and tables - {"alembic_version"}:
        if tables & OUR_TABLES != OUR_TABLES:
            raise NotOurDatabase(location, "is an SQLite database of another program")
        raise NotOurDatabase(location, "has our tables but no schema version; it is damaged")
    if version is not None and version not in KNOWN_REVISIONS:
        raise DatabaseTooNew(
            location,
            f"was written by a newer version of AI RMF Assessor (schema {version}); "
            "update the app to open it. The file was not changed.",
        )


class Database:
    """One database: an engine and its units of work on Core connections.

    The engine (and SQLAlchemy with it) is created on first use; ``snapshot()`` reads an
    SQLite file with the driver alone.
    """

    def __init__(self, url: str, location: str, sqlite_path: Path | None = None) -> None:
        self.url = url
        self.location = location
        self.sqlite_path = sqlite_path
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        # Idle sqlite3 connections of driver_write(), each with the pragmas of the engine's.
        self._drivers: list[sqlite3.Connection] = []
        # Names this Database's own change notifications, so its listener can skip them.
        self.origin = uuid.uuid4().hex

    @property
    def engine(self) -> Engine:
        engine = self._engine
        if engine is None:
            with self._lock:  # the writer and a reader thread may both get here first
                if self._engine is None:
                    self._start_engine()
                engine = self._engine
        assert engine is not None
        return engine

    def _start_engine(self) -> None:
        from sqlalchemy import create_engine, event

        engine = create_engine(self.url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        self._writer = engine.execution_options(airmf_write=True)
        self._writer_nowait = engine.execution_options(airmf_write=True, airmf_nowait=True)
        self._engine = engine

    @contextlib.contextmanager
    def write(self, *, wait: bool = True, assessment_id: int | None = None) -> Iterator[Connection]:
        """A unit of work on a Core connection: one transaction, committed on success
        (durably), rolled back on any error.

        ``wait=False``: do not wait for another program's write lock; raise DatabaseUnavailable
        at once instead (for optional writes such as the score cache). ``assessment_id``: the
        writes append to that assessment's history, so they are serialised with its other
        writers, as in ``write_connection``. On PostgreSQL the transaction sends the change
        notification (delivered only if it commits).
        """
        engine = self.engine
        writer = self._writer if wait else self._writer_nowait
        with self._guard(), writer.begin() as connection:
            if not wait and engine.dialect.name == "postgresql":
                # As SQLite's busy timeout of 0: a row another writer holds is refused at once
                # (SQLSTATE 55P03), not waited for: a listing never stalls for its cache.
                connection.exec_driver_sql(_NO_LOCK_WAIT)
            if assessment_id is not None and engine.dialect.name != "sqlite":
                _lock_assessment(connection, assessment_id)
            yield connection
            if engine.dialect.name == "postgresql":
                _announce(connection, self.origin, assessment_id)

    @contextlib.contextmanager
    def write_connection(
        self, assessment_id: int | None = None
    ) -> Iterator[Connection | DriverTransaction]:
        """A unit of work for the save path (repositories' compiled statements), committed on
        success (durably), rolled back on any error.

        Writers of one assessment are serialised for the whole unit of work, so that two of
        them never read the same head of its history chain (DESIGN.md, "The store"): SQLite's
        BEGIN IMMEDIATE takes the database's one write lock; on a server the assessment's row
        is locked (SELECT ... FOR UPDATE) when ``assessment_id`` is given, before anything is
        read, and other writers of that assessment wait for the commit.

        On SQLite it is held directly on a pooled sqlite3 connection (BEGIN IMMEDIATE ...
        COMMIT): no SQLAlchemy transaction to set up and tear down, which cost
        a third of saving an answer. On PostgreSQL it is held on a pooled psycopg connection
        in pipeline mode (see _server_save). Elsewhere it is a bare SQLAlchemy connection.
        """
        engine = self.engine
        if engine.dialect.name == "postgresql":
            with self._guard(), self._server_save(assessment_id) as transaction:
                yield transaction
            return
        if engine.dialect.name != "sqlite":
            with self._guard(), self._writer.begin() as connection:
                if assessment_id is not None:
                    _lock_assessment(connection, assessment_id)
                yield connection
                if engine.dialect.name == "postgresql":
                    _announce(connection, self.origin, assessment_id)
            return
        from app.persistence.compiled import DriverTransaction, as_sqlalchemy_error

        with self._guard():
            pooled = engine.raw_connection()  # with the pragmas of _sqlite_pragmas
            try:
                driver = pooled.driver_connection
                with as_sqlalchemy_error("BEGIN IMMEDIATE"):
                    _set_waiting(pooled, True)
                    begin_immediate(driver)
                try:
                    yield DriverTransaction(engine.dialect, driver)
                    with as_sqlalchemy_error("COMMIT"):
                        driver.execute("COMMIT")
                except BaseException:
                    if driver.in_transaction:  # a failed COMMIT may leave it open
                        with contextlib.suppress(sqlite3.Error):
                            driver.execute("ROLLBACK")
                    raise
            finally:
                pooled.close()  # back to the pool

    @contextlib.contextmanager
    def driver_write(self, *, wait: bool = True) -> Iterator[sqlite3.Connection]:
        """An SQLite file's write transaction on the sqlite3 driver alone (the save path of
        ``sqlite_store``: no SQLAlchemy, so that a one-answer ``airmf answer`` process does not
        import it): BEGIN IMMEDIATE (the file's one write lock, taken before anything is read,
        waiting up to BUSY_TIMEOUT_MS) ... COMMIT, durably (WAL, synchronous=FULL, as the
        engine's connections); rolled back on any error.

        ``wait=False``: DatabaseUnavailable at once if another program holds the lock (for
        optional writes such as the score cache, as ``write(wait=False)``).

        Errors: locked, read-only, full or damaged raise DatabaseUnavailable with the message
        the engine's paths give; any other driver error surfaces as SQLAlchemy's would (a bug,
        as from the other paths).
        """
        assert self.sqlite_path is not None
        con = self._driver()
        try:
            try:
                if not wait:
                    con.execute("PRAGMA busy_timeout = 0")
                begin_immediate(con, wait=wait)
                yield con
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:  # a failed COMMIT may leave it open
                    with contextlib.suppress(sqlite3.Error):
                        con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._driver_error(exc)
        finally:
            if not wait:
                with contextlib.suppress(sqlite3.Error):
                    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            with self._lock:
                self._drivers.append(con)

    def _driver(self) -> sqlite3.Connection:
        with self._lock:
            if self._drivers:
                return self._drivers.pop()
        assert self.sqlite_path is not None
        try:
            con = sqlite3.connect(  # mode=rw: a file deleted meanwhile is not created empty
                f"{self.sqlite_path.as_uri()}?mode=rw",
                uri=True,
                isolation_level=None,
                check_same_thread=False,  # one thread at a time: taken from the pool
            )
            _sqlite_pragmas(con, None)
        except sqlite3.Error as exc:
            self._driver_error(exc)
        return con

    def _driver_error(self, exc: sqlite3.Error) -> NoReturn:
        """Raise ``exc`` as the engine's paths do (see ``_guard``)."""
        if isinstance(exc, sqlite3.OperationalError) or error_code(exc) in DAMAGED:
            raise DatabaseUnavailable(self.location, _explain(exc, self.sqlite_path)) from exc
        from sqlalchemy.exc import DBAPIError

        raise DBAPIError.instance("driver_write", None, exc, sqlite3.Error) from exc

    @contextlib.contextmanager
    def _server_save(self, assessment_id: int | None) -> Iterator[DriverTransaction]:
        """The save path's transaction on PostgreSQL, on the psycopg connection in pipeline
        mode: BEGIN, the assessment's row lock and the first read go to the server together,
        and the writes, the change notification and COMMIT are queued and sent together when
        the block ends (psycopg sends queued statements when a result is read, and at the end
        of the pipeline). Three round trips for a save instead of eleven. The commit's result
        is read (at the pipeline's end) before this returns, so a save reported as done is
        committed; any error rolls the whole transaction back and surfaces as SQLAlchemy's (as
        from Connection.execute).
        """
        from app.persistence.compiled import DriverTransaction, as_sqlalchemy_error
        from app.persistence.notifications import CHANNEL, payload

        engine = self.engine
        error = engine.dialect.loaded_dbapi.Error
        pooled = engine.raw_connection()
        try:
            driver = pooled.driver_connection
            assert driver is not None
            with as_sqlalchemy_error("save (pipeline)", error):
                try:
                    with driver.pipeline():
                        if assessment_id is not None:
                            driver.execute(_LOCK_ASSESSMENT_PG, {"aid": assessment_id})
                        yield DriverTransaction(engine.dialect, driver)
                        driver.execute(
                            "SELECT pg_notify(%(channel)s, %(payload)s)",
                            {"channel": CHANNEL, "payload": payload(self.origin, assessment_id)},
                        )
                        # Queued as a statement, not driver.commit() (which waits for its
                        # result, and then the pipeline's end would wait again): the end of
                        # the pipeline sends it with the writes and raises any error of them.
                        driver.execute("COMMIT")
                except BaseException:
                    if driver.closed or driver.broken:
                        # The server went away mid-save: the pool must not hand this
                        # connection out again (SQLAlchemy's path does the same).
                        pooled.invalidate()
                    else:
                        with contextlib.suppress(error):
                            driver.rollback()
                    raise
        finally:
            pooled.close()  # back to the pool

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction on a Core connection (a consistent view on SQLite; READ
        COMMITTED statements on a server, as the engine's default)."""
        engine = self.engine
        with self._guard(), engine.connect() as connection, connection.begin():
            yield connection

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection | None]:
        """A read-only transaction on the sqlite3 driver (a consistent view of the file), or
        None for a database that is not an SQLite file (read through ``read()`` then)."""
        if self.sqlite_path is None:
            yield None
            return
        try:
            con = sqlite3.connect(  # mode=rw: a file deleted meanwhile is not created empty
                f"{self.sqlite_path.as_uri()}?mode=rw", uri=True, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(self.location, _explain(exc, self.sqlite_path)) from exc
        try:
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA query_only = ON")
            con.execute("BEGIN")
            yield con
        except sqlite3.OperationalError as exc:
            raise DatabaseUnavailable(self.location, _explain(exc, self.sqlite_path)) from exc
        finally:
            con.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        from sqlalchemy.exc import DatabaseError as SADatabaseError
        from sqlalchemy.exc import OperationalError

        try:
            yield
        except OperationalError as exc:
            raise DatabaseUnavailable(self.location, _explain(exc, self.sqlite_path)) from exc
        except SADatabaseError as exc:  # a damaged file found mid-way is the user's to know
            if error_code(exc) not in DAMAGED and sqlstate(exc) not in SERVER_REFUSALS:
                raise
            raise DatabaseUnavailable(self.location, _explain(exc, self.sqlite_path)) from exc

    def listen(self, on_change: Callable[[int | None], None]) -> ChangeListener | None:
        """Start calling ``on_change(assessment id | None)`` (on a thread of its own) whenever
        another client commits a write to this server database; None for an SQLite file, which
        has no such channel. See notifications.py."""
        if self.sqlite_path is not None or self.engine.dialect.name != "postgresql":
            return None
        from app.persistence.notifications import ChangeListener

        url = self.engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        return ChangeListener(conninfo, on_change, ignore_origin=self.origin).start()

    def server_login(self) -> str | None:
        """The login the server knows this session by (PostgreSQL ``session_user``), or None for
        an SQLite file, which has no logins. Raises DatabaseUnavailable."""
        if self.sqlite_path is not None or self.engine.dialect.name == "sqlite":
            return None
        from sqlalchemy import text

        with self._guard(), self.engine.connect() as connection:
            return str(connection.execute(text("SELECT session_user")).scalar_one())

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        with self._lock:
            drivers, self._drivers = self._drivers, []
        for con in drivers:
            con.close()


def _announce(connection: Connection, origin: str, assessment_id: int | None) -> None:
    """Tell the other members' listeners about this write; delivered only if it commits."""
    from sqlalchemy import text

    from app.persistence.notifications import CHANNEL, payload

    connection.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": CHANNEL, "payload": payload(origin, assessment_id)},
    )


# The shortest lock wait PostgreSQL has (0 would mean "no limit"), for this transaction only.
_NO_LOCK_WAIT = "SET LOCAL lock_timeout = '1ms'"

# The row lock of _lock_assessment in psycopg's parameter style, for the pipelined save path.
_LOCK_ASSESSMENT_PG = "SELECT id FROM assessments WHERE id = %(aid)s FOR UPDATE"


def _lock_assessment(connection: Connection, assessment_id: int) -> None:
    """Hold the assessment's row lock until the transaction ends (a missing row locks nothing:
    the caller then finds no assessment and writes nothing)."""
    from sqlalchemy import text

    connection.execute(
        text("SELECT id FROM assessments WHERE id = :aid FOR UPDATE"), {"aid": assessment_id}
    )


# SQLite's primary result codes (https://sqlite.org/rescode.html); an extended code carries
# its primary code in the low byte.
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 10, 11, 13, 14
SQLITE_AUTH, SQLITE_NOTADB = 23, 26
DAMAGED = {SQLITE_CORRUPT, SQLITE_NOTADB}


# A server's refusals that are the user's to know, not bugs (PostgreSQL SQLSTATEs,
# https://www.postgresql.org/docs/current/errcodes-appendix.html): a read-only session (a
# standby, or default_transaction_read_only), a login without the right, a full disk; a lock
# another writer holds, for a write that does not wait (write(wait=False)).
SERVER_REFUSALS = {
    "55P03": "the database is in use by another program and stayed locked; try again",
    "25006": "the database is read-only: the server accepts no changes in this session",
    "42501": "your database login may not make this change; ask the database's owner",
    "53100": "the server's disk is full",
    "53200": "the server is out of memory",
}


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a server error (or of the one a SQLAlchemy error wraps), else None."""
    state = getattr(getattr(exc, "orig", exc), "sqlstate", None)
    return state if isinstance(state, str) else None


def error_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a driver error (or of the one a SQLAlchemy error
    wraps), or None when it is not an SQLite error. Never read from the message text."""
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def read_only_reason(path: Path | None) -> str | None:
    """Why the database at ``path`` cannot be written, if the file system says so: a read-only
    file system, a read-only file, or a read-only folder (SQLite needs to create its -wal and
    -shm files beside the database)."""
    if path is None:
        return None
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        pass
    if path.exists() and not os.access(path, os.W_OK):
        return "the database file is read-only"
    if not os.access(path.parent, os.W_OK):
        return "its folder is read-only (SQLite needs to create files beside the database)"
    return None


def _explain(exc: SQLAlchemyError | sqlite3.Error, path: Path | None = None) -> str:
    """One user-facing sentence for a database error, chosen by its SQLite result code or
    its server SQLSTATE."""
    refusal = SERVER_REFUSALS.get(sqlstate(exc) or "")
    if refusal is not None:
        return refusal
    code = error_code(exc)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return "the database is in use by another program and stayed locked; try again"
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH):
        reason = read_only_reason(path)
        if reason is not None or code == SQLITE_READONLY:
            return f"the database is read-only: {reason or 'it cannot be written'}"
        return "the database file cannot be opened"
    if code == SQLITE_FULL:
        return "the disk is full"
    if code in DAMAGED:
        return "the database file is damaged or not a database"
    if code == SQLITE_IOERR:
        return f"the disk reported an input/output error ({getattr(exc, 'orig', exc)})"
    # A driver's message may run over several lines (libpq adds a hint): one line, no password.
    return redact(" ".join(str(getattr(exc, "orig", exc)).split()))


def open_database(url: str, *, sqlite_path: Path | None = None, migrate: bool = True) -> Database:
    """Open (and create or upgrade) the database at ``url``.

    A database written by a newer app version, a foreign or damaged file, or an unusable location
    raises a DatabaseError subclass whose message names the database and the problem; none of
    these cases modifies the file, nor does an SQLite file on a network file system, which is
    refused (filesystems.py says why). An SQLite file of the current schema that can be written is
    opened without SQLAlchemy (its engine is made on first use); anything else (a new file, an
    upgrade, another kind of database) goes through SQLAlchemy and Alembic now.
    """
    location = str(sqlite_path) if sqlite_path else redact(url)
    if sqlite_path is not None:
        remote = network_filesystem(sqlite_path)
        if remote is not None:
            raise DatabaseUnavailable(
                location,
                f"it is on a network file system ({remote}), where SQLite cannot keep it safe "
                "(write-ahead logging needs a local disk); keep the file on a local disk, or "
                "share a PostgreSQL server instead (README, Team mode)",
            )
    seen = _probe_sqlite_file(sqlite_path) if sqlite_path is not None else None
    db = Database(url, location, sqlite_path)
    if seen is not None and sqlite_path is not None and _current(seen, sqlite_path):
        return db
    from sqlalchemy.exc import SQLAlchemyError

    try:
        _check_and_migrate(db, sqlite_path, migrate)
    except DatabaseError:
        db.dispose()
        raise
    except SQLAlchemyError as exc:  # connection refused, bad URL, authentication...
        db.dispose()
        raise DatabaseUnavailable(location, _explain(exc, sqlite_path)) from exc
    except ImportError as exc:  # the URL names a driver that is not installed
        db.dispose()
        raise DatabaseUnavailable(
            location, f"the database driver is not installed ({exc.name or exc})"
        ) from exc
    return db


def _current(seen: tuple[set[str], str | None], path: Path) -> bool:
    """An up-to-date database of ours that this process can write (WAL needs the folder too)."""
    tables, version = seen
    return (
        version == HEAD
        and tables >= OUR_TABLES
        and os.access(path, os.W_OK)
        and os.access(path.parent, os.W_OK)
    )


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return _revision(conn, set(inspect(conn).get_table_names()))


def _revision(conn, tables: set[str]) -> str | None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    if "alembic_version" not in tables:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def _check_and_migrate(db: Database, sqlite_path: Path | None, migrate: bool) -> None:
    from sqlalchemy import inspect

    engine = db.engine
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = _revision(conn, tables)
        conn.rollback()
    _check_known(db.location, tables, current)
    if current == head_revision() or not migrate:
        return
    backup = None
    if current is not None and sqlite_path is not None:
        try:
            backup = backup_before_migration(sqlite_path, current)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseUnavailable(
                db.location, f"cannot be backed up before its schema upgrade ({exc}); not upgraded"
            ) from exc
    from alembic import command

    cfg = alembic_config()
    try:
        # One transaction: all revisions or none.
        with engine.connect() as conn, _foreign_keys_off(conn), conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            _check_references(conn)
    except Exception as exc:
        if _insufficient_privilege(exc):
            raise MigrationFailed(
                db.location,
                f"its schema needs an upgrade (from revision {current} to {head_revision()}) "
                "that only the database's owner may make; nothing was changed. Ask the owner "
                "to open it once with this version of the app (README, Team mode)",
            ) from exc
        kept = f"; the copy made before the upgrade is {backup}" if backup else ""
        raise MigrationFailed(
            db.location,
            f"the schema upgrade failed and was rolled back, the data is unchanged{kept} "
            f"({type(exc).__name__}: {exc})",
        ) from exc


@contextlib.contextmanager
def _foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite: foreign keys off around the upgrade transaction, on again after it.

    A migration that rebuilds a table (SQLite cannot alter most of a table in place) drops the
    old one; with foreign keys on, that drop would first delete the rows that refer to it (the
    answers and history of every assessment, by ON DELETE CASCADE). This is SQLite's documented
    procedure for schema changes (https://www.sqlite.org/lang_altertable.html, "Making Other
    Kinds Of Table Schema Changes"): keys off outside the transaction, _check_references
    before committing. The pragma cannot change inside a transaction, hence the driver call.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def _check_references(conn: Connection) -> None:
    """Refuse (roll back) an upgrade that left a row referring to a missing one (SQLite)."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(f"{len(broken)} rows of {', '.join(tables)} would refer to missing rows")


def _insufficient_privilege(exc: BaseException) -> bool:
    """A server refused a schema change for want of rights (SQLSTATE 42501)."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == "42501"


def backup_before_migration(path: Path, old_revision: str) -> Path:
    """Copy the database (SQLite's online backup API) next to it before its schema changes."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    target = path.with_name(f"{path.stem}-{stamp}-schema-{old_revision}{path.suffix}.bak")
    from app.persistence.backups import online_copy  # only before an upgrade

    online_copy(path, target)
    return target


__all__ = ["Database", "open_database", "head_revision", "current_revision"]
