"""The page machinery on a synthetic story (no database): the document is laid out once, and
the contents' page numbers and links, the outline and "Page x of y" are still right, also
when the contents run over several pages and an entry wraps."""

from __future__ import annotations

import io

import pytest
from report_helpers import Pdf, contents_link_pages, contents_numbers, heading_pages, read_pdf
from reportlab.platypus import Flowable, PageBreak

from app.catalog.loader import resources_root
from app.reporting.document import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_SIZES,
    Heading,
    PageDecor,
    ReportDocument,
    layout,
    make_toc,
)
from app.reporting.fonts import register_fonts
from app.reporting.kit import Kit
from app.reporting.styles import build_styles

FILLER = (
    "Reviewed with the model risk committee on the quarterly cadence; minutes and the signed "
    "risk acceptance are filed in the GRC tool. "
)
SECTIONS = 45


class CountingDocument(ReportDocument):
    layouts = 0

    def handle_documentBegin(self) -> None:
        CountingDocument.layouts += 1
        super().handle_documentBegin()


def _kit() -> Kit:
    fonts = register_fonts(resources_root() / "fonts")
    width, height = PAGE_SIZES["a4"]
    return Kit(build_styles(fonts), width - 2 * MARGIN_X, height - MARGIN_TOP - MARGIN_BOTTOM)


def _title(i: int) -> str:
    if i == 7:  # wraps in the contents (and in the body)
        return (
            "Section 07 has a title long enough to need a second line in the table of contents "
            "of this synthetic report"
        )
    return f"Section {i:02d}"


def _story(kit: Kit) -> list[Flowable]:
    story: list[Flowable] = [*kit.h1("Contents", toc=False), make_toc(kit.s.toc), PageBreak()]
    for i in range(1, SECTIONS + 1):
        story += kit.h1(_title(i))
        story += [kit.p(FILLER * (8 * (i % 4))) for _ in range(i % 5)]
        story += kit.h2(f"Part {i:02d}.1", toc_level=1, outline_level=1)
        story += [kit.p(FILLER * 10) for _ in range(i % 3 + 1)]
        story += kit.h2(f"Not listed {i:02d}")  # a heading outside the contents
        story.append(kit.p(FILLER * 3))
    return story


# The contents entries in order, as the beginning of their heading's first line.
ENTRIES = [t for i in range(1, SECTIONS + 1) for t in (f"Section {i:02d}", f"Part {i:02d}.1")]


@pytest.fixture(scope="module")
def synthetic():  # type: ignore[no-untyped-def]
    kit = _kit()
    decor = PageDecor(title="Synthetic", label="Internal", draft=True, footer_note="generated")

    def make_doc(buffer: io.BytesIO) -> ReportDocument:
        return CountingDocument(
            buffer,
            paper="a4",
            fonts=kit.s.fonts,
            decor=decor,
            title="Synthetic report",
            author="tester",
            subject="page numbers",
        )

    CountingDocument.layouts = 0
    data, count = layout(lambda: _story(kit), make_doc)
    return read_pdf(data), count, CountingDocument.layouts


def test_the_story_is_laid_out_once(synthetic) -> None:  # type: ignore[no-untyped-def]
    _pdf, _count, layouts = synthetic
    assert layouts == 1


def test_page_x_of_y_on_every_page(synthetic) -> None:  # type: ignore[no-untyped-def]
    pdf, count, _layouts = synthetic
    assert count == len(pdf.pages) > 30
    for number, text in enumerate(pdf.pages, start=1):
        assert f"Page {number} of {count}" in text
        assert "Synthetic · DRAFT · Internal · generated" in text


def _contents_pages(pdf: Pdf) -> list[int]:
    return [i for i, text in enumerate(pdf.pages) if contents_numbers(text)]


def test_contents_over_several_pages_number_and_link_every_heading(synthetic) -> None:  # type: ignore[no-untyped-def]
    pdf, _count, _layouts = synthetic
    toc = _contents_pages(pdf)
    assert len(toc) > 1 and toc == list(range(len(toc)))
    numbers = [n for i in toc for n in contents_numbers(pdf.pages[i])]
    assert len(numbers) == len(ENTRIES) == 90
    starts = heading_pages(pdf.pages, ENTRIES, first=len(toc), prefix=True)
    assert numbers == [i + 1 for i in starts], list(zip(ENTRIES, numbers, starts, strict=True))
    assert numbers[0] == len(toc) + 1 and len(set(numbers)) > 25
    links = [target for i in toc for target in contents_link_pages(pdf.reader, i)]
    assert links == starts


def test_outline_lists_the_headings_where_they_are(synthetic) -> None:  # type: ignore[no-untyped-def]
    pdf, _count, _layouts = synthetic
    reader = pdf.reader
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Contents"] + [_title(i) for i in range(1, 46)]
    numbers = [n for i in _contents_pages(pdf) for n in contents_numbers(pdf.pages[i])]
    for item, number in zip(top[1:], numbers[::2], strict=True):
        assert reader.get_destination_page_number(item) + 1 == number, item.title


def test_a_split_heading_keeps_its_bookmark_on_the_first_part() -> None:
    kit = _kit()
    heading = Heading(
        "A heading " * 40, kit.s.h1, plain="A heading", key="h9", toc_level=0, outline_level=0
    )
    heading.wrap(kit.width, kit.height)
    parts = heading.split(kit.width, kit.s.h1.leading * 2.5)
    assert len(parts) == 2
    assert isinstance(parts[0], Heading) and parts[0].key == "h9" and parts[0].toc_level == 0
    assert not getattr(parts[1], "key", "")
