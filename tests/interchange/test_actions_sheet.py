"""The workbook's Actions sheet and the actions CSV: one row per remediation action from the
column table, drop-downs for status and priority; and the import of the sheet's edits (issue
16): status, owner, due date, priority, title, description, rationale and milestone notes of the
actions listed, matched by action id, previewed before and after, a field changed in the app
since the export held back as a conflict, applied with the answers in one transaction with
history entries naming the workbook; anything else refused naming sheet, row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


def test_actions_sheet_locks_reference_columns_and_opens_the_editable_ones(
    service: Any, sample: Any, actions: list[Any]
) -> None:
    ws = _sheet(service, sample.id)["Actions"]
    assert ws.protection.sheet is True and ws.freeze_panes == "B2"
    editable = {c.key for c in action_columns() if c.editable}
    assert editable == {
        "title",
        "description",
        "owner",
        "due_date",
        "status",
        "priority",
        "rationale",
        "notes",
    }
    for cell in ws[2]:
        assert cell.protection.locked is (ws.cell(1, cell.column).value not in editable)
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


def test_no_actions_gives_a_header_only_sheet_and_the_summary_says_what_is_editable(
    service: Any, sample: Any
) -> None:
    book = _sheet(service, sample.id)
    assert book["Actions"].max_row == 1
    facts = {r[0].value: r[1].value for r in book["Summary"].iter_rows(max_row=9)}
    assert facts["actions"] == 0 and facts["actions_sheet"].startswith("Editable: title")


def test_an_unchanged_actions_sheet_changes_no_action(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    edit(path, {("GOVERN 1.2", "notes"): "from the workbook"})
    plan = service.preview(sample.id, path)
    assert plan.actions_checked == 2 and not plan.action_edits
    assert [c.field for c in plan.changes] == ["notes"]
    assert "matched by id" in plan.lines()[-1]


def _edit_actions(path: Path, changes: dict[tuple[str, str], Any], reverse: bool = False) -> None:
    """Set cells of the Actions sheet by (action id, column key), as a spreadsheet program
    would; ``reverse``: first turn the rows upside down (rows are matched by id)."""
    book = load_workbook(path)
    ws = book["Actions"]
    if reverse:
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        for r, values in enumerate(reversed(rows), start=2):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c).value = value
    for (short, key), value in changes.items():
        row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == short)
        ws.cell(row, column_of(ws, key)).value = value
    book.save(path)


EDITS = [
    ("status", "done", "done"),
    ("owner", "Sam", "Sam"),
    ("due_date", dt.date(2031, 1, 1), "2031-01-01"),
    ("due_date", None, ""),
    ("priority", "LOW", "low"),
    ("title", "Write the context down", "Write the context down"),
    ("description", "One\nand two", "One\nand two"),
    ("notes", "Milestone: draft by March", "Milestone: draft by March"),
]


@pytest.mark.parametrize(("column", "value", "text"), EDITS)
def test_an_edited_action_field_is_previewed_and_applied_by_id_with_history(
    ctx: Any,
    service: Any,
    sample: Any,
    actions: list[Any],
    tmp_path: Path,
    column: str,
    value: Any,
    text: str,
) -> None:
    from app.domain.actions import field_text, history_field
    from app.services.answers import AnswerService

    target = actions[0]  # MAP 1.1: the second row as exported, the first once reversed
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    _edit_actions(path, {(target.uid[:8], column): value}, reverse=True)
    plan = service.preview(sample.id, path)
    [change] = plan.changes
    assert (change.sheet, change.sheet_row, change.action_id) == ("Actions", 2, target.uid[:8])
    assert (change.subcategory_id, change.field, change.conflict) == ("MAP 1.1", column, False)
    assert change.before == field_text(target, column) and change.after == text
    assert f"Actions row 2 action {target.uid[:8]} (MAP 1.1) {column}: change" in plan.lines()[0]
    assert service.apply(plan) == 1
    stored = ActionService(ctx).get(sample.id, target.uid)
    assert field_text(stored, column) == text
    other = ActionService(ctx).get(sample.id, actions[1].uid)
    assert other.model_dump() == actions[1].model_dump()  # the row it took the place of
    history = AnswerService(ctx).history(sample.id)
    entries = [e for e in history if e.field == history_field(target.uid, column)]
    assert entries[-1].new == text and entries[-1].actor == "tester (from q.xlsx)"
    assert history[-1] == entries[-1]  # one entry: only the field that changed
    assert AnswerService(ctx).check_history(sample.id).ok  # chained on the one history


def test_answers_and_actions_are_applied_in_one_transaction(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path, monkeypatch: Any
) -> None:
    from app.persistence.actions import ActionRepository

    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    edit(path, {("GOVERN 1.2", "notes"): "from the workbook"})
    _edit_actions(path, {(actions[0].uid[:8], "status"): "in_progress"})
    plan = service.preview(sample.id, path)
    assert {c.sheet for c in plan.applicable} == {"Questionnaire", "Actions"}

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ActionRepository, "put", broken)
    with pytest.raises(Exception, match="disk full"):
        service.apply(plan)
    assert service.answers.get(sample.id, "GOVERN 1.2").notes != "from the workbook"
    monkeypatch.undo()
    assert service.apply(plan) == 2
    assert service.answers.get(sample.id, "GOVERN 1.2").notes == "from the workbook"
    assert ActionService(ctx).get(sample.id, actions[0].uid).status.value == "in_progress"


def test_a_field_changed_in_the_app_since_the_export_is_a_conflict_not_overwritten(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    target = actions[0]
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    ActionService(ctx).update(sample.id, target.uid, owner="Changed in the app")
    _edit_actions(path, {(target.uid[:8], "owner"): "Sheet", (target.uid[:8], "status"): "done"})
    plan = service.preview(sample.id, path)
    by_field = {c.field: c for c in plan.changes}
    assert by_field["owner"].conflict and not by_field["status"].conflict
    assert by_field["owner"].before == "Changed in the app" and by_field["owner"].after == "Sheet"
    assert "CONFLICT" in next(line for line in plan.lines() if " owner: " in line)
    assert service.apply(plan) == 1
    stored = ActionService(ctx).get(sample.id, target.uid)
    assert (stored.owner, stored.status.value) == ("Changed in the app", "done")
    again = service.preview(sample.id, path)  # the status is now as the workbook has it
    assert [(c.field, c.conflict) for c in again.changes] == [("owner", True)]


def test_a_field_untouched_in_the_workbook_keeps_the_apps_later_change(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    target = actions[0]
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    ActionService(ctx).update(sample.id, target.uid, owner="Changed in the app")
    _edit_actions(path, {(target.uid[:8], "priority"): "low"})
    service.import_workbook(sample.id, path)
    stored = ActionService(ctx).get(sample.id, target.uid)
    assert (stored.owner, stored.priority.value) == ("Changed in the app", "low")


def test_a_change_in_the_app_after_the_preview_writes_nothing(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    target = actions[0]
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    edit(path, {("GOVERN 1.2", "notes"): "from the workbook"})
    _edit_actions(path, {(target.uid[:8], "status"): "done"})
    plan = service.preview(sample.id, path)
    ActionService(ctx).update(sample.id, target.uid, status="in_progress")
    with pytest.raises(InvalidInput, match="changed in the app since the preview"):
        service.apply(plan)
    assert ActionService(ctx).get(sample.id, target.uid).status.value == "in_progress"
    assert service.answers.get(sample.id, "GOVERN 1.2").notes != "from the workbook"


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("subcategory", "GOVERN 1.2", "subcategory is not imported"),
        ("function", "GOVERN", "function is not imported"),
        ("carried_over", "yes", "carried_over is not imported"),
        ("overdue", "no", "overdue is not imported"),
        ("status", "finished", "expects one of planned, in_progress, done, risk_accepted"),
        ("priority", "urgent", "expects one of high, medium, low"),
        ("due_date", "next week", "due_date"),
        ("title", "", "title"),
    ],
)
def test_an_invalid_actions_cell_refuses_the_workbook_naming_row_and_column(
    ctx: Any,
    service: Any,
    sample: Any,
    actions: list[Any],
    tmp_path: Path,
    column: str,
    value: Any,
    problem: str,
) -> None:
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    edit(path, {("GOVERN 1.2", "notes"): "from the workbook"})
    book = load_workbook(path)
    ws = book["Actions"]
    cell = ws.cell(3, column_of(ws, column))  # MAP 1.1's action
    cell.value = value
    book.save(path)
    before = [a.model_dump() for a in ActionService(ctx).list(sample.id)]
    with pytest.raises(InvalidInput) as err:
        service.import_workbook(sample.id, path)
    message = str(err.value)
    assert "sheet Actions, row 3" in message and problem in message
    if column != "title":  # an empty title is refused by the action's rule, for the row
        assert f"column {cell.column_letter} ({column})" in message
    assert [a.model_dump() for a in ActionService(ctx).list(sample.id)] == before
    assert service.answers.get(sample.id, "GOVERN 1.2").notes != "from the workbook"


def test_risk_accepted_without_a_rationale_is_refused_and_with_one_applies(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    short = actions[0].uid[:8]
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    _edit_actions(path, {(short, "status"): "risk_accepted"})
    with pytest.raises(InvalidInput, match=f"sheet Actions, row 3: action {short}: .*rationale"):
        service.preview(sample.id, path)
    _edit_actions(path, {(short, "rationale"): "Covered by the vendor's contract"})
    plan = service.import_workbook(sample.id, path)
    assert {c.field for c in plan.applicable} == {"status", "rationale"}
    stored = ActionService(ctx).get(sample.id, short)
    assert stored.status.value == "risk_accepted" and stored.rationale.startswith("Covered")


def test_a_removed_added_or_unknown_action_row_is_refused(
    service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    book = load_workbook(path)
    book["Actions"].delete_rows(2)
    book.save(path)
    with pytest.raises(InvalidInput, match=r"the row of action [0-9a-f]{8} was removed"):
        service.preview(sample.id, path)
    service.export_xlsx(sample.id, path, force=True)
    book = load_workbook(path)
    book["Actions"].append([None, "GOVERN 1.1", "GOVERN", "A new action"])
    book.save(path)
    with pytest.raises(InvalidInput, match=r"row 4, column A \(id\): a row without an id is a new"):
        service.preview(sample.id, path)
    service.export_xlsx(sample.id, path, force=True)
    book = load_workbook(path)
    book["Actions"].cell(2, 1).value = "0123abcd"
    book.save(path)
    with pytest.raises(InvalidInput, match="'0123abcd' is not an action this workbook exported"):
        service.preview(sample.id, path)


def test_an_action_removed_in_the_app_since_the_export_is_refused(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    ActionService(ctx).remove(sample.id, actions[0].uid)
    with pytest.raises(InvalidInput, match="was removed in the app since the export"):
        service.preview(sample.id, path)


def test_a_workbook_without_the_actions_sheet_still_imports(
    service: Any, sample: Any, actions: list[Any], tmp_path: Path
) -> None:
    """Deleting the Actions sheet changes no action; the questionnaire still imports."""
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    book = load_workbook(path)
    del book["Actions"]
    book.save(path)
    edit(path, {("GOVERN 1.2", "notes"): "kept"})
    plan = service.import_workbook(sample.id, path)
    assert plan.actions_checked is None and len(plan.applicable) == 1


def test_the_cli_dry_run_lists_action_changes(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path, capsys: Any
) -> None:
    from app.cli.main import main

    short = actions[0].uid[:8]
    path = tmp_path / "q.xlsx"
    service.export_xlsx(sample.id, path)
    _edit_actions(path, {(short, "status"): "done"})
    db = str(ctx.location.sqlite_path)
    assert main(["--db", db, "import", str(path), "--into", str(sample.id), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"Actions row 3 action {short} (MAP 1.1) status: change: 'planned' -> 'done'" in out
    assert "1 field(s) would change" in out
    assert ActionService(ctx).get(sample.id, short).status.value == "planned"


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


def test_the_import_of_answers_and_actions_on_both_engines(
    store_url: str, catalog: Any, tmp_path: Path
) -> None:
    """The one transaction (a full write unit: answers, actions, history chain) on SQLite and
    on PostgreSQL."""
    from app.services.answers import AnswerService
    from app.services.bootstrap import open_services
    from app.services.interchange.service import InterchangeService
    from app.services.sample import create_sample

    ctx = open_services(store_url, catalog=catalog)
    try:
        ctx.actor = "dana"
        sample = create_sample(ctx)
        action = ActionService(ctx).add(sample.id, "MAP 1.1", title="Write it down")
        service = InterchangeService(ctx)
        path = tmp_path / "q.xlsx"
        service.export_xlsx(sample.id, path)
        edit(path, {("GOVERN 1.2", "notes"): "from the workbook"})
        _edit_actions(path, {(action.uid[:8], "owner"): "Sam"})
        plan = service.import_workbook(sample.id, path)
        assert len(plan.applicable) == 2
        assert ActionService(ctx).get(sample.id, action.uid).owner == "Sam"
        assert AnswerService(ctx).get(sample.id, "GOVERN 1.2").notes == "from the workbook"
        tail = AnswerService(ctx).history(sample.id)[-2:]
        assert [e.actor for e in tail] == ["dana (from q.xlsx)"] * 2
        assert AnswerService(ctx).check_history(sample.id).ok
    finally:
        ctx.db.dispose()


# A value a respondent's spreadsheet could hold in an Actions cell.
_ACTION_VALUES = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(
        ["done", "in_progress", "risk_accepted", "LOW", "high", "urgent", "2031-02-03", "=1+1"]
    ),
    st.integers(min_value=-10, max_value=10),
    st.booleans(),
    st.dates(),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=1, max_value=4), st.integers(1, 14), _ACTION_VALUES),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_actions_sheets_are_applied_whole_or_refused_whole(
    ctx: Any, service: Any, sample: Any, actions: list[Any], tmp_path: Path, edits: Any
) -> None:
    """Whatever a mutation of the Actions sheet does, the import refuses it (one message naming
    the workbook, nothing written) or stores exactly the action fields its preview listed, with
    a history that still verifies; the same workbook again then changes nothing."""
    from app.domain.actions import field_text
    from app.services.answers import AnswerService

    path = tmp_path / "mutated.xlsx"
    service.export_xlsx(sample.id, path, force=True)
    book = load_workbook(path)
    ws = book["Actions"]
    for row, col, value in edits:
        cell = ws.cell(row, col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    book.save(path)
    before = [a.model_dump() for a in ActionService(ctx).list(sample.id)]
    try:
        plan = service.preview(sample.id, path)
    except InvalidInput as exc:
        assert str(exc).startswith("mutated.xlsx")
        assert [a.model_dump() for a in ActionService(ctx).list(sample.id)] == before
        return
    service.apply(plan)
    for change in plan.applicable:
        stored = ActionService(ctx).get(sample.id, change.action_id)
        assert field_text(stored, change.field) == change.after
    assert AnswerService(ctx).check_history(sample.id).ok
    assert service.preview(sample.id, path).changes == []  # applied: no change, no conflict
