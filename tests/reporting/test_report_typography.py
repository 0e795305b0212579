"""User text printed as written, and appendix entries that keep their head with their body."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from report_helpers import read_pdf

from app.reporting.text import NBSP, chunks, escape
from app.services.answers import AnswerService
from app.services.report import ReportService
from app.services.sample import create_sample


def test_long_text_is_never_cut_inside_a_line() -> None:
    line = "word " * 800  # 4,000 characters, no line break
    parts = chunks(f"{line}\n{line}\n\nnext")
    assert [text for text, _ends in parts] == [line, line, "next"]
    assert [ends for _text, ends in parts] == [False, True, True]


def test_indentation_tabs_and_runs_of_spaces_are_kept() -> None:
    assert escape("\tA\n    B\nC  D") == (f"{NBSP * 4}A<br/>{NBSP * 4}B<br/>C {NBSP}D")
    assert escape("a < b & c") == "a &lt; b &amp; c"


@pytest.fixture(scope="module")
def long_note_pdf(module_ctx, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    aid = create_sample(module_ctx).id
    note = (
        "Findings:\n\tFirst item indented by a tab\n    Second item, four spaces\n"
        + "This paragraph is long and goes on. " * 150
    )
    AnswerService(module_ctx).record(aid, "MAP 1.1", notes=note, owner="Ops")
    service = ReportService(module_ctx)
    path = tmp_path_factory.mktemp("typo") / "r.pdf"
    path.write_bytes(service.render(service.build(aid)))
    return path


def _pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return out.stdout.split("\f")


def test_a_note_keeps_its_indentation_in_the_pdf(long_note_pdf: Path) -> None:
    text = "\n".join(_pages(long_note_pdf))
    lines = text.splitlines()
    tab = next(line for line in lines if "First item indented by a tab" in line)
    spaces = next(line for line in lines if "Second item, four spaces" in line)
    findings = next(line for line in lines if line.strip() == "Findings:")
    indent = len(findings) - len(findings.lstrip())
    assert len(tab) - len(tab.lstrip()) > indent
    assert len(spaces) - len(spaces.lstrip()) > indent


def test_a_page_that_continues_an_entry_names_it(long_note_pdf: Path) -> None:
    pages = read_pdf(long_note_pdf).pages
    start = next(i for i, p in enumerate(pages) if "First item indented by a tab" in p)
    following = pages[start + 1]
    assert "MAP 1.1 (continued)" in following
    assert following.index("MAP 1.1 (continued)") < following.index("goes on")
    # No page starts with the facts of an entry whose name is on the page before.
    for page in pages:
        body = page.split("\n", 2)[-1]
        assert not body.lstrip().startswith("Owner / due")


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.platypus import Spacer

    from app.catalog.loader import resources_root
    from app.reporting.document import (
        PageDecor,
        ReportDocument,
        keep_headings_with_next,
    )
    from app.reporting.fonts import register_fonts
    from app.reporting.kit import Kit
    from app.reporting.styles import build_styles

    fonts = register_fonts(resources_root() / "fonts")
    styles = build_styles(fonts)
    pages: dict[int, int] = {}

    class Doc(ReportDocument):
        def afterFlowable(self, flowable):  # type: ignore[no-untyped-def]
            super().afterFlowable(flowable)
            pages.setdefault(id(flowable), self.page)

    doc = Doc(
        io.BytesIO(),
        paper="a4",
        fonts=fonts,
        decor=PageDecor("T", "Internal", False, ""),
        title="t",
        author="a",
        subject="s",
    )
    kit = Kit(styles, doc.width, doc.height)
    chart = Drawing(doc.width, 70 * 2.8346)  # a chart cannot split
    chart.add(Rect(0, 0, 10, 10))
    heading = kit.h2("Trend across cycles")
    # The page is full but for some 60 mm: the heading (and its own 50 mm rule) would fit,
    # the chart after it would not.
    story = [Spacer(1, doc.height - 60 * 2.8346), *heading, chart]
    doc.build(keep_headings_with_next(story))
    assert pages[id(heading[-1])] == pages[id(chart)] == 2


def test_a_page_that_begins_inside_a_long_table_names_it(long_note_pdf: Path) -> None:
    # A page that starts with the repeated head row of a function's subcategory table (or a
    # GenAI risk's actions) says which table it goes on with, below the running head.
    import re

    pages = read_pdf(long_note_pdf).pages
    heads = {"ID\nStatement (shortened)": "subcategories (continued)"}
    heads["Action\nSubcategory\nStatus"] = "NIST AI 600-1: "
    heads["Term\nMeaning in this report"] = "Glossary"
    seen = 0
    for page in pages:
        body = re.split(r"Page \d+ of \d+\n", page, maxsplit=1)[-1].lstrip()
        for head, label in heads.items():
            if body.startswith(head):
                seen += 1
                line = next(x for x in page.splitlines() if x.endswith("(continued)"))
                assert label in line + " (continued)", line
    assert seen >= 2  # the sample's GOVERN and MEASURE tables run over a page


def test_headings_in_a_row_stay_with_the_entry_after_them() -> None:
    # The appendix's function and category heads ("MAP", "MAP 1: ...") were left alone at a
    # page's foot when the entry after them (kept together, behind its own conditional
    # break) did not fit: the heads go over with the entry.
    import io

    from reportlab.platypus import KeepTogether, Spacer

    from app.catalog.loader import resources_root
    from app.reporting.document import PageDecor, ReportDocument, keep_headings_with_next
    from app.reporting.fonts import register_fonts
    from app.reporting.kit import Kit
    from app.reporting.styles import build_styles

    fonts = register_fonts(resources_root() / "fonts")
    pages: dict[int, int] = {}

    class Doc(ReportDocument):
        def afterFlowable(self, flowable):  # type: ignore[no-untyped-def]
            super().afterFlowable(flowable)
            pages.setdefault(id(flowable), self.page)

    doc = Doc(
        io.BytesIO(),
        paper="a4",
        fonts=fonts,
        decor=PageDecor("T", "Internal", False, ""),
        title="t",
        author="a",
        subject="s",
    )
    kit = Kit(build_styles(fonts), doc.width, doc.height)
    function = kit.h2("MAP")
    category = kit.h3("MAP 1: Context is established and understood.")
    room, entry_head = kit.h3("MAP 1.1", room_mm=34)
    entry = KeepTogether([entry_head, kit.p("Statement. " * 150), kit.p("Facts. " * 150)])
    # Some 75 mm left: room for the two heads and the entry's 34 mm rule, not for the entry.
    story = [Spacer(1, doc.height - 75 * 2.8346), *function, *category, room, entry]
    doc.build(keep_headings_with_next(story))
    assert pages[id(function[-1])] == pages[id(category[-1])] == pages[id(entry_head)] == 2
    # With room for all of it, nothing moves.
    pages.clear()
    doc = Doc(
        io.BytesIO(),
        paper="a4",
        fonts=fonts,
        decor=PageDecor("T", "Internal", False, ""),
        title="t",
        author="a",
        subject="s",
    )
    story = [Spacer(1, doc.height - 200 * 2.8346), *function, *category, room, entry]
    doc.build(keep_headings_with_next(story))
    assert pages[id(function[-1])] == pages[id(entry_head)] == 1
