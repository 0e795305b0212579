"""Errors the services raise for the user: each message says what is wrong and changes nothing."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: ``str()`` is a complete, user-facing message."""


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class AssessmentLocked(ServiceError):
    """The assessment is finalized: read-only until it is explicitly reopened."""


class StorageError(ServiceError):
    """The database or a file could not be read or written (locked, full, read-only...)."""


class NeedsConfirmation(InvalidInput):
    """The action replaces something of another kind; repeat it confirmed (``force``)."""


class Conflict(ServiceError):
    """A save based on an older version of an answer changes fields that another writer
    changed after that version (optimistic versioning, issue 13). Nothing was written.

    ``fields``: field name -> (value stored now, value the save attempted), in answer field
    order; ``stored``: the answer as stored now (a domain Answer); ``version``: its version,
    the base to save on to keep the attempted values.
    """

    def __init__(
        self,
        subcategory_id: str,
        fields: dict[str, tuple[object, object]],
        stored: object,
        version: int,
    ) -> None:
        self.subcategory_id = subcategory_id
        self.fields = fields
        self.stored = stored
        self.version = version
        names = ", ".join(f.replace("_", " ") for f in fields)
        super().__init__(
            f"{subcategory_id} not saved: someone else changed {names} meanwhile (the answer is "
            f"now at version {version}); nothing was written. Look at the stored answer and "
            "save again based on it"
        )
