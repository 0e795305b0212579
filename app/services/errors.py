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
