"""Read a questionnaire workbook back, refusing anything hostile or malformed before openpyxl
parses it: not a zip, too large, a zip bomb, too many parts, macros, external links, XML with a
document type (entity tricks); then formulas, sheets too large and unexpected cell types.

Only values are read (never evaluated); openpyxl parses XML through defusedxml. Every refusal
names the sheet, row and column where there is one (InvalidInput).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.services.errors import InvalidInput
from app.services.exchange import read_bounded
from app.services.interchange.table import action_columns, cell_text, text_digest
from app.services.interchange.xlsx_write import (
    ACTIONS,
    ACTIONS_META,
    META,
    QUESTIONNAIRE,
    WORKBOOK_FORMAT,
    WORKBOOK_VERSION,
)

MAX_FILE_BYTES = 20 * 1024 * 1024  # a full questionnaire with long notes is well under 1 MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed of one part: far above real XML (about 10-20)
MAX_PARTS = 500
MAX_ROWS = 2_000  # the framework has 72 subcategories; room for profiles and blank rows
MAX_COLUMNS = 200
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_SCAN_CHUNK = 1024 * 1024


@dataclass
class SheetRow:
    """One data row of the Questionnaire sheet: its 1-based row number, the raw cell values by
    header key, and the column letter of each key (for messages)."""

    number: int
    values: dict[str, Any]


@dataclass
class ParsedWorkbook:
    """A workbook that passed every structural check (values not yet checked as answers)."""

    name: str
    info: dict[str, Any]
    columns: dict[str, str]  # header key -> column letter
    rows: list[SheetRow]
    # subcategory -> (version at export, field -> digest of the exported text)
    exported: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)
    # The Actions sheet's rows matched to the exported actions (None: the workbook has no
    # Actions sheet, e.g. one exported before it existed, or the sheet was deleted).
    actions: list[ActionRow] | None = None

    @property
    def actions_checked(self) -> int | None:
        """How many actions the Actions sheet holds (None: no Actions sheet)."""
        return None if self.actions is None else len(self.actions)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def check_package(name: str, raw: bytes) -> None:
    """Refuse a file that is not a plain .xlsx package, before any XML is parsed."""
    if not raw.startswith(b"PK"):
        raise InvalidInput(f"{name}: not an Excel workbook (.xlsx)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError) as exc:
        raise InvalidInput(f"{name}: not a readable .xlsx file ({exc})") from None
    if len(parts) > MAX_PARTS:
        raise InvalidInput(f"{name}: {len(parts)} parts; a workbook has at most {MAX_PARTS}")
    total = 0
    for part in parts:
        lower = part.filename.lower()
        if "externallink" in lower:
            raise InvalidInput(
                f"{name}: links to other workbooks ({part.filename}) are not accepted; "
                "remove the external links and save again"
            )
        if lower.endswith(".bin") and "vba" in lower:
            raise InvalidInput(f"{name}: contains macros; save it as a plain .xlsx workbook")
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (part.file_size > _SCAN_CHUNK and ratio > MAX_RATIO):
            raise InvalidInput(
                f"{name}: unpacks to far more than a questionnaire ({part.filename}); "
                "refused as a possible zip bomb"
            )
    for part in parts:
        if not part.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(part) as fh:
                data = fh.read(MAX_UNPACKED_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise InvalidInput(f"{name}: {part.filename}: cannot be unpacked ({exc})") from None
        if len(data) > MAX_UNPACKED_BYTES:  # the stated size lied
            raise InvalidInput(f"{name}: {part.filename}: refused as a possible zip bomb")
        if _DOCTYPE.search(data):
            raise InvalidInput(
                f"{name}: {part.filename}: XML with a document type or entities is not accepted"
            )


def _sheet_rows(name: str, ws: Any, sheet: str) -> list[tuple[int, list[Any]]]:
    """(row number, raw values) of every non-empty row; refuses formulas and oversized sheets."""
    out = []
    # The stated size first (cells past MAX_COLUMNS are never read, so a lying dimension can
    # only hide cells that are ignored), then the rows as they are parsed.
    if (ws.max_column or 0) > MAX_COLUMNS:
        raise InvalidInput(f"{name}: sheet {sheet}: more than {MAX_COLUMNS} columns")
    if (ws.max_row or 0) > MAX_ROWS:
        raise InvalidInput(f"{name}: sheet {sheet}: more than {MAX_ROWS} rows")
    for number, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        if number > MAX_ROWS:
            raise InvalidInput(f"{name}: sheet {sheet}: more than {MAX_ROWS} rows")
        values = []
        for index, cell in enumerate(cells, start=1):
            value = getattr(cell, "value", None)
            if value is None:
                values.append(None)
                continue
            if index > MAX_COLUMNS:
                raise InvalidInput(f"{name}: sheet {sheet}: more than {MAX_COLUMNS} columns")
            if getattr(cell, "data_type", None) == "f":
                raise InvalidInput(
                    f"{name}: sheet {sheet}, row {number}, column {_letter(index)}: a formula; "
                    "type the value itself"
                )
            if getattr(cell, "data_type", None) == "e":
                raise InvalidInput(
                    f"{name}: sheet {sheet}, row {number}, column {_letter(index)}: an error "
                    f"value ({value})"
                )
            values.append(value)
        if any(v is not None and v != "" for v in values):
            out.append((number, values))
    return out


def read_workbook(source: Path) -> ParsedWorkbook:
    """Read and structurally check the workbook at ``source``; raise InvalidInput."""
    name = Path(source).name
    raw = read_bounded(Path(source), MAX_FILE_BYTES)
    return parse_workbook(name, raw)


def parse_workbook(name: str, raw: bytes) -> ParsedWorkbook:
    """``read_workbook`` for bytes already read (``name`` labels the messages)."""
    check_package(name, raw)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except InvalidInput:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise InvalidInput(
            f"{name}: not a readable .xlsx workbook ({type(exc).__name__})"
        ) from None
    try:
        sheets = wb.sheetnames
        if META not in sheets:
            raise InvalidInput(
                f"{name}: not a workbook exported by AI RMF Assessor (its hidden sheet {META} "
                "is missing); export one with File > Export > Excel workbook"
            )
        if QUESTIONNAIRE not in sheets:
            raise InvalidInput(f"{name}: the sheet {QUESTIONNAIRE} is missing")
        meta_rows = _sheet_rows(name, wb[META], META)
        rows = _sheet_rows(name, wb[QUESTIONNAIRE], QUESTIONNAIRE)
        action_rows = _sheet_rows(name, wb[ACTIONS], ACTIONS) if ACTIONS in sheets else None
        action_meta = (
            _sheet_rows(name, wb[ACTIONS_META], ACTIONS_META) if ACTIONS_META in sheets else None
        )
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput(
            f"{name}: not a readable .xlsx workbook ({type(exc).__name__})"
        ) from None
    finally:
        wb.close()
    info, exported = _meta(name, meta_rows)
    if not rows or rows[0][0] != 1:
        raise InvalidInput(f"{name}: sheet {QUESTIONNAIRE}, row 1: the header row is missing")
    header = rows[0][1]
    columns: dict[str, str] = {}
    for index, key in enumerate(header, start=1):
        if key is None:
            continue
        if not isinstance(key, str):
            raise InvalidInput(
                f"{name}: sheet {QUESTIONNAIRE}, row 1, column {_letter(index)}: a header must "
                "be text"
            )
        if key.strip() in columns:
            raise InvalidInput(
                f"{name}: sheet {QUESTIONNAIRE}, row 1, column {_letter(index)}: the column "
                f"{key.strip()!r} appears twice"
            )
        columns[key.strip()] = _letter(index)
    if "id" not in columns:
        raise InvalidInput(f"{name}: sheet {QUESTIONNAIRE}, row 1: the column 'id' is missing")
    keys = [(k.strip() if isinstance(k, str) else None) for k in header]
    body = [
        SheetRow(number, {k: v for k, v in zip(keys, values, strict=False) if k is not None})
        for number, values in rows[1:]
    ]
    actions = None
    if action_rows is not None and action_meta is not None:
        actions = read_action_rows(name, action_rows, action_meta)
    return ParsedWorkbook(name, info, columns, body, exported, actions)


_NOT_IMPORTED = (
    "an import changes the actions listed, matched by id; add or remove actions in the app "
    "(Actions view) or with `airmf action add` / `airmf action remove`"
)


@dataclass
class ActionRow:
    """One row of the Actions sheet matched to an exported action by its id: the 1-based row
    number, the action's uid, the raw cell values by header key, the column letter of each key
    and the digest of each cell's text at export (from the hidden sheet)."""

    number: int
    short: str
    uid: str
    values: dict[str, Any]
    letters: dict[str, str]
    exported: dict[str, str]

    def changed(self, key: str) -> bool:
        """Whether the cell of ``key`` differs from what was exported (by its text)."""
        return text_digest(cell_text(self.values.get(key))) != self.exported.get(key)


