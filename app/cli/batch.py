"""``airmf answer ID --from FILE.csv|-``: the rows of a CSV file as answer changes.

Every row is read and checked here before anything is written (the service then records all of
them in one transaction, or none): a refused file names the line and the column.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.services.errors import InvalidInput

# The header's columns: subcategory, then the options of ``airmf answer`` by the same names.
BATCH_COLUMNS = (
    "subcategory",
    "coverage",
    "robustness",
    "diversity",
    "level",
    "na",
    "rationale",
    "target",
    "notes",
    "owner",
    "due",
    "flag",
)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}

Changes = Callable[[dict[str, Any], Callable[[str], str]], dict[str, Any]]


def read_rows(source: str, changes_of: Changes) -> list[tuple[str, str, dict[str, Any]]]:
    """The rows of the CSV file ``source`` ('-': standard input) as (label "line N",
    subcategory, answer changes), in file order.

    ``changes_of`` turns one row's values into answer changes (the rules of ``airmf answer``).
    An empty cell leaves that field as it is. Raises InvalidInput naming the line and the
    column (not UTF-8, no or unknown header, a cell that is not a level or yes/no, a rule
    broken), or OSError for an unreadable file.
    """
    raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    where = "standard input" if source == "-" else source
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{where}: not UTF-8 text (byte {exc.start + 1})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InvalidInput(f"{where}: empty; the first line names the columns") from None
    except csv.Error as exc:
        raise InvalidInput(f"{where}, line 1: {exc}") from None
    unknown = [h for h in header if h not in BATCH_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"{where}, line 1: unknown column {unknown[0]!r}; the columns are "
            + ", ".join(BATCH_COLUMNS)
        )
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise InvalidInput(f"{where}, line 1: column {twice[0]!r} appears twice")
    if "subcategory" not in header:
        raise InvalidInput(f"{where}, line 1: the column 'subcategory' is missing")
    rows = []
    try:
        for cells in reader:
            line = f"line {reader.line_num}"
            if not any(c.strip() for c in cells):
                continue  # a blank line
            if len(cells) > len(header):
                raise InvalidInput(f"{where}, {line}: more cells than columns in the header")
            values = {h: _cell(where, line, h, c) for h, c in zip(header, cells, strict=False)}
            sub = values.pop("subcategory", None)
            if not sub:
                raise InvalidInput(f"{where}, {line}, column subcategory: empty")
            try:
                changes = changes_of(values, lambda key: f"column {key}")
            except InvalidInput as exc:
                raise InvalidInput(f"{where}, {line}: {exc}") from None
            if not changes:
                raise InvalidInput(f"{where}, {line}: nothing to record for {sub}")
            rows.append((f"{where}, {line}", sub, changes))
    except csv.Error as exc:
        raise InvalidInput(f"{where}, line {reader.line_num}: {exc}") from None
    if not rows:
        raise InvalidInput(f"{where}: no rows to record after the header")
    return rows


def _cell(where: str, line: str, column: str, text: str) -> Any:
    """One cell as ``airmf answer`` takes the option of the same name (None: empty)."""
    value = text.strip()
    if not value:
        return None
    if column in ("level", "target"):
        if not (value.isdigit() and 1 <= int(value) <= 5):
            raise InvalidInput(f"{where}, {line}, column {column}: {value!r} is not a level 1-5")
        return int(value)
    if column in ("na", "flag"):
        word = value.lower()
        if word not in _YES | _NO:
            raise InvalidInput(f"{where}, {line}, column {column}: {value!r} is not yes or no")
        if column == "na":
            return True if word in _YES else None  # "no": not marked N/A by this row
        return word in _YES
    if column in ("notes", "rationale"):
        return text  # kept as written (leading spaces and all)
    return value
