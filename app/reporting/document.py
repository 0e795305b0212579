"""The page machinery: page template, header and footer, DRAFT marking, outline, the contents
page, "Page x of y", progress and cancellation during layout.

The document is laid out once. The contents entries are the story's headings, known before
layout; what only the layout knows (the page of each heading, the page count) is drawn as a
reference to a PDF form XObject that is defined when the last page is done.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.rl_config import _FUZZ

from app.reporting.errors import RenderCancelled, RenderError
from app.reporting.fonts import FontSet
from app.reporting.styles import ACCENT, DRAFT, MUTED, RULE
from app.reporting.text import escape, substitute_missing

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
FOOTER_Y = 11 * mm

Progress = Callable[[int, str], None]


class Para(Paragraph):
    """A Paragraph that keeps its line breaking when wrapped again at the same width.

    Tables and KeepTogether wrap their content two or three times at the same width; ReportLab
    breaks the lines anew every time. The lines are kept only while they are the ones the last
    wrap made: ``split`` (which may delete or change them) starts afresh, as does a wrap at
    another width.
    """

    _wrapped: tuple[float, object, float, float] | None = None  # width, lines, result

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self._wrapped
        if memo is not None and memo[0] == availWidth and self.__dict__.get("blPara") is memo[1]:
            self.width, self.height = memo[2], memo[3]
            return memo[2], memo[3]
        self._wrapped = None
        width, height = super().wrap(availWidth, availHeight)
        lines = self.__dict__.get("blPara")
        if lines is not None and availWidth >= _FUZZ:
            self._wrapped = (availWidth, lines, width, height)
        return width, height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._wrapped = None
        return super().split(availWidth, availHeight)


class Heading(Para):
    """A heading that is bookmarked where it is drawn, listed in the outline and maybe the TOC."""

    def __init__(  # Paragraph's own signature (its split() relies on it), plus ours
        self,
        text: str | None,
        style=None,  # type: ignore[no-untyped-def]
        bulletText: str | None = None,
        frags=None,  # type: ignore[no-untyped-def]
        caseSensitive: int = 1,
        encoding: str = "utf8",
        *,
        plain: str = "",
        key: str = "",
        toc_level: int | None = None,
        outline_level: int | None = None,
    ) -> None:
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self.plain = plain
        self.key = key
        self.toc_level = toc_level
        self.outline_level = outline_level

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # A (very long) heading split across pages is bookmarked and listed where it starts.
        parts = super().split(availWidth, availHeight)
        if parts and isinstance(parts[0], Heading):
            first = parts[0]
            first.plain, first.key = self.plain, self.key
            first.toc_level, first.outline_level = self.toc_level, self.outline_level
        return parts

    def draw(self) -> None:
        if self.key:
            self.canv.bookmarkHorizontal(self.key, 0, self.height + 4)
        super().draw()


@dataclass(frozen=True)
class TocEntry:
    level: int
    markup: str  # the heading's text as paragraph markup
    key: str  # the heading's bookmark


class Contents(Flowable):
    """The table of contents, drawn in the same pass as the headings it lists.

    The entries come from the story (``ReportDocument.build`` sets them); each entry's leader
    dots and page number are a form XObject named after its bookmark, defined by
    ``define_forms`` once every heading has been placed. Entries and page numbers are links.
    """

    DOTS = " . "
    _ids = itertools.count(1)

    def __init__(self, level_styles: Iterable[ParagraphStyle]) -> None:
        super().__init__()
        self._id = next(Contents._ids)  # names of its callback and forms, unique per canvas
        self._callback = f"contentsEntryEnd{self._id}"
        self.level_styles = list(level_styles)
        self.entries: list[TocEntry] = []
        self.placed: dict[str, tuple[int, float]] = {}  # key -> (level, room for dots + number)
        self._table: Table | None = None
        self._avail = 0.0

    def style(self, level: int) -> ParagraphStyle:
        return self.level_styles[min(level, len(self.level_styles) - 1)]

    def form_name(self, key: str) -> str:
        return f"toc{self._id}_{key}"

    def _build_table(self, avail: float) -> Table:
        rows: list[list[Flowable]] = []
        for i, entry in enumerate(self.entries):
            style = self.style(entry.level)
            markup = (
                f'<a href="#{entry.key}">{entry.markup}</a>'
                f'<onDraw name="{self._callback}" label="{i}"/>'
            )
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            rows.append([Paragraph(markup, style)])
        if not rows:
            rows.append([Spacer(1, 0)])
        table_style = TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return Table(rows, colWidths=(avail,), style=table_style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._table is None or availWidth != self._avail:
            self._avail = availWidth
            self._table = self._build_table(availWidth)
        self.canv.setNamedCB(self._callback, self._entry_end)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        assert self._table is not None
        return self._table.splitOn(self.canv, availWidth, availHeight)

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        assert self._table is not None
        self._table.drawOn(canvas, x, y, _sW)

    def _entry_end(self, canvas: Canvas, kind: str, label: str) -> None:
        """Called where an entry's text ends: place its (later defined) dots and number."""
        entry = self.entries[int(label)]
        info = canvas._curr_tx_info  # the text position, as ReportLab's own TOC reads it
        x, y = info["cur_x"], info["cur_y"]
        style = self.style(entry.level)
        self.placed[entry.key] = (entry.level, self._avail - x)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(self.form_name(entry.key))
        canvas.restoreState()
        canvas.linkRect("", entry.key, (x, y, self._avail, y + style.leading), relative=1)

    def define_forms(self, canvas: Canvas, pages: dict[str, int]) -> None:
        """Dots and page number of every drawn entry, right-aligned as ReportLab's TOC does."""
        for key, (level, room) in self.placed.items():
            if key not in pages:
                raise RenderError(f"a contents entry was not placed in the report ({key})")
            style = self.style(level)
            number = str(pages[key])
            size = style.fontSize
            number_w = stringWidth(number, style.fontName, size)
            while number_w > room and size >= 1.0:  # no room: shrink (as ReportLab's TOC)
                size *= 0.9
                number_w = stringWidth(number, style.fontName, size)
            dot_w = stringWidth(self.DOTS, style.fontName, size)
            dots = max(0, int((room - number_w) / dot_w))
            canvas.beginForm(
                self.form_name(key), -1, -style.leading, room + 1, style.leading + size
            )
            text = canvas.beginText(room - dots * dot_w - number_w, 0)
            text.setFont(style.fontName, size)
            text.setFillColor(style.textColor)
            text.textLine(dots * self.DOTS + number)
            canvas.drawText(text)
            canvas.endForm()


