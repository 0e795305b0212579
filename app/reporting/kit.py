"""Building blocks the sections use: escaped paragraphs, headings, tables sized to the page."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
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

from app.domain.rating import format_score
from app.reporting.document import Heading, KeySequence
from app.reporting.styles import ACCENT_LIGHT, RULE, Styles, grid_style
from app.reporting.text import chunks, clip, escape, substitute_missing

Cell = str | Flowable


class Kit:
    """Helpers bound to one render: styles, the frame size and the bookmark keys."""

    def __init__(self, styles: Styles, width: float, height: float) -> None:
        self.s = styles
        self.width = width
        self.height = height
        self.keys = KeySequence()
        self.missing_glyphs = 0

    # -- text ---------------------------------------------------------------------------------
    def t(self, text: str, font: str | None = None) -> str:
        """Any text that is not our own markup, made safe: code points for characters the font
        (default: the regular face) cannot draw, then XML escaping."""
        return escape(self._drawable(text, font))

    def _drawable(self, text: str, font: str | None = None) -> str:
        value, missing = substitute_missing(text, self.s.fonts.coverage(font))
        self.missing_glyphs += missing
        return value

    def p(
        self, text: str, style: ParagraphStyle | None = None, bullet: str | None = None
    ) -> Paragraph:
        """A paragraph of plain (escaped) text."""
        style = style or self.s.body
        return Paragraph(self.t(text, style.fontName), style, bulletText=bullet)

    def m(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of our own markup (interpolated values must come through ``t``)."""
        return Paragraph(markup, style or self.s.body)

    def long_text(self, text: str, style: ParagraphStyle | None = None) -> list[Flowable]:
        """Text of any length as several paragraphs that split across pages cheaply."""
        return [self.p(part, style) for part in chunks(text)]

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
        value, left = clip(self._drawable(text, style.fontName), limit)
        markup = escape(value)
        if left:
            where = f" {more}" if more else ""
            markup += f' <font color="#5a5a5a">({left:,} more characters{where})</font>'
        return Paragraph(markup, style, bulletText=bullet)

    # -- headings -----------------------------------------------------------------------------
    def h1(self, text: str, toc: bool = True) -> list[Flowable]:
        return [
            Heading(
                self.t(text, self.s.h1.fontName),
                self.s.h1,
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
                self.t(text, self.s.h2.fontName),
                self.s.h2,
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
                self.t(text, self.s.h3.fontName),
                self.s.h3,
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
        """A data table with a repeated header row; plain strings are escaped into cells.

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
        data: list[list[Cell]] = [
            [
                Paragraph(
                    self.t(h, self.s.fonts.bold), self.s.head_right if i in right else self.s.head
                )
                for i, h in enumerate(header)
            ]
        ]
        for r, row in enumerate(rows):
            cells: list[Cell] = []
            for i, value in enumerate(row):
                if isinstance(value, str):
                    style = self.s.cell_right if i in right else self.s.cell
                    if r in bold_rows:
                        style = self.s.cell_bold
                        if i in right:
                            style = ParagraphStyle("br", parent=self.s.cell_bold, alignment=2)
                    cells.append(Paragraph(self.t(value, style.fontName), style))
                else:
                    cells.append(value)
            data.append(cells)
        # splitInRow: a row taller than a page (very long user text) splits instead of failing.
        table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
        style = grid_style(1, True, len(data))
        for cmd in extra:
            style.add(*cmd)
        table.setStyle(style)
        return table

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
        data = [
            [
                Paragraph(self.t(k, self.s.fonts.bold), self.s.cell_bold),
                Paragraph(self.t(v), self.s.cell) if isinstance(v, str) else v,
            ]
            for k, v in pairs
        ]
        table = Table(data, colWidths=[lw, self.width - lw], hAlign="LEFT", splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ]
            )
        )
        return table

    def box(self, flowables: Sequence[Flowable], background: colors.Color = ACCENT_LIGHT) -> Table:
        """A shaded box around a few flowables (notices, empty-state explanations)."""
        table = Table([[list(flowables)]], colWidths=[self.width], hAlign="LEFT")
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


def pct(value: float) -> str:
    return f"{value:.0%}"


def score_text(value: float | None) -> str:
    return format_score(value)


def gap_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
