"""Core statements compiled once and run straight on the DBAPI connection (the save path).

Saving an answer runs a handful of small statements on every click. Through SQLAlchemy's
execution machinery each costs 50-80 µs of Python before SQLite sees it; compiled once here
(SQL text, parameter order and the column types' own bind and result processors) it costs a few
microseconds. The statements still come from the table definitions, run in the unit's own
transaction on its connection, and convert values exactly as SQLAlchemy would.

On PostgreSQL the save path's DriverTransaction holds a psycopg connection in pipeline mode:
statements whose results are not read (updates, inserts, the commit) are queued and sent
together, so that a save costs three round trips to the server instead of eleven (on a
loaded machine each round trip costs milliseconds: the server process must be scheduled).
A SQLAlchemy Connection of another dialect takes SQLAlchemy's normal path.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.expression import Insert, Select

_Processor = Callable[[Any], Any] | None


class _Plan:
    __slots__ = ("sql", "params", "row", "results", "named")

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        # Positional ("?", sqlite3) or named ("%(name)s", psycopg) parameters.
        self.named = not compiled.positional
        names = list(compiled.binds) if self.named else compiled.positiontup or []
        # (name, literal value or a marker for "from the caller", bind processor) per "?".
        self.params = tuple(
            (
                name,
                _GIVEN if compiled.binds[name].required else compiled.binds[name].effective_value,
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect),
            )
            for name in names
        )
        self.row: Any = None
        self.results: tuple[_Processor, ...] = ()
        if isinstance(statement, Select):
            columns = list(statement.selected_columns)
            self.row = namedtuple("Row", [c.key for c in columns])  # type: ignore[misc]
            self.results = tuple(
                c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
            )

    def bind(self, given: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        out = []
        for name, literal, process in self.params:
            value = given[name] if literal is _GIVEN else literal
            out.append(value if process is None or value is None else process(value))
        if self.named:
            return {name: value for (name, _l, _p), value in zip(self.params, out, strict=True)}
        return tuple(out)

    def convert(self, raw: Iterable[tuple[Any, ...]]) -> list[Any]:
        results, make = self.results, self.row._make
        return [
            make(v if p is None or v is None else p(v) for p, v in zip(results, r, strict=True))
            for r in raw
        ]


_GIVEN = object()


class DriverTransaction:
    """A write transaction held directly on a pooled driver connection (the save path): the
    dialect to compile for and the driver connection to run on (sqlite3, or psycopg in
    pipeline mode). See Database.write_connection."""

    __slots__ = ("dialect", "driver")

    def __init__(self, dialect: Dialect, driver: Any) -> None:
        self.dialect = dialect
        self.driver = driver


Runner = Connection | DriverTransaction


class Statement:
    """A Core statement run through a plan compiled once per dialect."""

    __slots__ = ("statement", "_plans")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._plans: dict[tuple[str, bool], _Plan] = {}

    def _plan(self, connection: Runner, *, returning: bool = False) -> _Plan | None:
        """The compiled plan for the connection's dialect; None: run through SQLAlchemy (a
        SQLAlchemy Connection on a server). ``returning``: an insert that reads back its new
        row's id (a server has no lastrowid)."""
        dialect = connection.dialect
        if dialect.name != "sqlite" and not isinstance(connection, DriverTransaction):
            return None
        returning = returning and dialect.name != "sqlite"
        plan = self._plans.get((dialect.name, returning))
        if plan is None:
            statement = self.statement
            if returning:
                assert isinstance(statement, Insert)
                statement = statement.returning(statement.table.c.id)  # type: ignore[attr-defined]
            plan = self._plans[(dialect.name, returning)] = _Plan(statement, dialect)
        return plan

    def rows(self, connection: Runner, params: Mapping[str, Any]) -> list[Any]:
        """Run a select; rows have the selected columns' keys as attributes, values converted."""
        plan = self._plan(connection)
        if plan is None:
            assert isinstance(connection, Connection)
            return list(connection.execute(self.statement, dict(params)).all())
        with as_sqlalchemy_error(plan.sql, _dbapi_error(connection)):
            raw = _driver(connection).execute(plan.sql, plan.bind(params)).fetchall()
        return plan.convert(raw)

    def run(self, connection: Runner, params: Mapping[str, Any]) -> int | None:
        """Run an insert, update or delete; the new row's id for an insert."""
        is_insert = isinstance(self.statement, Insert)
        plan = self._plan(connection, returning=is_insert)
        if plan is None:
            assert isinstance(connection, Connection)
            result = connection.execute(self.statement, dict(params))
            key = getattr(result, "inserted_primary_key", None) if result.is_insert else None
            return key[0] if key else None
        with as_sqlalchemy_error(plan.sql, _dbapi_error(connection)):
            cursor = _driver(connection).execute(plan.sql, plan.bind(params))
            if connection.dialect.name == "sqlite":
                return cursor.lastrowid  # type: ignore[no-any-return]
            # A server: the id comes back by RETURNING (reading it waits for the server);
            # an update's result is not read, so it stays queued in the pipeline.
            return cursor.fetchone()[0] if is_insert else None  # type: ignore[no-any-return]

    def run_many(self, connection: Runner, params: list[Mapping[str, Any]]) -> None:
        plan = self._plan(connection)
        if plan is None:
            assert isinstance(connection, Connection)
            connection.execute(self.statement, [dict(p) for p in params])
            return
        with as_sqlalchemy_error(plan.sql, _dbapi_error(connection)):
            driver = _driver(connection)
            if connection.dialect.name == "sqlite":
                driver.executemany(plan.sql, [plan.bind(p) for p in params])
            else:
                with driver.cursor() as cursor:
                    cursor.executemany(plan.sql, [plan.bind(p) for p in params])


def _driver(connection: Runner) -> Any:
    if isinstance(connection, DriverTransaction):
        return connection.driver
    return connection.connection.driver_connection


def _dbapi_error(connection: Runner) -> type[Exception]:
    """The driver's base error class (sqlite3.Error or psycopg.Error)."""
    if connection.dialect.name == "sqlite":
        return sqlite3.Error
    return connection.dialect.loaded_dbapi.Error  # type: ignore[no-any-return]


class as_sqlalchemy_error:  # noqa: N801 - a context manager, named as one
    """Driver errors surface as SQLAlchemy's (as from Connection.execute), so that the callers'
    handling (locked, read-only, full disk) is the same on both paths."""

    __slots__ = ("sql", "error")

    def __init__(self, sql: str, error: type[Exception] = sqlite3.Error) -> None:
        self.sql = sql
        self.error = error

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, _tb: Any
    ) -> bool:
        if isinstance(exc, self.error):
            raise DBAPIError.instance(self.sql, None, exc, self.error) from exc  # type: ignore[arg-type]
        return False
