"""The page machinery: page template, header and footer, DRAFT marking, outline, TOC entries,
"Page x of y", progress and cancellation during layout."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from app.reporting.errors import RenderCancelled
from app.reporting.fonts import FontSet
from app.reporting.styles import ACCENT, DRAFT, MUTED, RULE
from app.reporting.text import escape, substitute_missing

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm

Progress = Callable[[int, str], None]


class Heading(Paragraph):
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

    def draw(self) -> None:
        if self.key:
            self.canv.bookmarkHorizontal(self.key, 0, self.height + 4)
        super().draw()


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
        self._pass = 0
        self._size = 1
        self._shown = -1
        self.page_total: int | None = None  # pages of the previous pass ("of y")
        self.pages_laid_out = 0
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

    # -- layout hooks -------------------------------------------------------------------------
    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Heading) or not flowable.key:
            return
        if flowable.outline_level is not None:
            self.canv.addOutlineEntry(
                flowable.plain, flowable.key, level=flowable.outline_level, closed=True
            )
        if flowable.toc_level is not None:
            text = flowable.getPlainText()
            self.notify(
                "TOCEntry", (flowable.toc_level, _toc_markup(text), self.page, flowable.key)
            )

    def build(self, flowables, **kw) -> None:  # type: ignore[no-untyped-def, override]
        # Each pass prints "of y" with the page count of the pass before it; ``layout`` checks
        # that the last pass agreed with its predecessor.
        if self.pages_laid_out:
            self.page_total = self.pages_laid_out
        super().build(flowables, **kw)
        self.pages_laid_out = self.page

    def _on_progress(self, kind: str, value: int) -> None:
        if self._cancelled is not None and self._cancelled():
            raise RenderCancelled("cancelled")
        if kind == "PASS":
            self._pass = value
        elif kind == "SIZE_EST":
            self._size = max(1, value)
        elif kind == "PROGRESS" and self._progress is not None:
            lo, hi = self._span
            # Usually three passes: the contents page needs the page numbers of the first two.
            fraction = (min(self._pass, 3) - 1 + min(1.0, value / self._size)) / 3
            percent = int(lo + (hi - lo) * min(1.0, fraction))
            if percent > self._shown:
                self._shown = percent
                self._progress(percent, f"Laying out pages (pass {self._pass})")

    # -- page decoration ----------------------------------------------------------------------
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
        bottom = 11 * mm
        canv.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        canv.setFont(regular, 7.5)
        canv.setFillColor(MUTED)
        total = "?" if self.page_total is None else str(self.page_total)
        page_text = f"Page {canv.getPageNumber()} of {total}"
        footer_left = f"{self._drawable(self.decor.label, regular)} · {self.decor.footer_note}"
        if self.decor.draft:
            footer_left = f"DRAFT · {footer_left}"
        room = right - left - stringWidth(page_text, regular, 7.5) - 10 * mm
        footer_left = _fit(f"{name} · {footer_left}", regular, 7.5, room)
        canv.drawString(left, bottom, footer_left)
        canv.drawRightString(right, bottom, page_text)
        canv.restoreState()

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


def make_toc(styles: tuple) -> TableOfContents:  # type: ignore[type-arg]
    toc = TableOfContents()
    toc.levelStyles = list(styles)
    toc.dotsMinLevel = 0
    return toc


class KeySequence:
    """Stable bookmark keys: the same story gives the same keys on every pass."""

    def __init__(self) -> None:
        self._n = itertools.count(1)

    def next(self) -> str:
        return f"h{next(self._n)}"


def layout(
    story_factory: Callable[[], list[Flowable]],
    make_doc: Callable[[io.BytesIO], ReportDocument],
) -> tuple[bytes, int]:
    """Lay the story out until "Page x of y" is right; return the PDF bytes and page count."""
    total: int | None = None
    for _attempt in range(3):
        buffer = io.BytesIO()
        doc = make_doc(buffer)
        doc.page_total = total
        doc.multiBuild(story_factory())
        if doc.page_total == doc.pages_laid_out:
            return buffer.getvalue(), doc.pages_laid_out
        total = doc.pages_laid_out
    return buffer.getvalue(), doc.pages_laid_out
