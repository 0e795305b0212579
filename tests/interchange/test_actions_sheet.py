"""The workbook's Actions sheet and the actions CSV: one row per remediation action from the
column table, drop-downs for status and priority, and an import that refuses an edited Actions
sheet (the sheet is export-only) with the sheet, row and column, writing nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.services.actions import ActionService
from app.services.errors import InvalidInput
from app.services.interchange.table import Subset, action_columns
from tests.interchange.conftest import column_of, edit

KEYS = [
    "id",
    "subcategory",
    "function",
    "title",
    "description",
    "owner",
    "due_date",
    "status",
    "priority",
    "rationale",
    "notes",
    "carried_over",
    "overdue",
]


@pytest.fixture
def actions(ctx: Any, sample: Any) -> list[Any]:
    service = ActionService(ctx)
    return [
        service.add(
            sample.id,
            "MAP 1.1",
            title="Write the context =1+1",
            description="Two\nlines",
            owner="Kim",
            due_date=dt.date(2020, 1, 31),  # long past: overdue
            priority="high",
        ),
        service.add(
            sample.id,
            "GOVERN 1.1",
            title="Name the legal owner",
            status="risk_accepted",
            rationale="Covered by the group policy",
        ),
    ]


def _sheet(service: Any, aid: int, subset: Subset | None = None) -> Any:
    return load_workbook(io.BytesIO(service.workbook(aid, subset)))


def test_actions_sheet_has_one_row_per_action_in_framework_order_with_raw_values(
    service: Any, sample: Any, actions: list[Any]
) -> None:
    ws = _sheet(service, sample.id)["Actions"]
    assert [c.value for c in ws[1]] == KEYS == [c.key for c in action_columns()]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 2
    govern, mapping = (dict(zip(KEYS, r, strict=True)) for r in rows)  # GOVERN before MAP
    assert govern["id"] == actions[1].uid[:8] and govern["subcategory"] == "GOVERN 1.1"
    assert (govern["status"], govern["priority"], govern["overdue"]) == (
        "risk_accepted",
        "medium",
        "no",
    )
    assert govern["rationale"] == "Covered by the group policy"
    assert mapping["function"] == "MAP" and mapping["owner"] == "Kim"
    assert mapping["due_date"] == dt.datetime(2020, 1, 31)  # a real date cell
    assert (mapping["priority"], mapping["overdue"], mapping["carried_over"]) == (
        "high",
        "yes",
        "no",
    )
    assert mapping["title"] == "Write the context =1+1"
    assert mapping["description"] == "Two\nlines"


def test_actions_sheet_is_locked_with_status_and_priority_drop_downs(
    service: Any, sample: Any, actions: list[Any]
) -> None:
    ws = _sheet(service, sample.id)["Actions"]
    assert ws.protection.sheet is True and ws.freeze_panes == "B2"
    assert all(c.protection.locked for c in ws[2])
    lists = {
        next(iter(dv.sqref.ranges)).coord.split(":")[0].rstrip("0123456789"): dv.formula1
        for dv in ws.data_validations.dataValidation
    }
    assert lists[ws.cell(1, column_of(ws, "status")).column_letter] == (
        '"planned,in_progress,done,risk_accepted"'
    )
    assert lists[ws.cell(1, column_of(ws, "priority")).column_letter] == '"high,medium,low"'


def test_a_respondent_workbook_holds_only_its_subcategories_actions(
    service: Any, sample: Any, actions: list[Any]
) -> None:
    ws = _sheet(service, sample.id, Subset(function="MAP"))["Actions"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == [actions[0].uid[:8]]


def test_no_actions_gives_a_header_only_sheet_and_the_summary_says_export_only(
    service: Any, sample: Any
) -> None:
    book = _sheet(service, sample.id)
    assert book["Actions"].max_row == 1
    facts = {r[0].value: r[1].value for r in book["Summary"].iter_rows(max_row=9)}
    assert facts["actions"] == 0 and "Export-only" in facts["actions_sheet"]


def test_an_unchanged_actions_sheet_imports_and_the_preview_says_it_is_export_only(
    service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    edit(path, {("GOVERN 1.2", "notes"): "from the workbook"})
    plan = service.preview(sample.id, path)
    assert plan.actions_checked == 2
    assert [c.field for c in plan.changes] == ["notes"]
    assert "export-only" in plan.lines()[-1]


@pytest.mark.parametrize(
    ("column", "value"),
    [("status", "done"), ("owner", "Sam"), ("due_date", dt.date(2031, 1, 1)), ("title", "x")],
)
def test_an_edited_actions_cell_refuses_the_workbook_naming_row_and_column(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path, column: str, value: Any
) -> None:
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    edit(path, {("GOVERN 1.2", "notes"): "from the workbook"})
    book = load_workbook(path)
    ws = book["Actions"]
    cell = ws.cell(3, column_of(ws, column))
    cell.value = value
    book.save(path)
    before = [a.model_dump() for a in ActionService(ctx).list(sample.id)]
    with pytest.raises(InvalidInput) as err:
        service.import_workbook(sample.id, path)
    where = f"sheet Actions, row 3, column {cell.column_letter} ({column}): changed"
    assert where in str(err.value)
    assert "export-only" in str(err.value)
    assert [a.model_dump() for a in ActionService(ctx).list(sample.id)] == before
    assert service.answers.get(sample.id, "GOVERN 1.2").notes != "from the workbook"


def test_a_removed_or_added_action_row_is_refused(
    service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    book = load_workbook(path)
    book["Actions"].delete_rows(2)
    book.save(path)
    with pytest.raises(InvalidInput, match=r"the row of action [0-9a-f]{8} was removed"):
        service.preview(sample.id, path)
    book = load_workbook(path)
    book["Actions"].append(["0123abcd", "GOVERN 1.1"])
    book.save(path)
    with pytest.raises(InvalidInput, match="is not an exported action"):
        service.preview(sample.id, path)


def test_a_workbook_without_the_actions_sheet_still_imports(
    service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    """Deleting the export-only sheet changes no action; the questionnaire still imports."""
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    book = load_workbook(path)
    del book["Actions"]
    book.save(path)
    edit(path, {("GOVERN 1.2", "notes"): "kept"})
    plan = service.import_workbook(sample.id, path)
    assert plan.actions_checked is None and len(plan.applicable) == 1


# -- CSV ------------------------------------------------------------------------------------
def test_actions_csv_has_the_sheets_columns_and_neutralised_formulas(
    service: Any, sample: Any, actions: list[Any]
) -> None:
    data = service.actions_csv(sample.id)
    assert data.startswith(b"\xef\xbb\xbfid,subcategory,function,title,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["id"] for r in rows] == [actions[1].uid[:8], actions[0].uid[:8]]
    assert rows[1]["due_date"] == "2020-01-31" and rows[1]["description"] == "Two\nlines"
    assert rows[1]["status"] == "planned" and rows[1]["overdue"] == "yes"


def test_csv_pair_is_written_beside_the_questionnaire_or_into_a_folder(
    service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    written = service.export_csv_pair(sample.id, tmp_path / "q1.csv")
    assert written == [tmp_path / "q1.csv", tmp_path / "q1-actions.csv"]
    folder = tmp_path / "out"
    folder.mkdir()
    written = service.export_csv_pair(sample.id, folder)
    assert written == [folder / "questionnaire.csv", folder / "actions.csv"]
    assert (folder / "actions.csv").read_bytes() == (tmp_path / "q1-actions.csv").read_bytes()
