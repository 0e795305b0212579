"""Write the questionnaire workbook (openpyxl): Questionnaire, Summary and a hidden metadata
sheet from which ``xlsx_read`` recognises the workbook and its respondent's changes.

Layout rules: the header row is frozen; reference columns are locked (the sheet is protected
without a password, so that a respondent may still unprotect it on purpose); editable columns
carry drop-downs or range checks for the assessment's rating scheme; long text wraps. Text that
a spreadsheet would evaluate (starting with = + - @) is stored as a text cell with Excel's
"quote prefix" so that it is shown and read back verbatim and never run as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.scoring import NodeScore
from app.services.actions import ListedAction
from app.services.interchange.table import (
    FORMULA_STARTS,
    CellValue,
    Column,
    RowData,
    action_columns,
    cell_text,
    editable_fields,
    field_texts,
    text_digest,
)

QUESTIONNAIRE = "Questionnaire"
ACTIONS = "Actions"
SUMMARY = "Summary"
META = "airmf-meta"
ACTIONS_META = "airmf-actions"  # hidden: each exported action's uid and cell digests
ACTIONS_SHEET_NOTE = (
    "Editable: title, description, owner, due_date, status, priority, rationale and notes of "
    "the actions listed; an import applies them by id. Add or remove actions in the app."
)
WORKBOOK_FORMAT = "airmf-assessor-workbook"
WORKBOOK_VERSION = 1
_HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
_EDIT_FILL = PatternFill("solid", fgColor="FFF8E1")  # the cells a respondent fills
_HEADER_FONT = Font(bold=True, color="FFFFFF")


@dataclass(frozen=True)
class WorkbookInfo:
    """What the hidden sheet records about the export (read back by ``xlsx_read``)."""

    assessment_uid: str
    assessment_name: str
    framework_id: str
    scheme_id: str
    exported_at: dt.datetime
    subset: str
    app_version: str


def _put(cell: Cell, value: CellValue) -> None:
    """Set a cell to a raw value; text is always a text cell (never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, float):
        cell.number_format = "0.0"  # scores: one decimal, already rounded by round_shown


def _header(ws: Worksheet, keys: Sequence[str]) -> None:
    for i, key in enumerate(keys, start=1):
        cell = ws.cell(row=1, column=i)
        _put(cell, key)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "B2"


def _validations(ws: Worksheet, columns: Sequence[Column], last_row: int) -> None:
    for i, col in enumerate(columns, start=1):
        if (not col.editable and not col.choices) or last_row < 2:
            continue
        letter = get_column_letter(i)
        if col.kind in {"choice", "yesno"}:
            dv = DataValidation(
                type="list", formula1=f'"{",".join(col.choices)}"', allow_blank=True
            )
        elif col.kind == "level":
            dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5")
            dv.allow_blank = True
        elif col.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1")
            dv.allow_blank = True
        else:
            dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="20000")
            dv.allow_blank = True
        dv.error = col.note or f"{col.key}: not a valid value"
        dv.errorTitle = col.key
        if col.note:
            dv.prompt, dv.promptTitle = col.note, col.key
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{last_row}")


_LINE_POINTS = 15.0  # one line of the default 11 pt font
_MAX_ROW_POINTS = 409.0  # the largest row height a spreadsheet stores


def _row_height(columns: Sequence[Column], row: object) -> float:
    """The height (points) that shows every wrapped cell of ``row`` whole: spreadsheet
    programs do not all fit row heights to wrapped text when they open a file."""
    lines = 1
    for col in columns:
        value = col.value(row)
        if not col.wrap or not isinstance(value, str) or not value:
            continue
        room = max(1, int(col.width * 1.1) - 2)  # characters per line at the column width
        lines = max(lines, sum(math.ceil(max(1, len(part)) / room) for part in value.split("\n")))
    return min(_MAX_ROW_POINTS, lines * _LINE_POINTS)


def _questionnaire(ws: Worksheet, columns: Sequence[Column], rows: Sequence[RowData]) -> None:
    """The Questionnaire sheet: one row per subcategory (see ``_editable_sheet``)."""
    _editable_sheet(ws, columns, rows)


def _actions(ws: Worksheet, columns: Sequence[Column], actions: Sequence[ListedAction]) -> None:
    """The Actions sheet: one row per remediation action (see ``_editable_sheet``)."""
    _editable_sheet(ws, columns, actions)


