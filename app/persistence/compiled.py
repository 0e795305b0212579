"""Core statements compiled once and run straight on the DBAPI connection (the save path).

Saving an answer runs a handful of small statements on every click. Through SQLAlchemy's
execution machinery each costs 50-80 µs of Python before SQLite sees it; compiled once here
(SQL text, parameter order and the column types' own bind and result processors) it costs a few
microseconds. The statements still come from the table definitions, run in the session's own
transaction on its connection, and convert values exactly as SQLAlchemy would. Dialects other
than SQLite take SQLAlchemy's normal path.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.expression import Select

_Processor = Callable[[Any], Any] | None


class _Plan:
    __slots__ = ("sql", "params", "row", "results")

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        names = compiled.positiontup or []
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

    def bind(self, given: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, literal, process in self.params:
            value = given[name] if literal is _GIVEN else literal
            out.append(value if process is None or value is None else process(value))
        return tuple(out)

    def convert(self, raw: Iterable[tuple[Any, ...]]) -> list[Any]:
        results, make = self.results, self.row._make
        return [
            make(v if p is None or v is None else p(v) for p, v in zip(results, r, strict=True))
            for r in raw
        ]


_GIVEN = object()


class DriverTransaction:
    """A write transaction held directly on a pooled sqlite3 connection (the save path): the
    dialect to compile for and the driver connection to run on. See
    Database.write_connection."""

    __slots__ = ("dialect", "driver")

    def __init__(self, dialect: Dialect, driver: sqlite3.Connection) -> None:
        self.dialect = dialect
        self.driver = driver


Runner = Connection | DriverTransaction


class Statement:
    """A Core statement run through a plan compiled once per dialect."""

    __slots__ = ("statement", "_plans")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._plans: dict[str, _Plan] = {}

    def _plan(self, connection: Runner) -> _Plan | None:
        dialect = connection.dialect
        if dialect.name != "sqlite":
            return None
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self.statement, dialect)
        return plan

    def rows(self, connection: Runner, params: Mapping[str, Any]) -> list[Any]:
        """Run a select; rows have the selected columns' keys as attributes, values converted."""
        plan = self._plan(connection)
        if plan is None:
            assert isinstance(connection, Connection)
            return list(connection.execute(self.statement, dict(params)).all())
        with as_sqlalchemy_error(plan.sql):
            raw = _driver(connection).execute(plan.sql, plan.bind(params)).fetchall()
        return plan.convert(raw)

    def run(self, connection: Runner, params: Mapping[str, Any]) -> int | None:
        """Run an insert, update or delete; the new row's id for an insert."""
        plan = self._plan(connection)
        if plan is None:
            assert isinstance(connection, Connection)
            result = connection.execute(self.statement, dict(params))
            key = getattr(result, "inserted_primary_key", None) if result.is_insert else None
            return key[0] if key else None
        with as_sqlalchemy_error(plan.sql):
            cursor = _driver(connection).execute(plan.sql, plan.bind(params))
        return cursor.lastrowid

    def run_many(self, connection: Runner, params: list[Mapping[str, Any]]) -> None:
        plan = self._plan(connection)
        if plan is None:
            assert isinstance(connection, Connection)
            connection.execute(self.statement, [dict(p) for p in params])
            return
        with as_sqlalchemy_error(plan.sql):
            _driver(connection).executemany(plan.sql, [plan.bind(p) for p in params])


def _driver(connection: Runner) -> sqlite3.Connection:
    if isinstance(connection, DriverTransaction):
        return connection.driver
    return connection.connection.driver_connection  # type: ignore[return-value]


class as_sqlalchemy_error:  # noqa: N801 - a context manager, named as one
    """Driver errors surface as SQLAlchemy's (as from Connection.execute), so that the callers'
    handling (locked, read-only, full disk) is the same on both paths."""

    __slots__ = ("sql",)

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, _tb: Any
    ) -> bool:
        if isinstance(exc, sqlite3.Error):
            raise DBAPIError.instance(self.sql, None, exc, sqlite3.Error) from exc  # type: ignore[arg-type]
        return False
