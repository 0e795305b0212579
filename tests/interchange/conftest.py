"""Fixtures of the interchange tests: a sample assessment and its exported workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def sample(ctx: Any) -> Any:
    from app.services.sample import create_sample

    return create_sample(ctx)


@pytest.fixture
def service(ctx: Any) -> Any:
    from app.services.interchange.service import InterchangeService

    return InterchangeService(ctx)


@pytest.fixture
def exported(service: Any, sample: Any, tmp_path: Path) -> Path:
    path = tmp_path / "questionnaire.xlsx"
    service.export_xlsx(sample.id, path)
    return path


def column_of(ws: Any, key: str) -> int:
    """1-based column index of the header ``key`` on a Questionnaire sheet."""
    for cell in ws[1]:
        if cell.value == key:
            return int(cell.column)
    raise KeyError(key)


def row_of(ws: Any, subcategory: str) -> int:
    for row in ws.iter_rows(min_row=2):
        if row[0].value == subcategory:
            return int(row[0].row)
    raise KeyError(subcategory)


def edit(path: Path, changes: dict[tuple[str, str], Any], out: Path | None = None) -> Path:
    """Set cells of the Questionnaire sheet by (subcategory id, column key); save to ``out``
    (default: over ``path``) as a respondent's spreadsheet program would."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Questionnaire"]
    for (sub, key), value in changes.items():
        cell = ws.cell(row=row_of(ws, sub), column=column_of(ws, key))
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
    target = out or path
    wb.save(target)
    return target
