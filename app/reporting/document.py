"""The page machinery: page template, header and footer, DRAFT marking, outline, the contents
page, "Page x of y", progress and cancellation during layout.

The document is laid out once. The contents entries are the story's headings, known before
layout; what only the layout knows (the page of each heading, the page count) is drawn as a
reference to a PDF form XObject that is defined when the last page is done.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
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
from app.reporting.text import (
    escape,
    font_runs,
    is_rtl_word,
    needs_shaping,
    substitute_missing,
    visual_word_order,
)
from app.reporting.textlayer import (
    TextLayerObject,
    install_shaping,
    learn,
    shape_word,
    visual_lines,
)

PAGE_SIZES = {"a4": A4, "letter": LETTER}
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic (and kin)
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

    Complex-script words are learnt for the text layer when the paragraph is made, and a
    paragraph with right-to-left words is broken in logical order with each line's words put
    in visual order when drawn (``textlayer``).
    """

    _wrapped: tuple[float, object, float, float] | None = None  # width, lines, result
    _rtl = False  # holds right-to-left letters
    _rtl_base = False  # starts with them: a right-to-left paragraph, set flush right

    def __init__(self, *args, **kw) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kw)
        if getattr(self.style, "shaping", 0):
            install_shaping()
            learn(self.frags)
            text = "".join(getattr(f, "text", "") for f in self.frags)
            self._rtl = _RTL.search(text) is not None
            self._rtl_base = self._rtl and is_rtl_word(text) is True

    def draw(self) -> None:
        lines = self.__dict__.get("blPara")
        visual = None
        if self._rtl and lines is not None and lines.kind == 1:
            visual = visual_lines(lines.lines, self._rtl_base)
        if visual is None and not self._rtl_base:
            super().draw()
            return
        style = self.style
        if self._rtl_base and style.alignment == TA_LEFT:
            self.style = _flush_right(style)
        if visual is not None:
            self.blPara = lines.clone(lines=visual)
        try:
            super().draw()
        finally:
            self.blPara, self.style = lines, style

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
        parts = super().split(availWidth, availHeight)
        # The parts hold shaped glyphs, which do not tell the direction the text started in:
        # a right-to-left note goes on flush right on the next page.
        for part in parts:
            if isinstance(part, Para):
                part._rtl, part._rtl_base = self._rtl, self._rtl_base
        return parts


