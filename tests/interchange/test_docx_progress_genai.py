"""The Word report carries the PDF's progress section (with the trend chart), heat map and
Generative AI Profile overlay (issue 16: "the report's main text as a Word document ... the
charts as images with alternative text"), with the PDF's figures and the NIST text verbatim."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document

sys.path.insert(0, str(Path(__file__).parents[1] / "reporting"))
from report_helpers import Pdf, make_two_cycles, norm, read_pdf  # noqa: E402


@pytest.fixture(scope="module")
def two_cycles(tmp_path_factory: Any, catalog: Any) -> tuple[Any, Pdf, Any]:
    """(report model, PDF, Word document) of the sample's second cycle (GenAI overlay on)."""
    from app.services.bootstrap import open_services
    from app.services.interchange.docx_export import export_docx
    from app.services.report import ReportService

    folder = tmp_path_factory.mktemp("docx-progress")
    ctx = open_services(str(folder / "assessments.sqlite3"), catalog=catalog)
    ctx.actor = "tester"
    try:
        _first, second = make_two_cycles(ctx, folder)
        service = ReportService(ctx)
        report = service.build(second)
        pdf = read_pdf(service.render(report))
        path = folder / "report.docx"
        export_docx(ctx, second, path)
        yield report, pdf, Document(str(path))
    finally:
        ctx.db.dispose()


def _h(doc: Any, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def _tables(doc: Any, *headers: str) -> list[list[list[str]]]:
    """The body rows of every table whose header row starts with ``headers``."""
    found = []
    for t in doc.tables:
        head = [c.text for c in t.rows[0].cells]
        if head[: len(headers)] == list(headers):
            found.append([[c.text for c in r.cells] for r in t.rows[1:]])
    return found


def _rows(doc: Any, *headers: str) -> list[list[str]]:
    found = _tables(doc, *headers)
    assert found, f"no table headed {headers!r}"
    return found[0]


def _alt_texts(doc: Any) -> list[str]:
    return [shape._inline.docPr.get("descr") for shape in doc.inline_shapes]


def test_sections_in_the_pdfs_order(two_cycles: Any) -> None:
    report, pdf, doc = two_cycles
    genai_titles = [_title(s.profile) for s in report.genai]
    assert genai_titles, "the sample has the GenAI overlay on"
    names = _h(doc, 1)
    wanted = [
        "Sign-off and audit trail",
        "Progress since the previous cycle",
        "Heat map",
        "Gap analysis",
        "Remediation plan",
        *genai_titles,
        "Not-applicable register",
    ]
    assert [n for n in names if n in wanted] == wanted
    positions = [pdf.text.index(name) for name in wanted[1:3]]
    assert positions == sorted(positions)


def _title(use: Any) -> str:
    from app.reporting.sections_body import profile_title

    return profile_title(use)


def test_progress_figures_are_the_pdfs(two_cycles: Any) -> None:
    report, pdf, doc = two_cycles
    from app.reporting.sections_front import delta_cells

    p = report.progress
    assert p is not None
    rows = _rows(doc, "Function / category")
    functions = {r[0]: r[1:] for r in rows if not r[0].startswith(" ")}
    for f in p.functions:
        assert functions[f.id] == delta_cells(f)
    regressions = _rows(doc, "Subcategory", "Statement", "Before")  # regressions come first
    assert [r[0] for r in regressions] == [d.id for d in p.regressions]
    assert "GOVERN 1.4" in [r[0] for r in regressions]
    cycles = _rows(doc, "Cycle")
    assert [r[0].removesuffix(" (this report)") for r in cycles] == [r.name for r in p.trend]
    for r in cycles:
        assert norm(" ".join(r[1:4])) in pdf.text
    assert any(alt and alt.startswith("Trend chart across cycles:") for alt in _alt_texts(doc))


def test_heat_map_is_an_image_with_every_level_in_its_alternative_text(two_cycles: Any) -> None:
    report, _pdf, doc = two_cycles
    (alt,) = [a for a in _alt_texts(doc) if a and a.startswith("Heat map chart")]
    for e in report.entries:
        assert f"{e.id} " in alt
    rated = next(e for e in report.entries if e.state == "rated")
    assert f"{rated.id} level {rated.node.level}" in alt


def test_genai_overlay_prints_the_profiles_text_verbatim(two_cycles: Any) -> None:
    report, pdf, doc = two_cycles
    section = report.genai[0]
    risks = _rows(doc, "Risk")
    assert risks == [[r.title, r.definition or "–"] for r in section.profile.risks]
    actions = [row for t in _tables(doc, "Action", "Subcategory", "Status") for row in t]
    expected = [
        [a.action.id, a.action.subcategory, a.status, a.action.text]
        for risk in section.risks
        for a in risk.actions
    ]
    assert expected and actions == expected
    for risk in section.risks:
        for a in risk.actions:
            assert a.action.id in pdf.text
