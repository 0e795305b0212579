"""Cheaper table cells and paragraphs that leave the page unchanged: a one-line cell is a plain
string that the table draws where its paragraph's line would be, and a paragraph keeps its line
breaking when it is wrapped again at the same width."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Table

from app.catalog.loader import resources_root
from app.reporting.document import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_SIZES, Para
from app.reporting.fonts import register_fonts
from app.reporting.kit import Kit
from app.reporting.styles import INK, build_styles
from app.reporting.text import escape

FILLER = (
    "Reviewed with the model risk committee on the quarterly cadence; minutes and the signed "
    "risk acceptance are filed in the GRC tool. "
)
HEADER = ["Subcategory", "Statement", "Score", "Owner"]
ROWS = [
    ["GOVERN 1.1", "Legal and regulatory requirements are understood. " * 3, "2.5", "Risk"],
    ["  MAP   1.2 ", "Short statement", "–", "R&D <i> team"],
    ["MEASURE 2.10", "Line one\nline two", "3.0", "x\u00adyz"],
    ["", "no\u00a0break", "4.0", "Ελληνικά \ue000"],
]


def _kit() -> Kit:
    fonts = register_fonts(resources_root() / "fonts")
    width, height = PAGE_SIZES["a4"]
    return Kit(build_styles(fonts), width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM)


def _table(kit: Kit) -> Table:
    return kit.table(HEADER, ROWS, [1.2, 4.0, 0.7, 1.4], right=(2,), bold_rows=(1,), auto=(0, 2))


def _pdf(flowables: list[Flowable]) -> PdfReader:
    buffer = io.BytesIO()
    width, height = PAGE_SIZES["a4"]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
    )
    doc.build(flowables)
    return PdfReader(io.BytesIO(buffer.getvalue()))


def _runs(reader: PdfReader) -> list[tuple[int, str, float, float]]:
    """Every piece of text drawn: page, text and where its baseline starts (page space)."""
    runs: list[tuple[int, str, float, float]] = []
    for number, page in enumerate(reader.pages):

        def visit(text, cm, tm, _font, _size, number=number) -> None:  # type: ignore[no-untyped-def]
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((number, text.strip(), round(x, 2), round(y, 2)))

        page.extract_text(visitor_text=visit)
    return runs


def test_one_line_cells_are_plain_strings_and_the_rest_paragraphs() -> None:
    kit = _kit()
    cells = _table(kit)._cellvalues
    assert cells[0] == HEADER
    assert cells[1][0] == "GOVERN 1.1" and cells[1][2] == "2.5" and cells[1][3] == "Risk"
    assert isinstance(cells[1][1], Paragraph)  # needs more than one line
    assert cells[2][2] == "–"
    assert isinstance(cells[2][0], Paragraph)  # a run of spaces, kept as written
    assert cells[2][3] == "R&D <i> team"  # literal text, no escaping needed
    assert isinstance(cells[3][1], Paragraph)  # a line break
    assert isinstance(cells[3][3], Paragraph)  # a soft hyphen
    assert isinstance(cells[4][0], Paragraph)  # empty: a paragraph adds no line height
    assert isinstance(cells[4][1], Paragraph)  # a no-break space
    # Outside every embedded face (a private-use character): the code point, counted once.
    assert isinstance(cells[4][3], Paragraph)
    assert "Ελληνικά [U+E000]" in cells[4][3].getPlainText()
    assert kit.missing_glyphs == 1


def test_plain_cells_take_the_font_colour_and_alignment_of_their_paragraph_style() -> None:
    kit = _kit()
    s = kit.s
    styles = _table(kit)._cellStyles
    for cell, style, colour, align in (
        (styles[0][0], s.head, colors.white, "LEFT"),
        (styles[0][2], s.head_right, colors.white, "RIGHT"),
        (styles[1][0], s.cell, INK, "LEFT"),
        (styles[1][2], s.cell_right, INK, "RIGHT"),
        (styles[2][0], s.cell_bold, INK, "LEFT"),  # a bold row
    ):
        assert (cell.fontname, cell.fontsize, cell.leading) == (
            style.fontName,
            style.fontSize,
            style.leading,
        )
        assert cell.color == style.textColor == colour
        assert cell.alignment == align
    facts = kit.kv([("Rating", "Coverage Low"), ("Owner / due", "Risk office / –")])
    assert facts._cellvalues == [["Rating", "Coverage Low"], ["Owner / due", "Risk office / –"]]
    assert facts._cellStyles[0][0].fontname == s.cell_bold.fontName
    assert facts._cellStyles[0][1].fontname == s.cell.fontName


def test_plain_cells_are_drawn_where_their_paragraphs_would_be(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kit = _kit()
    tables = [_table(kit), kit.kv([("Rating", "Coverage Low"), ("Last changed", "2026-11-27")])]
    plain = _runs(_pdf(tables))

    def always_a_paragraph(self, text, style, width):  # type: ignore[no-untyped-def]
        return Para(escape(self._drawable(text, style.fontName)), style)

    monkeypatch.setattr(Kit, "_cell", always_a_paragraph)
    kit = _kit()
    tables = [_table(kit), kit.kv([("Rating", "Coverage Low"), ("Last changed", "2026-11-27")])]
    paragraphs = _runs(_pdf(tables))
    assert sorted(plain) == sorted(paragraphs)
    assert any(run[1].replace("\u00a0", " ").split() == ["MAP", "1.2"] for run in plain)


def test_a_paragraph_breaks_its_lines_once_per_width(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = []
    original = Paragraph.breakLines

    def counting(self, width):  # type: ignore[no-untyped-def]
        calls.append(width)
        return original(self, width)

    monkeypatch.setattr(Paragraph, "breakLines", counting)
    kit = _kit()
    p = kit.p(FILLER * 6)
    first = p.wrap(300, 800)
    assert p.wrap(300, 100) == first and p.wrap(300, 800) == first
    assert len(calls) == 1
    narrow = p.wrap(200, 800)
    assert narrow[1] > first[1] and len(calls) == 2
    assert p.wrap(300, 800) == first and len(calls) == 3
    parts = p.split(300, kit.s.body.leading * 2.5)
    assert len(parts) == 2
    p.wrap(300, 800)  # a split may change the lines: they are broken again
    assert len(calls) == 4


def _story(kit: Kit) -> list[Flowable]:
    s = kit.s
    cells = [[kit.p(FILLER * (i % 4 + 1), s.cell), kit.p(FILLER, s.small)] for i in range(40)]
    return [
        kit.p(FILLER * 30),
        Table(cells, colWidths=[kit.width * 0.6, kit.width * 0.4], repeatRows=1, splitInRow=1),
        KeepTogether([kit.p("Notes", s.label), kit.p(FILLER * 8, s.note)]),
        *[kit.p(FILLER * 20, s.bullet, bullet="•") for _ in range(6)],
    ]


def test_paragraphs_draw_the_same_with_and_without_keeping_their_lines(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    kept = _pdf(_story(_kit()))
    monkeypatch.setattr(Para, "wrap", Paragraph.wrap)
    monkeypatch.setattr(Para, "split", Paragraph.split)
    anew = _pdf(_story(_kit()))
    assert len(kept.pages) == len(anew.pages) > 3
    for a, b in zip(kept.pages, anew.pages, strict=True):
        assert a.get_contents().get_data() == b.get_contents().get_data()


@pytest.mark.parametrize("width", [0.0, 1e-9])
def test_a_paragraph_given_no_width_still_says_it_cannot_fit(width: float) -> None:
    p = _kit().p("text")
    assert p.wrap(width, 100) == (0, 0x7FFFFFFF)
    assert p.wrap(300, 100)[1] > 0