@lru_cache(maxsize=64)
def _flush_right(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` set flush right: a right-to-left paragraph's lines end at its right edge."""
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


class FontTable(Table):
    """A Table whose cells start in ``font``: ReportLab's default cell font is Helvetica, which
    would be referenced by the PDF without being embedded. Tables split by the layout keep it
    (their cell styles are passed on)."""

    def __init__(self, data, *args, font: str | None = None, **kw) -> None:  # type: ignore[no-untyped-def]
        super().__init__(data, *args, **kw)
        if font is not None:
            self.setStyle([("FONTNAME", (0, 0), (-1, -1), font)])


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


class KeepWithNext(CondPageBreak):
    """A page break before a heading unless the heading and the start of what follows it fit:
    a heading never sits alone at the foot of a page.

    "The start" is all of a follower that cannot split (a chart, a kept-together group) and at
    most ``SPLIT_START`` of one that can (a table, a paragraph: a few rows or lines), and at
    least the room the follower asks for itself (its own conditional break). Headings that
    follow one another ("MAP", then "MAP 1: ...", then the entry MAP 1.1) are kept together
    with the start of what follows the last of them."""

    SPLIT_START = 22 * mm

    def __init__(
        self,
        height: float,
        heading: Flowable | Sequence[Flowable],
        follower: Flowable,
        room: float = 0.0,
    ) -> None:
        super().__init__(height)
        self.base = height
        self.headings = [heading] if isinstance(heading, Flowable) else list(heading)
        self.heading = self.headings[0]
        self.follower = follower
        self.room = room

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        need = 0.0
        for n, heading in enumerate(self.headings):
            _w, head = heading.wrapOn(self.canv, availWidth, availHeight)
            need += head + heading.getSpaceAfter() + (heading.getSpaceBefore() if n else 0)
        _w, body = self.follower.wrapOn(self.canv, availWidth, availHeight)
        if isinstance(self.follower, KeepTogether):
            # Its wrap answers "too tall" to have itself split; its height is kept aside.
            body = getattr(self.follower, "_H", body)
        elif isinstance(self.follower, (Table, Paragraph)):
            body = min(body, self.SPLIT_START)
        need += self.follower.getSpaceBefore() + max(body, self.room)
        self.height = max(self.base, need)
        return super().wrap(availWidth, availHeight)


def keep_headings_with_next(story: list[Flowable]) -> list[Flowable]:
    """Each heading's conditional page break (as ``Kit.h2`` and ``Kit.h3`` make them) turned
    into a ``KeepWithNext`` that knows the heading, any headings right after it, and what
    follows them (past zero-size marks and the follower's own conditional break)."""
    out = list(story)
    for i in range(len(out) - 2):
        brk, heading = out[i], out[i + 1]
        if type(brk) is not CondPageBreak or not isinstance(heading, Heading):
            continue
        headings: list[Flowable] = [heading]
        room = 0.0
        follower: Flowable | None = None
        for item in out[i + 2 :]:
            if isinstance(item, PageBreak):
                break
            if type(item) is CondPageBreak or isinstance(item, (KeepWithNext, EntryMark)):
                if isinstance(item, CondPageBreak):
                    room = max(room, item.height if type(item) is CondPageBreak else item.base)
                continue
            if isinstance(item, Heading):
                headings.append(item)
                continue
            follower = item
            break
        if follower is not None:
            out[i] = KeepWithNext(brk.height, headings, follower, room)
    return out


class EntryMark(Flowable):
    """Marks where an entry (an appendix subcategory) starts (``label`` set) or ends (None):
    a page that begins inside an entry shows "<label> (continued)" below its running head."""

    def __init__(self, label: str | None) -> None:
        super().__init__()
        self.label = label

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc = getattr(self.canv, "_doctemplate", None)
        if isinstance(doc, ReportDocument):
            doc.continued = self.label


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
        self.number(next(Contents._ids))
        self.level_styles = list(level_styles)
        self.entries: list[TocEntry] = []
        self.placed: dict[str, tuple[int, float]] = {}  # key -> (level, room for dots + number)
        self._table: Table | None = None
        self._avail = 0.0

    def number(self, n: int) -> None:
        """Name its callback and forms after ``n``: unique per canvas, and the same in every
        build of the same story (``ReportDocument.build`` numbers them 1, 2, ...), so that the
        file's bytes do not depend on how many reports the process made before."""
        self._id = n
        self._callback = f"contentsEntryEnd{n}"

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
        return FontTable(
            rows, colWidths=(avail,), style=table_style, font=self.level_styles[0].fontName
        )

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
    """A canvas that calls ``before_save`` (to define the forms) before writing the PDF, and
    whose text objects give shaped words back as written (``textlayer.TextLayerObject``)."""

    before_save: Callable[[Canvas], None] | None = None

    def beginText(  # noqa: N802 (ReportLab's name)
        self, x: float = 0, y: float = 0, direction: str | None = None
    ) -> TextLayerObject:
        return TextLayerObject(self, x, y, direction=direction)

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        if self.before_save is not None:
            self.before_save(self)
        super().save()


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (shown by viewers in their attachments panel)."""

    name: str  # the file name offered on saving it
    data: bytes
    mime: str  # e.g. "application/json"
    description: str


class _Stamp:
    """ReportLab's TimeStamp for a given instant (UTC): the PDF's creation and change date
    is the report's stated generation time, not the moment the bytes were written."""

    def __init__(self, when: dt.datetime) -> None:
        utc = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
        self.t = utc.timestamp()
        self.lt = utc.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"
        self.datetime = utc
        self.asctime = utc.strftime("%a %b %d %H:%M:%S %Y")


def embed_files(canvas: Canvas, files: Iterable[Attachment]) -> None:
    """Attach ``files`` to the document (catalog /Names /EmbeddedFiles, PDF 1.7 section 7.11),
    with ReportLab's own PDF objects so that the bytes are written once, in the same pass."""
    doc = canvas._doc
    names: list[object] = []
    for f in sorted(files, key=lambda f: f.name):
        stream = pdfdoc.PDFStream(
            pdfdoc.PDFDictionary(
                {
                    "Type": pdfdoc.PDFName("EmbeddedFile"),
                    "Subtype": pdfdoc.PDFName(f.mime.replace("/", "#2F")),
                    "Params": pdfdoc.PDFDictionary({"Size": len(f.data)}),
                }
            ),
            content=f.data,
            filters=[pdfdoc.PDFZCompress],
        )
        spec = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Filespec"),
                "F": pdfdoc.PDFString(f.name),
                "UF": pdfdoc.PDFString(f.name),
                "Desc": pdfdoc.PDFString(f.description),
                "AFRelationship": pdfdoc.PDFName("Source"),
                "EF": pdfdoc.PDFDictionary({"F": doc.Reference(stream)}),
            }
        )
        names += [pdfdoc.PDFString(f.name), doc.Reference(spec)]
    if names:
        tree = pdfdoc.PDFDictionary({"Names": pdfdoc.PDFArray(names)})
        doc.Catalog.Names = pdfdoc.PDFDictionary({"EmbeddedFiles": tree})


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
        generated_at: dt.datetime | None = None,
        attachments: tuple[Attachment, ...] = (),
        lang: str = "en",
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
            # Invariant: no wall-clock time or random id in the file, so the same data and the
            # same stated generation time give the same bytes (a file hash can be evidence).
            invariant=1,
            lang=lang,
            displayDocTitle=1,
            # Else every page starts in Helvetica, a font referenced but never embedded.
            initialFontName=fonts.regular,
        )
        self.generated_at = generated_at
        self.attachments = attachments
        self.continued: str | None = None  # the entry a new page continues (EntryMark)
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
        for n, contents in enumerate(self._contents, 1):
            contents.number(n)
            contents.entries, contents.placed = entries, {}
        self.heading_pages = {}
        self.pages_laid_out = 0
        self.continued = None
        kw.setdefault("canvasmaker", _FinishingCanvas)
        super().build(flowables, **kw)

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        if isinstance(self.canv, _FinishingCanvas):
            self.canv.before_save = self._define_forms
        if self.generated_at is not None:
            self.canv._doc._timeStamp = _Stamp(self.generated_at)
        self.canv.showOutline()  # the bookmarks panel opens with the file

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
        embed_files(canv, self.attachments)

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
        canv.setFillColor(ACCENT)
        label_w = self._line(canv, self.decor.label.upper(), bold, 8, right, top, 60 * mm, True)
        draft_text = "DRAFT" if self.decor.draft else ""
        draft_w = stringWidth(draft_text + "  ", bold, 8) if draft_text else 0
        if draft_text:
            canv.setFont(bold, 8)
            canv.setFillColor(DRAFT)
            canv.drawRightString(right - label_w - 4 * mm, top, draft_text)
        canv.setFillColor(MUTED)
        room = right - left - label_w - draft_w - 12 * mm
        self._line(canv, self.decor.title, regular, 8, left, top, room)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        canv.line(left, FOOTER_Y + 4 * mm, right, FOOTER_Y + 4 * mm)
        if self.continued:
            # Below the running head, above the frame: the entry this page goes on with.
            canv.setFillColor(ACCENT)
            text = f"{self.continued} (continued)"
            self._line(canv, text, bold, 8.5, left, top - 7.5 * mm, right - left)
        canv.restoreState()
        # The footer text ("Page x of y") is a form defined once the page count is known.
        number = canv.getPageNumber()
        self.pages_laid_out = max(self.pages_laid_out, number)
        canv.doForm(self._footer_form(number))

    def _draw_footer(self, canv: Canvas, number: int, total: int) -> None:
        width, _height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        regular = self.fonts.regular
        canv.setFillColor(MUTED)
        page_text = f"Page {number} of {total}"
        footer_left = f"{self.decor.label} · {self.decor.footer_note}"
        if self.decor.draft:
            footer_left = f"DRAFT · {footer_left}"
        room = right - left - stringWidth(page_text, regular, 7.5) - 10 * mm
        self._line(canv, f"{self.decor.title} · {footer_left}", regular, 7.5, left, FOOTER_Y, room)
        canv.setFont(regular, 7.5)
        canv.drawRightString(right, FOOTER_Y, page_text)

    def _drawable(self, text: str, font: str) -> str:
        return substitute_missing(text, self.fonts.coverage(font))[0]

    def _line(
        self,
        canv: Canvas,
        text: str,
        font: str,
        size: float,
        x: float,
        y: float,
        room: float,
        right: bool = False,
    ) -> float:
        """Draw one line of user text at (x, y) (its end at x when ``right``), each run in a
        face that has its glyphs, complex scripts shaped, cut with an ellipsis to ``room``.
        Returns the width drawn."""
        pieces = fitted_pieces(text, self.fonts, font, size, room)
        width = sum(w for _f, _s, w in pieces)
        at = x - width if right else x
        for face, piece, w in pieces:
            canv.setFont(face, size)
            canv.drawString(at, y, piece)
            at += w
        return width


def fitted_pieces(
    text: str, fonts: FontSet, font: str, size: float, room: float
) -> list[tuple[str, str, float]]:
    """``line_pieces`` of ``text``, cut with an ellipsis to at most ``room`` points wide."""
    pieces = line_pieces(text, fonts, font, size)
    while pieces and sum(w for _f, _s, w in pieces) > room and len(text) > 1:
        text = text[:-2].rstrip() + "…"
        pieces = line_pieces(text, fonts, font, size)
    return pieces


def line_pieces(text: str, fonts: FontSet, font: str, size: float) -> list[tuple[str, str, float]]:
    """One line of user text as (face, string, width) pieces to draw left to right: spaces
    collapsed, right-to-left words in visual order, each run in a face that has its glyphs
    (code points for what none has), complex scripts shaped (HarfBuzz)."""
    value = " ".join(text.split())
    if needs_shaping(value):
        value = visual_word_order(value)
    bold = font == fonts.bold
    fallbacks = [
        (fb.bold if bold else fb.regular, fb.coverage, fb.prefers) for fb in fonts.fallbacks
    ]
    runs, _missing = font_runs(value, font, fonts.coverage(font), fallbacks, fonts.preferred)
    out: list[tuple[str, str, float]] = []
    for face, piece in runs:
        if needs_shaping(piece) and getFont(face).shapable:
            for word in re.split(r"( )", piece):  # shaped word by word, as a paragraph is
                if not word:
                    continue
                shaped = shape_word(word, face, size)
                data = getattr(shaped, "__shapeData__", None)
                width = (
                    sum(d.x_advance for d in data) * size / 1000
                    if data
                    else stringWidth(word, face, size)
                )
                out.append((face, shaped, width))
        else:
            out.append((face, piece, stringWidth(piece, face, size)))
    return out


def _draft_watermark(canv: Canvas, width: float, height: float, font: str) -> None:
    """The word DRAFT across the page, drawn as glyph outlines (a path, not text), so that it
    stays out of the text layer: copying or extracting the text never yields it."""
    size = 110
    outline, advance = _outline(getFont(font).face.filename, "DRAFT")
    canv.saveState()
    canv.setFillColor(DRAFT)
    canv.setFillAlpha(0.09)
    canv.translate(width / 2, height / 2)
    canv.rotate(50)
    canv.translate(-advance * size / 2000, -38)
    canv.scale(size / 1000, size / 1000)
    path = canv.beginPath()
    for op, args in outline:
        getattr(path, op)(*args)
    canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


@lru_cache(maxsize=4)
def _outline(font_file: str, text: str) -> tuple[tuple[tuple[str, tuple[float, ...]], ...], float]:
    """Path operations of ``text`` in ``font_file`` at 1000 units per em, and its advance.

    Quadratic TrueType curves become the cubic ones a PDF path has (fontTools' Cu2Qu in
    reverse: a standard conversion)."""
    from fontTools.pens.basePen import BasePen
    from fontTools.ttLib import TTFont as FontFile

    font = FontFile(font_file, lazy=True)
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    scale = 1000 / font["head"].unitsPerEm
    ops: list[tuple[str, tuple[float, ...]]] = []

    class Pen(BasePen):  # type: ignore[misc]
        dx = 0.0

        def _p(self, pt: tuple[float, float]) -> tuple[float, float]:
            return ((pt[0] + self.dx) * scale, pt[1] * scale)

        def _moveTo(self, pt: tuple[float, float]) -> None:
            ops.append(("moveTo", self._p(pt)))

        def _lineTo(self, pt: tuple[float, float]) -> None:
            ops.append(("lineTo", self._p(pt)))

        def _curveToOne(self, p1, p2, p3) -> None:  # type: ignore[no-untyped-def]
            ops.append(("curveTo", (*self._p(p1), *self._p(p2), *self._p(p3))))

        def _closePath(self) -> None:
            ops.append(("close", ()))

    pen = Pen(glyphs)
    for ch in text:
        glyph = glyphs[cmap[ord(ch)]]
        glyph.draw(pen)
        pen.dx += glyph.width
    return tuple(ops), pen.dx * scale


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
