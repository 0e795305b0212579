"""Read one catalog JSON file and validate it into a domain model, or raise a CatalogError."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.catalog.errors import CatalogError, validation_error

M = TypeVar("M", bound=BaseModel)


class _DuplicateKey(ValueError):
    pass


def display_name(path: Path, root: Path) -> str:
    """How a file is named in messages: relative to the folder holding the catalog root."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return str(path)


def read_json(path: Path, name: str) -> Any:
    """Parse ``path`` as UTF-8 JSON; objects with a repeated key are refused, not merged."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read the file: {exc.strerror or exc}", file=name) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 text (byte {exc.start})", file=name) from exc
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=name
        ) from exc
    except _DuplicateKey as exc:
        raise CatalogError(str(exc), file=name) from exc
    except RecursionError as exc:
        raise CatalogError("invalid JSON: nested too deeply", file=name) from exc


def validate(
    model: type[M], data: Any, name: str, relocate: Callable[[str], str] | None = None
) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, name, relocate) from exc


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"invalid JSON: the key {key!r} appears twice in one object")
        result[key] = value
    return result
