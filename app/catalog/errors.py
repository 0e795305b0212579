"""CatalogError: one user-facing message naming the broken file, the field path and the problem."""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import ValidationError
from pydantic_core import ErrorDetails

# Domain validators phrase their messages as "<dotted.path>: <problem>".
_PATH_PREFIX = re.compile(r"^([A-Za-z_][\w]*(?:\.[\w]+)*): (.*)$", re.DOTALL)
_MAX_PROBLEMS = 5


class CatalogError(Exception):
    """A framework or rating-scheme file is missing, unreadable, malformed or inconsistent.

    ``str(error)`` is the message for the user, e.g.
    ``frameworks/nist-ai-rmf-1.0/framework.json: functions.0.categories.0.subcategories.1.id:
    duplicate id 'GOVERN 1.1'``.
    """

    def __init__(self, message: str, *, file: str = "") -> None:
        super().__init__(f"{file}: {message}" if file else message)
        self.file = file
        self.problem = message


def validation_error(
    exc: ValidationError, file: str, relocate: Callable[[str], str] | None = None
) -> CatalogError:
    """Turn a pydantic error into a CatalogError; ``relocate`` may rewrite each field path."""
    errors = exc.errors()
    problems = []
    for err in errors:
        if _echo_of_item_errors(err, errors):
            continue
        path = ".".join(str(part) for part in err["loc"])
        message = _message(err)
        m = _PATH_PREFIX.match(message) if err["type"] == "value_error" else None
        if m:  # a model validator's "path: problem", relative to the model at ``loc``
            path = f"{path}.{m.group(1)}" if path else m.group(1)
            message = m.group(2)
        if relocate is not None and path:
            path = relocate(path)
        problems.append(f"{path}: {message}" if path else message)
    shown = problems[:_MAX_PROBLEMS]
    if len(problems) > _MAX_PROBLEMS:
        shown.append(f"and {len(problems) - _MAX_PROBLEMS} more problems")
    return CatalogError("; ".join(shown), file=file)


def _echo_of_item_errors(err: ErrorDetails, errors: list[ErrorDetails]) -> bool:
    """A list whose items all failed is also "too short after validation": say it only once."""
    loc = tuple(err["loc"])
    return err["type"] == "too_short" and any(
        len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc for other in errors
    )


def _message(err: ErrorDetails) -> str:
    if err["type"] == "value_error" and "error" in err.get("ctx", {}):
        return str(err["ctx"]["error"])  # without pydantic's "Value error, " prefix
    if err["type"] == "extra_forbidden":
        return "unknown field (not part of the file format)"
    if err["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return "expected a JSON object"
    # The models use tuples; in a JSON file they are lists.
    message = str(err["msg"]).replace("Tuple", "List").replace("tuple", "list")
    value = err.get("input")
    if err["type"] != "missing" and isinstance(value, str | int | float | bool | None):
        shown = repr(value)
        if len(shown) <= 60:
            message = f"{message} (found {shown})"
    return message