def _editable_sheet(ws: Worksheet, columns: Sequence[Column], items: Sequence[Any]) -> None:
    """A sheet of one row per item under a header of the column keys: the fields an import
    changes unlocked and shaded, the reference columns (id, statement, score) locked, widths,
    wrapped heights, drop-downs and a filter. Protected so that the reference columns cannot
    be typed over; no password: a respondent who must change the layout can unprotect it
    knowingly. Printed (or converted to PDF) landscape, all columns on the page width, the
    header repeated."""
    _header(ws, [c.key for c in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    unlocked = Protection(locked=False)
    for r, item in enumerate(items, start=2):
        for i, col in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=i)
            _put(cell, col.value(item))
            cell.alignment = wrap if col.wrap else top
            if col.editable:
                cell.protection = unlocked
                cell.fill = _EDIT_FILL
        ws.row_dimensions[r].height = _row_height(columns, item)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    last = len(items) + 1
    _validations(ws, columns, last)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    p = ws.protection
    p.sheet = True
    p.formatColumns = p.formatRows = p.autoFilter = p.sort = False


def _actions_meta(
    ws: Worksheet, columns: Sequence[Column], actions: Sequence[ListedAction]
) -> None:
    """Hidden: per exported action its id, uid and a digest of each cell's text, from which
    an import tells which cells a respondent changed and which fields changed in the app
    since the export (a conflict)."""
    for i, key in enumerate(["id", "uid", *(c.key for c in columns)], start=1):
        _put(ws.cell(row=1, column=i), key)
    for r, listed in enumerate(actions, start=2):
        values: list[CellValue] = [
            columns[0].value(listed),
            listed.action.uid,
            *(text_digest(cell_text(c.value(listed))) for c in columns),
        ]
        for i, value in enumerate(values, start=1):
            _put(ws.cell(row=r, column=i), value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _summary(
    ws: Worksheet, info: WorkbookInfo, tree: NodeScore | None, count: int, actions: int = 0
) -> None:
    from app.domain.numbers import format_completion, format_score

    facts: list[tuple[str, CellValue]] = [
        ("assessment", info.assessment_name),
        ("framework", info.framework_id),
        ("scheme", info.scheme_id),
        ("rows", count),
        ("actions", actions),
        ("actions_sheet", ACTIONS_SHEET_NOTE),
        ("subset", info.subset),
        ("exported_at", info.exported_at.isoformat(timespec="seconds")),
        ("note", "A self-assessment is not a certification."),
    ]
    for r, (key, value) in enumerate(facts, start=1):
        _put(ws.cell(row=r, column=1), key)
        ws.cell(row=r, column=1).font = Font(bold=True)
        _put(ws.cell(row=r, column=2), value)
    start = len(facts) + 2
    keys = ["node", "title", "score", "level", "target", "gap", "completion", "below_target"]
    for i, key in enumerate(keys, start=1):
        cell = ws.cell(row=start, column=i)
        _put(cell, key)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    if tree is not None:
        nodes = [tree, *[n for f in tree.children for n in (f, *f.children)]]
        for r, node in enumerate(nodes, start=start + 1):
            values: list[CellValue] = [
                node.id,
                node.title,
                # As text through the one formatting function: the same figure as every surface.
                format_score(node.score),
                node.level_name,
                format_score(node.target),
                format_score(node.gap),
                format_completion(node.completion, node.unreviewed),
                node.below_target,
            ]
            for i, value in enumerate(values, start=1):
                _put(ws.cell(row=r, column=i), value)
            if node.kind != "category":
                ws.cell(row=r, column=1).font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (16, 48, 8, 14, 8, 8, 20, 13), strict=True):
        ws.column_dimensions[letter].width = width


def _meta(
    ws: Worksheet,
    info: WorkbookInfo,
    columns: Sequence[Column],
    rows: Sequence[RowData],
    versions: dict[str, int],
) -> None:
    fields = editable_fields(columns)
    head: list[tuple[str, CellValue]] = [
        ("format", WORKBOOK_FORMAT),
        ("format_version", WORKBOOK_VERSION),
        ("assessment_uid", info.assessment_uid),
        ("framework_id", info.framework_id),
        ("scheme_id", info.scheme_id),
        ("exported_at", info.exported_at.isoformat()),
        ("app_version", info.app_version),
        ("subset", info.subset),
    ]
    for r, (key, value) in enumerate(head, start=1):
        _put(ws.cell(row=r, column=1), key)
        _put(ws.cell(row=r, column=2), value)
    start = len(head) + 2
    for i, key in enumerate(["subcategory", "version", *fields], start=1):
        _put(ws.cell(row=start, column=i), key)
    for r, row in enumerate(rows, start=start + 1):
        sub = row.subcategory.id
        texts = field_texts(row.answer, fields)
        values: list[CellValue] = [
            sub,
            versions.get(sub, 0),
            *(text_digest(texts[f]) for f in fields),
        ]
        for i, value in enumerate(values, start=1):
            _put(ws.cell(row=r, column=i), value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def workbook_bytes(
    info: WorkbookInfo,
    columns: Sequence[Column],
    rows: Sequence[RowData],
    versions: dict[str, int],
    tree: NodeScore | None,
    actions: Sequence[ListedAction] = (),
) -> bytes:
    """The .xlsx file of the questionnaire ``rows`` as bytes (a zip).

    ``versions``: subcategory id -> the answer's stored version at export (0: never saved),
    recorded with a digest of each editable field so that an import can tell a respondent's
    change from a change made in the app since. ``actions``: the remediation actions of the
    rows' subcategories, written to the Actions sheet (``action_columns``).
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = QUESTIONNAIRE
    _questionnaire(ws, columns, rows)
    action_cols = action_columns()
    _actions(wb.create_sheet(ACTIONS), action_cols, actions)
    _summary(wb.create_sheet(SUMMARY), info, tree, len(rows), len(actions))
    _meta(wb.create_sheet(META), info, columns, rows, versions)
    _actions_meta(wb.create_sheet(ACTIONS_META), action_cols, actions)
    wb.properties.creator = "AI RMF Assessor"
    wb.properties.title = f"{info.assessment_name}: AI RMF questionnaire"
    # Fixed times: the same data gives the same workbook (the export time is in the sheets).
    wb.properties.created = wb.properties.modified = info.exported_at.replace(tzinfo=None)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