def read_action_rows(
    name: str, rows: list[tuple[int, list[Any]]], meta_rows: list[tuple[int, list[Any]]]
) -> list[ActionRow]:
    """The Actions sheet's rows, each matched by its id (never by position) to an action of
    the hidden sheet. Refuses (InvalidInput naming sheet, row and column) a header or column
    removed, an id that was not exported or is repeated, a row without an id (a new action:
    not imported) and a removed row (removing is not imported either). Which cells changed is
    for the caller (``ActionRow.changed``)."""
    keys = [c.key for c in action_columns()]
    where = f"{name}: sheet {ACTIONS}"
    if not meta_rows or [str(v) for v in meta_rows[0][1][2 : 2 + len(keys)]] != keys:
        raise InvalidInput(f"{name}: sheet {ACTIONS_META}: not the actions table the app writes")
    exported: dict[str, tuple[str, dict[str, str]]] = {}
    for number, values in meta_rows[1:]:
        short, uid = (values[0], values[1]) if len(values) > 1 else (None, None)
        if not isinstance(short, str) or not isinstance(uid, str) or short in exported:
            raise InvalidInput(f"{name}: sheet {ACTIONS_META}, row {number}: not an action id")
        digests = dict(zip(keys, (str(d) for d in values[2 : 2 + len(keys)]), strict=False))
        exported[short] = (uid, digests)
    if not rows or rows[0][0] != 1:
        if not exported:
            return []
        raise InvalidInput(f"{where}, row 1: the header row is missing")
    header = {str(key).strip(): index for index, key in enumerate(rows[0][1]) if key is not None}
    for key in keys:
        if key not in header:
            raise InvalidInput(f"{where}, row 1: the column {key!r} is missing")
    letters = {key: _letter(header[key] + 1) for key in keys}
    out: list[ActionRow] = []
    seen: dict[str, int] = {}
    for number, values in rows[1:]:
        cells = {k: (values[i] if i < len(values) else None) for k, i in header.items()}
        short = cell_text(cells.get("id")).strip().lower()
        at = f"{where}, row {number}, column {letters['id']} (id)"
        if not short:
            raise InvalidInput(
                f"{at}: a row without an id is a new action, which is not imported; {_NOT_IMPORTED}"
            )
        if short not in exported:
            raise InvalidInput(f"{at}: {short[:40]!r} is not an action this workbook exported")
        if short in seen:
            raise InvalidInput(f"{at}: action {short} appears twice (also in row {seen[short]})")
        seen[short] = number
        uid, digests = exported[short]
        out.append(ActionRow(number, short, uid, cells, letters, digests))
    missing = [short for short in exported if short not in seen]
    if missing:
        raise InvalidInput(
            f"{where}: the row of action {missing[0]} was removed"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else "")
            + f"; keep the rows exported: {_NOT_IMPORTED}"
        )
    return out


