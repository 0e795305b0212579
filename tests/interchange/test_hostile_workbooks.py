"""Hostile and broken workbooks are refused with one message and the database unchanged: zip
bombs, huge sheets, formulas, external links, macros, XML entity tricks, wrong types, unknown
ids; and a property test that mutates valid workbooks at random."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.services.errors import InvalidInput
from tests.interchange.conftest import column_of


def _state(ctx: Any, aid: int) -> tuple[Any, ...]:
    from app.services.answers import AnswerService
    from app.services.assessments import AssessmentService

    _a, answers = AssessmentService(ctx).open(aid)
    head = AnswerService(ctx).check_history(aid).stored_head
    return ({k: v.model_dump() for k, v in answers.items()}, head)


def _rezip(source: Path, target: Path, replace: dict[str, bytes], add: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
        for name, data in add.items():
            zout.writestr(name, data)
    return target


def _refused(service: Any, ctx: Any, aid: int, path: Path, match: str) -> None:
    before = _state(ctx, aid)
    with pytest.raises(InvalidInput, match=match):
        service.import_workbook(aid, path)
    assert _state(ctx, aid) == before


def test_not_a_workbook(service: Any, ctx: Any, sample: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("id,notes\nGOVERN 1.1,x\n")
    _refused(service, ctx, sample.id, path, "not an Excel workbook")
    path.write_bytes(b"PK\x03\x04 broken")
    _refused(service, ctx, sample.id, path, "not a readable .xlsx")


def test_a_workbook_made_elsewhere_is_refused(
    service: Any, ctx: Any, sample: Any, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["id", "notes"])  # type: ignore[union-attr]
    wb.active.append(["GOVERN 1.1", "x"])  # type: ignore[union-attr]
    path = tmp_path / "mine.xlsx"
    wb.save(path)
    _refused(service, ctx, sample.id, path, "not a workbook exported by AI RMF Assessor")


def test_zip_bomb(service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path) -> None:
    bomb = b"<x>" + b" " * (60 * 1024 * 1024) + b"</x>"
    path = _rezip(exported, tmp_path / "bomb.xlsx", {}, {"xl/bomb.xml": bomb})
    assert path.stat().st_size < 1024 * 1024  # small on disk, huge unpacked
    _refused(service, ctx, sample.id, path, "zip bomb")


def test_xml_entity_expansion(
    service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(exported) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + (sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet)
    )
    path = _rezip(exported, tmp_path / "lol.xlsx", {"xl/worksheets/sheet1.xml": evil}, {})
    _refused(service, ctx, sample.id, path, "document type or entities")


def test_external_links_and_macros(
    service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path
) -> None:
    link = _rezip(
        exported, tmp_path / "link.xlsx", {}, {"xl/externalLinks/externalLink1.xml": b"<x/>"}
    )
    _refused(service, ctx, sample.id, link, "links to other workbooks")
    macro = _rezip(exported, tmp_path / "macro.xlsx", {}, {"xl/vbaProject.bin": b"\0" * 10})
    _refused(service, ctx, sample.id, macro, "macros")


def test_formula_cells_are_refused(
    service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path
) -> None:
    wb = load_workbook(exported)
    ws = wb["Questionnaire"]
    ws.cell(3, column_of(ws, "notes")).value = '=WEBSERVICE("http://example.com")'
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    _refused(service, ctx, sample.id, path, r"row 3, column K: a formula")


def test_huge_sheet(service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path) -> None:
    wb = load_workbook(exported)
    ws = wb["Questionnaire"]
    ws.cell(5000, 1).value = "GOVERN 1.1"
    path = tmp_path / "huge.xlsx"
    wb.save(path)
    _refused(service, ctx, sample.id, path, "more than 2000 rows")
    wb = load_workbook(exported)
    wb["Questionnaire"].cell(2, 500).value = "wide"
    wb.save(path)
    _refused(service, ctx, sample.id, path, "more than 200 columns")


def test_a_file_too_large_is_refused_before_reading(
    service: Any, ctx: Any, sample: Any, tmp_path: Path
) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(25 * 1024 * 1024)
    _refused(service, ctx, sample.id, path, "at most 20 MB")


def test_missing_hidden_sheet_or_header(
    service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path
) -> None:
    wb = load_workbook(exported)
    del wb["airmf-meta"]
    path = tmp_path / "nometa.xlsx"
    wb.save(path)
    _refused(service, ctx, sample.id, path, "hidden sheet airmf-meta is missing")
    wb = load_workbook(exported)
    wb["Questionnaire"].cell(1, 1).value = "subcategory"
    wb.save(path)
    _refused(service, ctx, sample.id, path, "the column 'id' is missing")


def test_wrong_types_in_the_hidden_sheet(
    service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path
) -> None:
    wb = load_workbook(exported)
    ws = wb["airmf-meta"]
    for row in ws.iter_rows():
        if row[0].value == "GOVERN 1.1":
            row[1].value = "three"
    path = tmp_path / "meta.xlsx"
    wb.save(path)
    _refused(service, ctx, sample.id, path, "sheet airmf-meta, row")


# A value a respondent's spreadsheet could hold in any cell.
_VALUES = st.one_of(
    st.none(),
    # Control characters cannot be stored in a workbook at all (openpyxl refuses to write them).
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(["L", "M", "H", "yes", "no", "GOVERN 1.1", "MAP 9.9", "2027-01-01", "=1+1"]),
    st.integers(min_value=-10, max_value=10),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
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
        st.tuples(st.integers(min_value=1, max_value=80), st.integers(1, 16), _VALUES),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_workbooks_are_applied_whole_or_refused_whole(
    service: Any, ctx: Any, sample: Any, exported: Path, tmp_path: Path, edits: Any
) -> None:
    """Whatever a mutation does, the import either refuses it (one message, nothing written)
    or records exactly the changes its preview listed, with a history that still verifies."""
    from app.services.answers import AnswerService

    wb = load_workbook(exported)
    ws = wb["Questionnaire"]
    for row, col, value in edits:
        cell = ws.cell(row, col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    data = io.BytesIO()
    wb.save(data)
    path = tmp_path / "mutated.xlsx"
    path.write_bytes(data.getvalue())
    before = _state(ctx, sample.id)
    try:
        plan = service.preview(sample.id, path)
    except InvalidInput as exc:
        assert str(exc).startswith("mutated.xlsx")
        assert _state(ctx, sample.id) == before
        return
    service.apply(plan)
    after = AnswerService(ctx)
    for change in plan.applicable:
        from app.domain.history import field_value_text

        stored = after.get(sample.id, change.subcategory_id)
        assert field_value_text(stored, change.field) == change.after
    assert after.check_history(sample.id).ok
    # The same workbook again changes nothing more (what was applied is what it says).
    assert service.preview(sample.id, path).applicable == []
