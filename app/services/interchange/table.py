"""The questionnaire as a table of columns: the one definition behind the workbook, the CSV and
the workbook import (a new column is one more ``Column`` in ``questionnaire_columns``); the
remediation actions likewise (``action_columns``: the Actions sheet and the actions CSV).

Each column names its header (a raw key, never a translated label), how a row's value is read
from the assessment, and, for the columns a respondent may edit, the answer field it sets and
how a cell is parsed back (``parse_cell``). Cell values are raw: metric codes (L, M, H), levels
1-5, ``yes``/``no``, ISO dates, the score at one decimal as every surface rounds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.domain.actions import ActionPriority, ActionStatus
from app.domain.assessment import Answer
from app.domain.date_input import InvalidDate, parse_date
from app.domain.framework import Category, Framework, Function, Subcategory
from app.domain.history import field_value_text
from app.domain.numbers import round_shown
from app.domain.rating import RatingScheme
from app.domain.scoring import NodeScore
from app.services.actions import SHORT_ID

CellValue = str | int | float | dt.date | None

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"): a text
# cell starting with one is written as text that is never evaluated (see ``neutral_text``).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES, NO = "yes", "no"


@dataclass(frozen=True)
class RowData:
    """What one questionnaire row is made of: the framework's subcategory and its parents, the
    stored answer (an empty one when unanswered) and its score node (None: not scored)."""

    function: Function
    category: Category
    subcategory: Subcategory
    answer: Answer
    node: NodeScore | None


@dataclass(frozen=True)
class Column:
    """One column of the questionnaire.

    ``key``: the header cell (raw, stable: the import finds columns by it); ``width``: in
    characters; ``value``: the row's cell value; ``field``: the answer field an edit of this
    column changes (None: a reference column, locked in the workbook and ignored on import);
    ``kind``: how a cell is parsed back ("text", "choice", "level", "yesno", "date");
    ``choices``: the allowed values of a "choice" column (its drop-down; a reference column
    with choices gets one too, e.g. the Actions sheet's status); ``metric``: the
    metric id a choice column rates; ``note``: the help shown when the cell is selected.
    """

    key: str
    width: int
    value: Callable[[Any], CellValue]  # RowData (questionnaire) or ListedAction (actions)
    field: str | None = None
    kind: str = "text"
    wrap: bool = False
    choices: tuple[str, ...] = ()
    metric: str = ""
    note: str = ""

    @property
    def editable(self) -> bool:
        return self.field is not None


class CellError(ValueError):
    """A cell that cannot be read as its column's value (the message says what is expected)."""


def _score(row: RowData) -> CellValue:
    node = row.node
    if node is None or node.score is None:
        return None
    return round_shown(node.score, 1)  # the number shown, as on every surface (numbers.py)


def _evidence(row: RowData) -> str:
    lines = []
    for item in row.answer.evidence:
        where = item.url or (f"file: {item.file_name}" if item.file_name else "")
        if where and item.untitled:  # titled by its own link or file name: named once
            lines.append(where)
        else:
            lines.append(f"{item.title} <{where}>" if where else item.title)
    return "\n".join(lines)


def _metric_column(metric_id: str, name: str, codes: tuple[str, ...]) -> Column:
    return Column(
        key=metric_id,
        width=max(12, len(metric_id) + 3),  # the header shows whole
        value=lambda r: r.answer.metrics.get(metric_id) or None,
        field="metrics",
        kind="choice",
        choices=codes,
        metric=metric_id,
        note=f"{name}: {', '.join(codes)} (all three metrics, or none)",
    )


def questionnaire_columns(scheme: RatingScheme) -> tuple[Column, ...]:
    """The questionnaire's columns for an assessment rated with ``scheme``, in sheet order."""
    if scheme.kind == "metrics":
        rating: list[Column] = [
            _metric_column(m.id, m.name, tuple(o.code for o in m.options)) for m in scheme.metrics
        ]
    else:
        rating = [
            Column(
                key="level",
                width=8,
                value=lambda r: r.answer.level,
                field="level",
                kind="level",
                note="Maturity level 1-5",
            )
        ]
    return (
        Column("id", 13, lambda r: r.subcategory.id),
        Column("function", 10, lambda r: r.function.id),
        Column("category", 12, lambda r: r.category.id),
        Column("statement", 60, lambda r: r.subcategory.text, wrap=True),
        *rating,
        Column(
            "na",
            6,
            lambda r: YES if r.answer.not_applicable else NO,
            field="not_applicable",
            kind="yesno",
            choices=(YES, NO),
            note="yes: the subcategory does not apply (give the rationale)",
        ),
        Column(
            "na_rationale", 30, lambda r: r.answer.na_rationale, field="na_rationale", wrap=True
        ),
        Column(
            "target",
            8,
            lambda r: r.answer.target,
            field="target",
            kind="level",
            note="Target level 1-5 (empty: the assessment's default)",
        ),
        Column("notes", 40, lambda r: r.answer.notes, field="notes", wrap=True),
        Column("owner", 16, lambda r: r.answer.owner, field="owner"),
        Column(
            "due_date",
            12,
            lambda r: r.answer.due_date,
            field="due_date",
            kind="date",
            note="Due date YYYY-MM-DD",
        ),
        Column("evidence", 36, _evidence, wrap=True),
        Column("score", 7, _score),
    )


def parse_cell(column: Column, raw: object) -> Any:
    """The answer value of one cell of an editable ``column`` (``raw``: as the workbook holds
    it: str, int, float, bool, datetime or None). Empty means empty (no rating, no text).

    Raises CellError saying what the column expects.
    """
    if isinstance(raw, str):
        raw = raw.strip() if column.kind != "text" else raw
        if raw == "":
            raw = None
    if column.kind == "text":
        if raw is None:
            return ""
        if isinstance(raw, bool | dt.date):
            raise CellError("expects text")
        if isinstance(raw, int | float):
            return str(int(raw)) if float(raw).is_integer() else str(raw)
        return str(raw)
    if column.kind == "choice":
        if raw is None:
            return ""
        text = str(raw).strip().upper()
        for code in column.choices:
            if code.upper() == text:
                return code
        raise CellError(f"expects one of {', '.join(column.choices)} (or empty)")
    if column.kind == "level":
        if raw is None:
            return None
        if isinstance(raw, bool):
            raise CellError("expects a whole number 1-5 (or empty)")
        try:
            number = float(raw) if not isinstance(raw, dt.date) else None
        except (TypeError, ValueError):
            number = None
        if number is None or not number.is_integer() or not 1 <= number <= 5:
            raise CellError("expects a whole number 1-5 (or empty)")
        return int(number)
    if column.kind == "yesno":
        if raw is None:
            return False
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {YES, "y", "true"}:
            return True
        if text in {NO, "n", "false"}:
            return False
        raise CellError("expects yes or no")
    if column.kind == "date":
        if raw is None:
            return None
        if isinstance(raw, dt.datetime):
            if raw.time() != dt.time(0):
                raise CellError("expects a date without a time (YYYY-MM-DD)")
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if not isinstance(raw, str):
            raise CellError("expects a date YYYY-MM-DD")
        try:
            return parse_date(raw)
        except InvalidDate as exc:
            raise CellError(str(exc)) from None
    raise CellError(f"column kind {column.kind!r} is not readable")  # a bug in the table


def field_texts(answer: Answer, fields: Sequence[str]) -> dict[str, str]:
    """Each of ``fields`` of ``answer`` in the history's stable text form."""
    return {f: field_value_text(answer, f) for f in fields}


def text_digest(text: str) -> str:
    """A short digest of a field's text, kept in the workbook's hidden sheet: the import tells
    from it whether the respondent changed the field (the value itself is not repeated)."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def editable_fields(columns: Sequence[Column]) -> tuple[str, ...]:
    """The answer fields the columns edit, once each, in column order."""
    return tuple(dict.fromkeys(c.field for c in columns if c.field is not None))


def rows_of(
    framework: Framework,
    answers: dict[str, Answer],
    tree: NodeScore | None,
    keep: Callable[[RowData], bool] = lambda _r: True,
) -> list[RowData]:
    """One RowData per subcategory of ``framework`` in framework order, those ``keep`` keeps."""
    nodes = {n.id: n for n in tree.subcategories()} if tree is not None else {}
    rows = []
    for function in framework.functions:
        for category in function.categories:
            for sub in category.subcategories:
                row = RowData(
                    function,
                    category,
                    sub,
                    answers.get(sub.id) or Answer(subcategory_id=sub.id),
                    nodes.get(sub.id),
                )
                if keep(row):
                    rows.append(row)
    return rows


@dataclass(frozen=True)
class Subset:
    """Which rows a respondent workbook holds: one function (its id or code, e.g. GOVERN or
    GV), one owner (as typed in the answers, compared without case), or all (both empty)."""

    function: str = ""
    owner: str = ""

    def keeps(self, row: RowData) -> bool:
        """Whether ``row`` belongs to the subset."""
        wanted = self.function.strip().upper()
        if wanted and wanted not in {row.function.id.upper(), (row.function.code or "").upper()}:
            return False
        owner = self.owner.strip().casefold()
        return not owner or row.answer.owner.strip().casefold() == owner

    def describe(self) -> str:
        """The subset in words for messages and the workbook ("function GOVERN")."""
        parts = []
        if self.function.strip():
            parts.append(f"function {self.function.strip()}")
        if self.owner.strip():
            parts.append(f"owner {self.owner.strip()}")
        return ", ".join(parts) or "all subcategories"


# -- the Actions sheet -----------------------------------------------------------------------
ACTION_STATUSES: tuple[str, ...] = tuple(s.value for s in ActionStatus)
ACTION_PRIORITIES: tuple[str, ...] = tuple(p.value for p in ActionPriority)


def action_columns() -> tuple[Column, ...]:
    """The Actions sheet's (and actions CSV's) columns, one row per remediation action
    (``ListedAction``), in sheet order. Values are raw: the id as ``airmf action list`` prints
    it (the first ``SHORT_ID`` hex digits of the uid), status and priority as stored
    (``in_progress``, ``high``), ``yes``/``no``, ISO dates.

    The columns with a ``field`` (title, description, owner, due date, status, priority,
    rationale, milestone notes) are the action fields a workbook import changes (matched by
    the id); id, subcategory, function, carried_over and overdue are reference columns.
    Status and priority carry the allowed values as ``choices`` (their drop-downs).
    """
    return (
        Column("id", 10, lambda x: x.action.uid[:SHORT_ID]),
        Column("subcategory", 13, lambda x: x.action.subcategory_id),
        Column("function", 10, lambda x: x.function),
        Column("title", 36, lambda x: x.action.title, field="title", wrap=True),
        Column("description", 48, lambda x: x.action.description, field="description", wrap=True),
        Column("owner", 16, lambda x: x.action.owner, field="owner"),
        Column(
            "due_date",
            12,
            lambda x: x.action.due_date,
            field="due_date",
            kind="date",
            note="Due date YYYY-MM-DD",
        ),
        Column(
            "status",
            13,
            lambda x: x.action.status.value,
            field="status",
            kind="choice",
            choices=ACTION_STATUSES,
            note=f"Status: {', '.join(ACTION_STATUSES)}",
        ),
        Column(
            "priority",
            10,
            lambda x: x.action.priority.value,
            field="priority",
            kind="choice",
            choices=ACTION_PRIORITIES,
            note=f"Priority: {', '.join(ACTION_PRIORITIES)}",
        ),
        Column(
            "rationale",
            30,
            lambda x: x.action.rationale,
            field="rationale",
            wrap=True,
            note="Why the risk is accepted (required for risk_accepted)",
        ),
        Column("notes", 30, lambda x: x.action.notes, field="notes", wrap=True),
        Column("carried_over", 13, lambda x: YES if x.action.carried_over else NO),
        Column("overdue", 9, lambda x: YES if x.overdue else NO),
    )


def cell_text(value: object) -> str:
    """A cell's value as comparable text, whatever a spreadsheet program made of it on saving
    (a date read back as a midnight datetime, a whole float, CRLF line breaks): None and ""
    are alike. Used to tell an edited Actions cell from an exported one."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n")
