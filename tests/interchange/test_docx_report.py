"""The editable Word report: real headings, tables with header rows, charts with alternative
text, the same figures as the PDF; written atomically and refused like the PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document


@pytest.fixture
def docx_file(ctx: Any, sample: Any, tmp_path: Path) -> Path:
    from app.services.interchange.docx_export import export_docx

    path = tmp_path / "report.docx"
    export_docx(ctx, sample.id, path)
    return path


def test_headings_are_real_word_headings(docx_file: Path, sample: Any) -> None:
    doc = Document(str(docx_file))
    headings = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", f"{sample.name}: AI RMF maturity report")
    names = [text for style, text in headings if style == "Heading 1"]
    assert names[0] == "Executive summary" and "GOVERN: Govern" in names
    for wanted in (
        "Gap analysis",
        "Remediation plan",
        "Not-applicable register",
        "Evidence assurance",
        "Evidence index",
        "Method",
    ):
        assert wanted in names
    assert any(style == "Heading 2" for style, _t in headings)


def test_tables_have_repeated_header_rows_and_the_pdfs_figures(
    docx_file: Path, ctx: Any, sample: Any
) -> None:
    from app.domain.numbers import format_score
    from app.services.scoring import ScoringService

    doc = Document(str(docx_file))
    functions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Function")
    assert functions.rows[0]._tr.trPr is not None
    assert functions.rows[0]._tr.trPr.xpath("./w:tblHeader")
    tree = ScoringService(ctx).score(sample.id)
    govern = tree.children[0]
    row = next(r for r in functions.rows if r.cells[0].text == govern.id)
    shown = format_score(govern.score) + (" *" if govern.provisional else "")
    assert row.cells[1].text == shown
    statements = [
        t for t in doc.tables if t.rows[0].cells[0].text == "Subcategory" and len(t.columns) == 5
    ]
    texts = {r.cells[0].text: r.cells[1].text for t in statements for r in t.rows[1:]}
    from app.catalog.loader import Catalog

    framework = Catalog.load().framework("nist-ai-rmf-1.0")
    assert texts["GOVERN 1.1"] == framework.subcategory("GOVERN 1.1").text  # verbatim


def test_charts_are_pictures_with_alternative_text(docx_file: Path) -> None:
    doc = Document(str(docx_file))
    pictures = doc.inline_shapes
    assert len(pictures) >= 2
    for shape in pictures:
        descr = shape._inline.docPr.get("descr")
        assert descr and ("chart" in descr.lower())
    radar = pictures[0]._inline.docPr.get("descr")
    assert "GOVERN" in radar and "target" in radar


def test_the_certification_disclaimer_is_stated(docx_file: Path) -> None:
    from app.domain.report import NOT_A_CERTIFICATION

    text = "\n".join(p.text for p in Document(str(docx_file)).paragraphs)
    assert NOT_A_CERTIFICATION in text


def test_an_unrated_assessment_has_no_chart_and_says_why(ctx: Any, tmp_path: Path) -> None:
    from app.services.assessments import AssessmentService
    from app.services.interchange.docx_export import export_docx

    empty = AssessmentService(ctx).create({"name": "Empty & <odd> name"})
    path = tmp_path / "empty.docx"
    export_docx(ctx, empty.id, path)
    doc = Document(str(path))
    # No radar or category chart (nothing is scored); the heat map shows every subcategory
    # as not answered, as the PDF's does.
    alts = [shape._inline.docPr.get("descr") for shape in doc.inline_shapes]
    assert len(alts) == 1 and alts[0].startswith("Heat map chart")
    assert alts[0].count("not answered") == 72
    assert doc.paragraphs[0].text == "Empty & <odd> name: AI RMF maturity report"


def test_a_failed_export_leaves_the_earlier_file(
    ctx: Any, sample: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from app.services import report as report_service
    from app.services.interchange import docx_export

    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04earlier")

    def broken(*_a: Any, **_k: Any) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr("app.reporting.docx_report.render_docx", broken)
    with pytest.raises(report_service.ReportError, match="boom"):
        docx_export.export_docx(ctx, sample.id, path)
    assert path.read_bytes() == b"PK\x03\x04earlier"


pytestmark = pytest.mark.logs_errors  # the failed export logs its error on purpose


def test_cli_report_writes_docx(ctx: Any, sample: Any, tmp_path: Path, capsys: Any) -> None:
    from app.cli.main import main

    path = tmp_path / "r.docx"
    db = str(ctx.location.sqlite_path)
    assert main(["--db", db, "report", str(sample.id), "-o", str(path)]) == 0
    assert "wrote the Word report" in capsys.readouterr().out
    assert Document(io.BytesIO(path.read_bytes())).paragraphs[0].text.endswith("maturity report")