def _meta(
    name: str, meta_rows: list[tuple[int, list[Any]]]
) -> tuple[dict[str, Any], dict[str, tuple[int, dict[str, str]]]]:
    info: dict[str, Any] = {}
    table_start = None
    for i, (_number, values) in enumerate(meta_rows):
        if values and values[0] == "subcategory":
            table_start = i
            break
        if values and isinstance(values[0], str):
            info[values[0]] = values[1] if len(values) > 1 else None
    where = f"{name}: sheet {META}"
    if info.get("format") != WORKBOOK_FORMAT:
        raise InvalidInput(f"{where}: not a workbook exported by AI RMF Assessor")
    version = info.get("format_version")
    if not isinstance(version, int) or version > WORKBOOK_VERSION:
        raise InvalidInput(
            f"{where}: format_version {version!r} is not one this version of the app reads "
            f"(up to {WORKBOOK_VERSION})"
        )
    if table_start is None:
        raise InvalidInput(f"{where}: the table of exported answers is missing")
    fields = meta_rows[table_start][1][2:]
    exported: dict[str, tuple[int, dict[str, str]]] = {}
    for number, values in meta_rows[table_start + 1 :]:
        sub, answer_version = values[0], values[1] if len(values) > 1 else None
        if not isinstance(sub, str) or not isinstance(answer_version, int) or answer_version < 0:
            raise InvalidInput(f"{where}, row {number}: not a subcategory and its version")
        digests = {
            str(f): str(d)
            for f, d in zip(fields, values[2:], strict=False)
            if isinstance(f, str) and d is not None
        }
        exported[sub] = (answer_version, digests)
    return info, exported