def toc_entries(flowables: Iterable[Flowable]) -> Iterator[Heading]:
    """The headings laid out as flowables of their own (as ``afterFlowable`` sees them)."""
    for f in flowables:
        if isinstance(f, Heading):
            yield f
        elif isinstance(f, KeepTogether):  # always split into its content by the layout
            yield from toc_entries(f._content)


def find_contents(flowables: Iterable[Flowable]) -> Iterator[Contents]:
    for f in flowables:
        if isinstance(f, Contents):
            yield f
        elif isinstance(f, KeepTogether):
            yield from find_contents(f._content)


class _FinishingCanvas(Canvas):
    """A canvas that calls ``before_save`` (to define the forms) before writing the PDF."""

    before_save: Callable[[Canvas], None] | None = None

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        if self.before_save is not None:
            self.before_save(self)
        super().save()


@dataclass(frozen=True)
class PageDecor:
    """What every page shows around the content."""

    title: str  # the assessment name, in the header
    label: str  # the confidentiality label
    draft: bool
    footer_note: str  # e.g. "Generated 2026-11-27"


class ReportDocument(BaseDocTemplate):
    """One-frame pages with header/footer; outline and TOC from ``Heading`` flowables."""

    def __init__(
        self,
        buffer: io.BytesIO,
        *,
        paper: str,
        fonts: FontSet,
        decor: PageDecor,
        title: str,
        author: str,
        subject: str,
        keywords: str = "",
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        progress_span: tuple[int, int] = (30, 95),
    ) -> None:
        super().__init__(
            buffer,
            pagesize=PAGE_SIZES[paper],
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=subject,
            keywords=keywords,
            creator="AI RMF Assessor",
            producer="AI RMF Assessor (ReportLab)",
        )
        self.fonts = fonts
        self.decor = decor
        self._progress = progress
        self._cancelled = cancelled
        self._span = progress_span
        self._size = 1
        self._shown = -1
        self.pages_laid_out = 0
        self.heading_pages: dict[str, int] = {}  # bookmark key -> page of a TOC heading
        self._contents: list[Contents] = []
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])
        self.setProgressCallBack(self._on_progress)

    # -- layout -------------------------------------------------------------------------------
    def build(self, flowables, **kw) -> None:  # type: ignore[no-untyped-def, override]
        """Lay the story out in one pass; the contents list the story's TOC headings."""
        entries = [
            TocEntry(h.toc_level, _toc_markup(h.getPlainText()), h.key)
            for h in toc_entries(flowables)
            if h.key and h.toc_level is not None
        ]
        self._contents = list(find_contents(flowables))
        for contents in self._contents:
            contents.entries, contents.placed = entries, {}
        self.heading_pages = {}
        self.pages_laid_out = 0
        kw.setdefault("canvasmaker", _FinishingCanvas)
        super().build(flowables, **kw)

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        if isinstance(self.canv, _FinishingCanvas):
            self.canv.before_save = self._define_forms

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Heading) or not flowable.key:
            return
        if flowable.outline_level is not None:
            self.canv.addOutlineEntry(
                flowable.plain, flowable.key, level=flowable.outline_level, closed=True
            )
        if flowable.toc_level is not None:
            self.heading_pages[flowable.key] = self.page

    def _define_forms(self, canv: Canvas) -> None:
        """After the last page: the footers ("of y") and the contents' page numbers."""
        total = self.pages_laid_out
        for number in range(1, total + 1):
            canv.beginForm(self._footer_form(number))
            self._draw_footer(canv, number, total)
            canv.endForm()
        for contents in self._contents:
            contents.define_forms(canv, self.heading_pages)

    def _on_progress(self, kind: str, value: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise RenderCancelled("cancelled")
        if kind == "SIZE_EST":
            self._size = max(1, value)
        elif kind == "PROGRESS" and self._progress is not None:
            lo, hi = self._span
            percent = int(lo + (hi - lo) * min(1.0, value / self._size))
            if percent > self._shown:
                self._shown = percent
                self._progress(percent, "Laying out pages")

    # -- page decoration ----------------------------------------------------------------------
    @staticmethod
    def _footer_form(number: int) -> str:
        return f"footer{number}"

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        width, height = self.pagesize
        if self.decor.draft:
            _draft_watermark(canv, width, height, self.fonts.bold)
        left, right = self.leftMargin, width - self.rightMargin
        top = height - 12 * mm
        regular, bold = self.fonts.regular, self.fonts.bold
        label = self._drawable(self.decor.label.upper(), bold)
        label_w = stringWidth(label, bold, 8)
        draft_text = "DRAFT" if self.decor.draft else ""
        draft_w = stringWidth(draft_text + "  ", bold, 8) if draft_text else 0
        name = self._drawable(self.decor.title, regular)
        title = _fit(name, regular, 8, right - left - label_w - draft_w - 12 * mm)
        canv.setFont(regular, 8)
        canv.setFillColor(MUTED)
        canv.drawString(left, top, title)
        canv.setFont(bold, 8)
        canv.setFillColor(ACCENT)
        canv.drawRightString(right, top, label)
        if draft_text:
            canv.setFillColor(DRAFT)
            canv.drawRightString(right - label_w - 4 * mm, top, draft_text)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        canv.line(left, FOOTER_Y + 4 * mm, right, FOOTER_Y + 4 * mm)
        canv.restoreState()
        # The footer text ("Page x of y") is a form defined once the page count is known.
        number = canv.getPageNumber()
        self.pages_laid_out = max(self.pages_laid_out, number)
        canv.doForm(self._footer_form(number))

    def _draw_footer(self, canv: Canvas, number: int, total: int) -> None:
        width, _height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        regular = self.fonts.regular
        name = self._drawable(self.decor.title, regular)
        canv.setFont(regular, 7.5)
        canv.setFillColor(MUTED)
        page_text = f"Page {number} of {total}"
        footer_left = f"{self._drawable(self.decor.label, regular)} · {self.decor.footer_note}"
        if self.decor.draft:
            footer_left = f"DRAFT · {footer_left}"
        room = right - left - stringWidth(page_text, regular, 7.5) - 10 * mm
        footer_left = _fit(f"{name} · {footer_left}", regular, 7.5, room)
        canv.drawString(left, FOOTER_Y, footer_left)
        canv.drawRightString(right, FOOTER_Y, page_text)

    def _drawable(self, text: str, font: str) -> str:
        return substitute_missing(text, self.fonts.coverage(font))[0]


def _draft_watermark(canv: Canvas, width: float, height: float, font: str) -> None:
    canv.saveState()
    canv.setFillColor(DRAFT)
    canv.setFillAlpha(0.09)
    canv.setFont(font, 110)
    canv.translate(width / 2, height / 2)
    canv.rotate(50)
    canv.drawCentredString(0, -38, "DRAFT")
    canv.restoreState()


def _fit(text: str, font: str, size: float, room: float) -> str:
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _toc_markup(text: str) -> str:
    return escape(text)


def make_toc(styles: tuple) -> Contents:  # type: ignore[type-arg]
    return Contents(styles)


class KeySequence:
    """Unique bookmark keys within one story."""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def next(self) -> str:
        return f"h{next(self._n)}"


def layout(
    story_factory: Callable[[], list[Flowable]],
    make_doc: Callable[[io.BytesIO], ReportDocument],
) -> tuple[bytes, int]:
    """Lay the story out (one pass); return the PDF bytes and the page count."""
    buffer = io.BytesIO()
    doc = make_doc(buffer)
    doc.build(story_factory())
    return buffer.getvalue(), doc.pages_laid_out
