"""The questionnaire workbook: its layout, and the round trip (rows by id, a previewed change
list, one transaction with one history entry per field naming the workbook, conflicts held)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.services.answers import AnswerService
from app.services.errors import Conflict, InvalidInput
from app.services.interchange.table import Subset
from tests.interchange.conftest import column_of, edit, row_of


def _stored(ctx: Any, aid: int) -> tuple[dict[str, Any], int]:
    from app.services.assessments import AssessmentService

    _a, answers = AssessmentService(ctx).open(aid)
    history = AnswerService(ctx).history(aid)
    return {k: v.model_dump() for k, v in answers.items()}, len(history)


# -- layout ---------------------------------------------------------------------------------
def test_questionnaire_sheet_holds_every_subcategory_with_raw_values(
    exported: Path, ctx: Any, sample: Any, framework: Any
) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames == ["Questionnaire", "Actions", "Summary", "airmf-meta", "airmf-actions"]
    ws = wb["Questionnaire"]
    header = [c.value for c in ws[1]]
    assert header[:7] == [
        "id",
        "function",
        "category",
        "statement",
        "coverage",
        "robustness",
        "input_diversity",
    ]
    ids = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert ids == framework.subcategory_ids()
    answer = AnswerService(ctx).get(sample.id, "GOVERN 1.1")
    row = row_of(ws, "GOVERN 1.1")
    assert (
        ws.cell(row, column_of(ws, "statement")).value == framework.subcategory("GOVERN 1.1").text
    )
    assert ws.cell(row, column_of(ws, "coverage")).value == answer.metrics["coverage"]
    assert ws.cell(row, column_of(ws, "owner")).value == answer.owner
    assert ws.cell(row, column_of(ws, "na")).value == "no"
    score = ws.cell(row, column_of(ws, "score"))
    assert isinstance(score.value, int | float) and score.number_format == "0.0"


def test_header_frozen_reference_columns_locked_editable_columns_open(exported: Path) -> None:
    ws = load_workbook(exported)["Questionnaire"]
    assert ws.freeze_panes == "B2"
    assert ws.protection.sheet is True
    for key, locked in (("id", True), ("statement", True), ("score", True), ("notes", False)):
        assert ws.cell(2, column_of(ws, key)).protection.locked is locked, key
    assert ws.cell(2, column_of(ws, "statement")).alignment.wrap_text is True
    assert ws.column_dimensions["D"].width >= 50  # the statement reads in a wide column


def test_drop_downs_follow_the_assessment_scheme(exported: Path, ctx: Any) -> None:
    ws = load_workbook(exported)["Questionnaire"]
    lists = {
        next(iter(dv.sqref.ranges)).coord.split(":")[0].rstrip("0123456789"): dv
        for dv in ws.data_validations.dataValidation
    }
    coverage = lists[ws.cell(1, column_of(ws, "coverage")).column_letter]
    assert coverage.type == "list" and coverage.formula1 == '"L,M,H"'
    target = lists[ws.cell(1, column_of(ws, "target")).column_letter]
    assert (target.type, target.formula1, target.formula2) == ("whole", "1", "5")
    from app.services.assessments import AssessmentService
    from app.services.interchange.service import InterchangeService

    direct = AssessmentService(ctx).create({"name": "Direct", "scheme_id": "direct"})
    data = InterchangeService(ctx).workbook(direct.id)
    import io

    ws = load_workbook(io.BytesIO(data))["Questionnaire"]
    header = [c.value for c in ws[1]]
    assert "level" in header and "coverage" not in header


def test_metadata_sheet_is_hidden_and_records_versions(
    exported: Path, ctx: Any, sample: Any
) -> None:
    ws = load_workbook(exported)["airmf-meta"]
    assert ws.sheet_state == "hidden"
    values = {r[0].value: r[1].value for r in ws.iter_rows() if r[0].value}
    assert values["format"] == "airmf-assessor-workbook"
    assert values["assessment_uid"] == sample.uid
    versions = AnswerService(ctx).versions(sample.id)
    assert values["GOVERN 1.1"] == versions["GOVERN 1.1"] > 0


def test_text_that_looks_like_a_formula_is_stored_as_text(
    ctx: Any, sample: Any, service: Any, tmp_path: Path
) -> None:
    hostile = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"]
    AnswerService(ctx).record(sample.id, "GOVERN 1.1", notes=hostile[0], owner=hostile[1])
    AnswerService(ctx).record(sample.id, "GOVERN 1.2", notes=hostile[2], owner=hostile[3])
    path = tmp_path / "f.xlsx"
    service.export_xlsx(sample.id, path)
    ws = load_workbook(path)["Questionnaire"]
    for sub, key, text in (
        ("GOVERN 1.1", "notes", hostile[0]),
        ("GOVERN 1.1", "owner", hostile[1]),
        ("GOVERN 1.2", "notes", hostile[2]),
        ("GOVERN 1.2", "owner", hostile[3]),
    ):
        cell = ws.cell(row_of(ws, sub), column_of(ws, key))
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    # ... and the neutralised cells come back verbatim: no change, nothing to import.
    assert service.preview(sample.id, path).changes == []


def test_summary_sheet_prints_scores_as_every_surface(
    exported: Path, ctx: Any, sample: Any
) -> None:
    from app.domain.numbers import format_completion, format_score
    from app.services.scoring import ScoringService

    tree = ScoringService(ctx).score(sample.id)
    ws = load_workbook(exported)["Summary"]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows() if r[0].value}
    assert rows[tree.id][2] == format_score(tree.score)
    assert rows[tree.id][6] == format_completion(tree.completion, tree.unreviewed)
    govern = tree.children[0]
    assert rows[govern.id][2] == format_score(govern.score)


# -- round trip -----------------------------------------------------------------------------
def test_unchanged_workbook_changes_nothing(
    exported: Path, ctx: Any, sample: Any, service: Any
) -> None:
    before = _stored(ctx, sample.id)
    plan = service.preview(sample.id, exported)
    assert plan.changes == [] and plan.rows_read == 72
    service.apply(plan)
    assert _stored(ctx, sample.id) == before


def test_round_trip_applies_each_changed_field_with_one_history_entry_naming_the_workbook(
    exported: Path, ctx: Any, sample: Any, service: Any
) -> None:
    edit(
        exported,
        {
            ("GOVERN 1.1", "coverage"): "L",
            ("GOVERN 1.1", "robustness"): "l",
            ("GOVERN 1.1", "input_diversity"): "L",
            ("GOVERN 1.1", "notes"): "Line one\nline two",
            ("MAP 1.1", "target"): 4,
            ("MAP 1.1", "due_date"): dt.datetime(2027, 3, 31),
        },
    )
    _answers, history_before = _stored(ctx, sample.id)
    plan = service.preview(sample.id, exported)
    changed = {(c.subcategory_id, c.field): (c.before, c.after) for c in plan.changes}
    assert set(changed) == {
        ("GOVERN 1.1", "metrics"),
        ("GOVERN 1.1", "notes"),
        ("MAP 1.1", "target"),
        ("MAP 1.1", "due_date"),
    }
    assert changed[("MAP 1.1", "due_date")][1] == "2027-03-31"
    assert changed[("GOVERN 1.1", "notes")][1] == "Line one\nline two"
    assert service.apply(plan) == 4
    got = AnswerService(ctx).get(sample.id, "GOVERN 1.1")
    assert got.metrics == {"coverage": "L", "robustness": "L", "input_diversity": "L"}
    assert got.notes == "Line one\nline two"
    mapped = AnswerService(ctx).get(sample.id, "MAP 1.1")
    assert (mapped.target, mapped.due_date) == (4, dt.date(2027, 3, 31))
    entries = AnswerService(ctx).history(sample.id)[history_before:]
    fields = {(e.subcategory_id, e.field) for e in entries}
    assert set(changed) <= fields
    assert all(e.actor == "tester (from questionnaire.xlsx)" for e in entries)
    assert AnswerService(ctx).check_history(sample.id).ok


def test_rows_are_matched_by_id_not_by_position(
    exported: Path, ctx: Any, sample: Any, service: Any, tmp_path: Path
) -> None:
    edit(exported, {("GOVERN 1.1", "owner"): "Dana", ("MANAGE 4.3", "owner"): "Eli"})
    wb = load_workbook(exported)
    ws = wb["Questionnaire"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    random.Random(7).shuffle(rows)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
    shuffled = tmp_path / "shuffled.xlsx"
    wb.save(shuffled)
    plan = service.preview(sample.id, shuffled)
    assert {(c.subcategory_id, c.after) for c in plan.changes} == {
        ("GOVERN 1.1", "Dana"),
        ("MANAGE 4.3", "Eli"),
    }


def test_a_field_changed_in_the_app_and_in_the_workbook_is_a_conflict_not_overwritten(
    exported: Path, ctx: Any, sample: Any, service: Any
) -> None:
    AnswerService(ctx).record(sample.id, "GOVERN 1.1", notes="Typed in the app after export")
    AnswerService(ctx).record(sample.id, "GOVERN 1.2", owner="App owner")
    edit(
        exported,
        {
            ("GOVERN 1.1", "notes"): "Typed in the workbook",
            ("GOVERN 1.2", "notes"): "Workbook note on another field",
        },
    )
    plan = service.preview(sample.id, exported)
    conflicts = [(c.subcategory_id, c.field) for c in plan.conflicts]
    assert conflicts == [("GOVERN 1.1", "notes")]
    assert [(c.subcategory_id, c.field) for c in plan.applicable] == [("GOVERN 1.2", "notes")]
    service.apply(plan)
    assert AnswerService(ctx).get(sample.id, "GOVERN 1.1").notes == "Typed in the app after export"
    other = AnswerService(ctx).get(sample.id, "GOVERN 1.2")
    assert (other.owner, other.notes) == ("App owner", "Workbook note on another field")


def test_a_change_in_the_app_between_preview_and_apply_refuses_the_whole_apply(
    exported: Path, ctx: Any, sample: Any, service: Any
) -> None:
    edit(exported, {("GOVERN 1.1", "notes"): "From the workbook", ("MAP 1.1", "owner"): "Kim"})
    plan = service.preview(sample.id, exported)
    AnswerService(ctx).record(sample.id, "GOVERN 1.1", notes="Meanwhile in the app")
    before = _stored(ctx, sample.id)
    with pytest.raises(Conflict):
        service.apply(plan)
    assert _stored(ctx, sample.id) == before


def test_a_field_untouched_in_the_workbook_keeps_the_apps_later_change(
    exported: Path, ctx: Any, sample: Any, service: Any
) -> None:
    AnswerService(ctx).record(sample.id, "GOVERN 1.1", notes="Changed in the app")
    plan = service.preview(sample.id, exported)
    assert plan.changes == []


@pytest.mark.parametrize(
    ("cell", "value", "problem"),
    [
        (("GOVERN 1.1", "coverage"), "X", "expects one of L, M, H"),
        (("GOVERN 1.1", "target"), 7, "expects a whole number 1-5"),
        (("GOVERN 1.1", "target"), "high", "expects a whole number 1-5"),
        (("GOVERN 1.1", "na"), "maybe", "expects yes or no"),
        (("GOVERN 1.1", "due_date"), "next week", "due_date"),
        (("GOVERN 1.1", "robustness"), None, "a rating needs all of"),
        (("GOVERN 1.2", "na"), "yes", "rationale"),
        (("GOVERN 1.1", "id"), "GOVERN 99.9", "unknown subcategory"),
        (("GOVERN 1.1", "id"), "GOVERN 1.2", "appears twice"),
    ],
)
def test_invalid_cells_are_refused_naming_sheet_row_and_column_and_nothing_is_written(
    exported: Path, ctx: Any, sample: Any, service: Any, cell: Any, value: Any, problem: str
) -> None:
    # A valid change elsewhere in the same workbook must not be written either.
    edit(exported, {("MAP 1.1", "owner"): "Someone", cell: value})
    ws = load_workbook(exported)["Questionnaire"]
    before = _stored(ctx, sample.id)
    with pytest.raises(InvalidInput) as info:
        service.import_workbook(sample.id, exported)
    message = str(info.value)
    assert "questionnaire.xlsx: sheet Questionnaire, row " in message
    assert problem in message
    if cell[1] != "na":
        letter = ws.cell(1, column_of(ws, cell[1])).column_letter
        assert f"column {letter} ({cell[1]})" in message
    assert _stored(ctx, sample.id) == before


def test_a_workbook_of_another_assessment_is_refused(
    exported: Path, ctx: Any, service: Any
) -> None:
    from app.services.assessments import AssessmentService

    other = AssessmentService(ctx).create({"name": "Other"})
    with pytest.raises(InvalidInput, match="exported from another assessment"):
        service.preview(other.id, exported)


def test_a_finalized_assessment_refuses_the_import(
    exported: Path, ctx: Any, sample: Any, service: Any
) -> None:
    from app.services.errors import AssessmentLocked
    from app.services.lifecycle import LifecycleService

    edit(exported, {("GOVERN 1.1", "owner"): "Someone"})
    service_l = LifecycleService(ctx)
    try:
        service_l.finalize(sample.id, "Signer", "Role")
    except (InvalidInput, TypeError):
        pytest.skip("the sample cannot be finalized here")
    with pytest.raises(AssessmentLocked):
        service.preview(sample.id, exported)


# -- delegation -----------------------------------------------------------------------------
def test_respondent_workbook_of_one_function_round_trips(
    ctx: Any, sample: Any, service: Any, tmp_path: Path, framework: Any
) -> None:
    path = tmp_path / "govern.xlsx"
    service.export_xlsx(sample.id, path, Subset(function="GV"))
    ws = load_workbook(path)["Questionnaire"]
    ids = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert ids == [s for s in framework.subcategory_ids() if s.startswith("GOVERN")]
    edit(path, {("GOVERN 2.1", "owner"): "Respondent"})
    plan = service.import_workbook(sample.id, path)
    assert [(c.subcategory_id, c.after) for c in plan.applicable] == [("GOVERN 2.1", "Respondent")]
    assert AnswerService(ctx).get(sample.id, "GOVERN 2.1").owner == "Respondent"


def test_respondent_workbook_of_one_owner(
    ctx: Any, sample: Any, service: Any, tmp_path: Path
) -> None:
    from app.services.assessments import AssessmentService

    answers = AssessmentService(ctx).answers(sample.id)
    owner = answers["GOVERN 1.1"].owner
    path = tmp_path / "owner.xlsx"
    service.export_xlsx(sample.id, path, Subset(owner=owner.upper()))
    ws = load_workbook(path)["Questionnaire"]
    ids = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert ids == [
        k
        for k in AssessmentService(ctx).framework_for(sample).subcategory_ids()
        if k in answers and answers[k].owner == owner
    ]


def test_a_row_not_in_the_respondent_workbook_cannot_be_added(
    ctx: Any, sample: Any, service: Any, tmp_path: Path
) -> None:
    path = tmp_path / "govern.xlsx"
    service.export_xlsx(sample.id, path, Subset(function="GOVERN"))
    edit(path, {("GOVERN 2.1", "id"): "MAP 1.1"})
    with pytest.raises(InvalidInput, match="MAP 1.1 was not in this workbook"):
        service.preview(sample.id, path)


def test_an_empty_subset_is_refused(ctx: Any, sample: Any, service: Any, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="matches owner nobody"):
        service.export_xlsx(sample.id, tmp_path / "x.xlsx", Subset(owner="nobody"))
    assert not (tmp_path / "x.xlsx").exists()


# -- CSV ------------------------------------------------------------------------------------
def test_csv_is_utf8_with_bom_rfc4180_and_keeps_line_breaks(
    ctx: Any, sample: Any, service: Any
) -> None:
    import csv
    import io

    AnswerService(ctx).record(sample.id, "GOVERN 1.1", notes='Two "quoted"\nlines, é')
    AnswerService(ctx).record(sample.id, "GOVERN 1.2", owner="=1+1")
    data = service.questionnaire_csv(sample.id)
    assert data.startswith(b"\xef\xbb\xbfid,function,")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 72
    by_id = {r["id"]: r for r in rows}
    assert by_id["GOVERN 1.1"]["notes"] == 'Two "quoted"\nlines, é'
    assert by_id["GOVERN 1.2"]["owner"] == "'=1+1"  # never a formula in a spreadsheet
    assert '"Two ""quoted""\nlines, é"' in text


@pytest.mark.slow
def test_a_workbook_saved_again_by_libreoffice_brings_no_change(
    ctx: Any, sample: Any, service: Any, tmp_path: Path
) -> None:
    """What a spreadsheet program does to the file on saving (shared strings, styles, the
    hidden sheet, line breaks, quote prefixes) is not taken for a respondent's change."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    AnswerService(ctx).record(
        sample.id, "GOVERN 1.1", notes="Line one\nline two =x", owner="=SUM(1)"
    )
    from app.services.actions import ActionService

    ActionService(ctx).add(
        sample.id,
        "MAP 1.1",
        title="=Fix\nit",
        due_date=dt.date(2030, 5, 1),
        status="risk_accepted",
        rationale="Accepted",
    )
    source = tmp_path / "in.xlsx"
    service.export_xlsx(sample.id, source)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        timeout=240,
        check=True,
        env={**__import__("os").environ, "HOME": str(tmp_path)},
    )
    plan = service.preview(sample.id, tmp_path / "out" / "in.xlsx")
    assert plan.rows_read == 72
    assert plan.changes == []
    assert plan.actions_checked == 1  # the Actions sheet as LibreOffice saved it is unchanged


def test_csv_neutralises_formulas_but_not_signed_numbers() -> None:
    from app.services.interchange.service import table_csv

    data = table_csv([(["a"], [["=1+1"], ["+0.5"], ["-2"], ["+1+cmd"], ["-x"], ["@SUM(1)"]])])
    assert data.decode("utf-8-sig").split("\r\n")[1:-1] == [
        "'=1+1",
        "+0.5",
        "-2",
        "'+1+cmd",
        "'-x",
        "'@SUM(1)",
    ]
