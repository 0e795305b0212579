"""Database problems a user can act on, each with a message naming the database and the cause."""

from __future__ import annotations

from app.config.redact import redact


class DatabaseError(Exception):
    """A database that cannot be used as it is. ``str()`` is the user-facing message."""

    def __init__(self, location: str, problem: str) -> None:
        # A server URL or a driver's message may carry a password: never show it.
        location, problem = redact(location), redact(problem)
        super().__init__(f"{location}: {problem}")
        self.location = location
        self.problem = problem


class DatabaseTooNew(DatabaseError):
    """Written by a newer version of the app: refused and left untouched."""


class NotOurDatabase(DatabaseError):
    """A file that is not SQLite, or a SQLite file of another program."""


class DatabaseUnavailable(DatabaseError):
    """Locked, read-only, missing folder, disk full: the cause is outside the data."""


class MigrationFailed(DatabaseError):
    """A schema upgrade failed: rolled back, and the pre-upgrade copy is kept."""
