"""Building blocks the sections use: escaped paragraphs, headings, tables sized to the page."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.numbers import format_percent, format_score
from app.reporting.document import FontTable, Heading, KeySequence, Para
from app.reporting.styles import ACCENT_LIGHT, CELL_PAD_X, RULE, Styles, grid_style
from app.reporting.text import (
    chunks,
    clip,
    font_runs,
    keep_spacing,
    needs_shaping,
    substitute_missing,
    xml_escape,
)

Cell = str | Flowable


class Kit:
    """Helpers bound to one render: styles, the frame size and the bookmark keys."""

    def __init__(self, styles: Styles, width: float, height: float) -> None:
        self.s = styles
        self.width = width
        self.height = height
        self.keys = KeySequence()
        self.missing_glyphs = 0
        self._bold_right = ParagraphStyle("br", parent=styles.cell_bold, alignment=TA_RIGHT)
        self._shaped: dict[str, ParagraphStyle] = {}

    # -- text ---------------------------------------------------------------------------------
    def t(self, text: str, font: str | None = None) -> str:
        """Any text that is not our own markup, made safe: each run of characters in a face
        that can draw it (``<font face>``; code points for what none can), spacing kept, XML
        escaped (see ``text``)."""
        return self._markup(text, font)[0]

    def _markup(self, text: str, font: str | None = None) -> tuple[str, bool]:
        """The markup of ``t`` and whether it needs a face other than ``font``."""
        fonts = self.s.fonts
        font = font or fonts.regular
        bold = font == fonts.bold
        # Right-to-left words stay in logical order: each line is put in visual order when
        # the paragraph is drawn (document.Para), after it is broken into lines.
        value = keep_spacing(text)
        fallbacks = [
            (fb.bold if bold else fb.regular, fb.coverage, fb.prefers) for fb in fonts.fallbacks
        ]
        runs, missing = font_runs(value, font, fonts.coverage(font), fallbacks, fonts.preferred)
        self.missing_glyphs += missing
        parts = []
        for face, piece in runs:
            escaped = xml_escape(piece).replace("\n", "<br/>")
            parts.append(escaped if face == font else f'<font face="{face}">{escaped}</font>')
        return "".join(parts), any(face != font for face, _p in runs)

    def _drawable(self, text: str, font: str | None = None) -> str:
        value, missing = substitute_missing(text, self.s.fonts.coverage(font))
        self.missing_glyphs += missing
        return value

    def shaped(self, markup: str, style: ParagraphStyle) -> ParagraphStyle:
        """``style``, shaped (HarfBuzz) when ``markup`` holds complex-script letters."""
        if not needs_shaping(markup):
            return style
        found = self._shaped.get(style.name)
        if found is None:
            found = ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)
            self._shaped[style.name] = found
        return found

    def p(
        self, text: str, style: ParagraphStyle | None = None, bullet: str | None = None
    ) -> Paragraph:
        """A paragraph of plain (escaped) text."""
        style = style or self.s.body
        markup = self.t(text, style.fontName)
        return Para(markup, self.shaped(markup, style), bulletText=bullet)

    def m(
        self, markup: str, style: ParagraphStyle | None = None, bullet: str | None = None
    ) -> Paragraph:
        """A paragraph of our own markup (interpolated values must come through ``t``)."""
        style = style or self.s.body
        return Para(markup, self.shaped(markup, style), bulletText=bullet)

    def long_text(self, text: str, style: ParagraphStyle | None = None) -> list[Flowable]:
        """User text of any length as written (see ``text.chunks``), as paragraphs that split
        across pages cheaply."""
        style = style or self.s.body
        joined = ParagraphStyle(f"{style.name}-joined", parent=style, spaceAfter=0)
        return [self.p(part, style if ends else joined) for part, ends in chunks(text)]

    def clipped(
        self,
        text: str,
        limit: int,
        style: ParagraphStyle | None = None,
        more: str = "",
        bullet: str | None = None,
    ) -> Paragraph:
        """At most ``limit`` characters, then a note of how many were left out."""
        style = style or self.s.body
        value, left = clip(text, limit)
        markup = self.t(value, style.fontName)
        if left:
            where = f" {more}" if more else ""
            markup += f' <font color="#5a5a5a">({left:,} more characters{where})</font>'
        return Para(markup, self.shaped(markup, style), bulletText=bullet)

    # -- headings -----------------------------------------------------------------------------
    def h1(self, text: str, toc: bool = True) -> list[Flowable]:
        return [
            Heading(
                (markup := self.t(text, self.s.h1.fontName)),
                self.shaped(markup, self.s.h1),
                plain=text,
                key=self.keys.next(),
                toc_level=0 if toc else None,
                outline_level=0,
            )
        ]

    def h2(
        self, text: str, toc_level: int | None = None, outline_level: int | None = None
    ) -> list[Flowable]:
        return [
            CondPageBreak(50 * 2.8346),
            Heading(
                (markup := self.t(text, self.s.h2.fontName)),
                self.shaped(markup, self.s.h2),
                plain=text,
                key=self.keys.next() if outline_level is not None or toc_level is not None else "",
                toc_level=toc_level,
                outline_level=outline_level,
            ),
        ]

    def h3(
        self, text: str, outline_level: int | None = None, room_mm: float = 30
    ) -> list[Flowable]:
        return [
            CondPageBreak(room_mm * 2.8346),
            Heading(
                (markup := self.t(text, self.s.h3.fontName)),
                self.shaped(markup, self.s.h3),
                plain=text,
                key=self.keys.next() if outline_level is not None else "",
                outline_level=outline_level,
            ),
        ]

    def gap(self, mm_: float = 3) -> Spacer:
        return Spacer(1, mm_ * 2.8346)

    # -- tables -------------------------------------------------------------------------------
    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        fractions: Sequence[float],
        right: Sequence[int] = (),
        bold_rows: Sequence[int] = (),
        extra: Sequence[tuple[object, ...]] = (),
        width: float | None = None,
        auto: Sequence[int] = (),
    ) -> Table:
        """A data table with a repeated header row; plain strings become cells (``_cell``).

        Columns in ``auto`` are as wide as their longest single-line content (ids, numbers,
        dates); the others share the rest of the width by ``fractions``.
        """
        avail = self.width if width is None else width
        fixed = {i: self._content_width(header[i], [r[i] for r in rows]) for i in auto}
        if len(fixed) == len(fractions) and sum(fixed.values()) <= avail:
            slack = (avail - sum(fixed.values())) / len(fixed)
            fixed = {i: w + slack for i, w in fixed.items()}
        elif sum(fixed.values()) > avail * 0.75:
            fixed = {}  # content too wide to size by: share the width by fractions instead
        flexible = [f for i, f in enumerate(fractions) if i not in fixed]
        rest = avail - sum(fixed.values())
        total = sum(flexible) or 1.0
        widths = [fixed[i] if i in fixed else rest * f / total for i, f in enumerate(fractions)]
        s = self.s
        heads = [s.head_right if i in right else s.head for i in range(len(header))]
        data: list[list[Cell]] = [
            [self._cell(h, heads[i], widths[i]) for i, h in enumerate(header)]
        ]
        for r, row in enumerate(rows):
            cells: list[Cell] = []
            for i, value in enumerate(row):
                if isinstance(value, str):
                    style = s.cell_right if i in right else s.cell
                    if r in bold_rows:
                        style = s.cell_bold
                        if i in right:
                            style = self._bold_right
                    cells.append(self._cell(value, style, widths[i]))
                else:
                    cells.append(value)
            data.append(cells)
        # splitInRow: a row taller than a page (very long user text) splits instead of failing.
        table = FontTable(
            data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1, font=s.fonts.regular
        )
        style = grid_style(1, True, len(data))
        # How the cells given as plain strings are drawn: as their paragraph style would.
        _text_style(style, (0, 1), (-1, -1), s.cell)
        _text_style(style, (0, 0), (-1, 0), s.head)
        for r in bold_rows:
            style.add("FONTNAME", (0, r + 1), (-1, r + 1), s.cell_bold.fontName)
        for i in right:
            style.add("ALIGN", (i, 0), (i, -1), "RIGHT")
        for cmd in extra:
            style.add(*cmd)
        table.setStyle(style)
        return table

    def _cell(self, text: str, style: ParagraphStyle, width: float) -> Cell:
        """A cell of a ``width`` wide column showing ``text`` as a paragraph in ``style`` would.

        Text the paragraph would set as one line is given as a plain string, which the table
        draws where the paragraph's line would be (same font, size, colour, baseline and
        alignment: see ``_text_style``) at a fraction of the cost, with no markup parsing and no
        line breaking at every wrap. Anything else (a line break, a special space, a soft
        hyphen, text that needs more than one line, no text) stays a paragraph.
        """
        missing = self.missing_glyphs
        markup, other_faces = self._markup(text, style.fontName)
        # No line breaks, tabs or spaces other than single U+0020 between words (text with
        # runs of spaces or indentation is kept as written by the paragraph), and one face
        # that has every glyph.
        plain = not other_faces and self.missing_glyphs == missing
        if plain and text.isprintable() and text == " ".join(text.split()):
            room = width - 2 * CELL_PAD_X - 0.01
            if text and stringWidth(text, style.fontName, style.fontSize) <= room:
                return text
        return Para(markup, self.shaped(markup, style))

    def _content_width(self, head: str, cells: Sequence[Cell]) -> float:
        fonts, cell, hd = self.s.fonts, self.s.cell, self.s.head
        widest = stringWidth(head, fonts.bold, hd.fontSize)
        for value in cells:
            if isinstance(value, str):
                widest = max(widest, stringWidth(value, fonts.bold, cell.fontSize))
        return widest + 6.5  # the cell's left and right padding

    def kv(self, pairs: Sequence[tuple[str, Cell]], label_fraction: float = 0.26) -> Table:
        """Label/value rows (cover details, appendix facts)."""
        lw = self.width * label_fraction
        s, vw = self.s, self.width - lw
        data = [
            [
                self._cell(k, s.cell_bold, lw),
                self._cell(v, s.cell, vw) if isinstance(v, str) else v,
            ]
            for k, v in pairs
        ]
        table = FontTable(
            data, colWidths=[lw, vw], hAlign="LEFT", splitInRow=1, font=s.fonts.regular
        )
        style = TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ]
        )
        _text_style(style, (0, 0), (0, -1), s.cell_bold)
        _text_style(style, (1, 0), (1, -1), s.cell)
        table.setStyle(style)
        return table

    def box(self, flowables: Sequence[Flowable], background: colors.Color = ACCENT_LIGHT) -> Table:
        """A shaded box around a few flowables (notices, empty-state explanations)."""
        table = FontTable(
            [[list(flowables)]], colWidths=[self.width], hAlign="LEFT", font=self.s.fonts.regular
        )
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), background),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return table

    def keep(self, flowables: Sequence[Flowable]) -> KeepTogether:
        return KeepTogether(list(flowables))


def _text_style(
    table_style: TableStyle, start: tuple[int, int], end: tuple[int, int], style: ParagraphStyle
) -> None:
    """Plain string cells in ``start``..``end`` drawn in the font and colour of ``style``."""
    table_style.add("FONT", start, end, style.fontName, style.fontSize, style.leading)
    table_style.add("TEXTCOLOR", start, end, style.textColor)


def pct(value: float) -> str:
    """A completion fraction as printed on every surface (``numbers.format_percent``)."""
    return format_percent(value)


def score_text(value: float | None) -> str:
    """A score or target as printed on every surface (``numbers.format_score``)."""
    return format_score(value)


def gap_text(value: float | None) -> str:
    """A gap as printed on every surface: the same rule as scores (``numbers.format_score``)."""
    return format_score(value)
