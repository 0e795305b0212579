"""The report's look: colours (readable in grayscale), paragraph styles and table styles."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from app.reporting.fonts import FontSet

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5a5a5a")
ACCENT = colors.HexColor("#1f3a5f")  # headings, table heads, the "current" series
ACCENT_LIGHT = colors.HexColor("#e8eef5")
RULE = colors.HexColor("#b9c3cf")
ZEBRA = colors.HexColor("#f4f6f8")
TARGET = colors.HexColor("#9aa5b1")
WARN = colors.HexColor("#b3541e")
DRAFT = colors.HexColor("#c0392b")

# ColorBrewer YlGnBu, the same as the app's dashboard: sequential (light = low, dark = high), so
# the order survives grayscale printing; the level number is printed on top of every colour.
LEVEL_COLORS: dict[int, colors.Color] = {
    1: colors.HexColor("#ffffcc"),
    2: colors.HexColor("#a1dab4"),
    3: colors.HexColor("#41b6c4"),
    4: colors.HexColor("#2b7bb3"),  # as the window (ui/style.py): white text 4.58:1
    5: colors.HexColor("#253494"),
}
NA_COLOR = colors.HexColor("#d9d9d9")
UNANSWERED_COLOR = colors.white
CELL_PAD_X = 3  # the left and right padding of the cells of data and label/value tables


def text_on(fill: colors.Color) -> colors.Color:
    """Black or white, whichever reads better on ``fill``."""
    luminance = 0.2126 * fill.red + 0.7152 * fill.green + 0.0722 * fill.blue
    return colors.black if luminance > 0.5 else colors.white


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    body: ParagraphStyle
    body_tight: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    official: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    page_title: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    bullet: ParagraphStyle
    finding: ParagraphStyle  # a key finding beside the radar chart on page 1
    kpi_value: ParagraphStyle
    kpi_label: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]
    note: ParagraphStyle
    label: ParagraphStyle


def build_styles(fonts: FontSet) -> Styles:
    regular, bold, italic = fonts.regular, fonts.bold, fonts.italic
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=9.5, leading=13.2, textColor=INK, spaceAfter=5
    )
    cell = ParagraphStyle("cell", fontName=regular, fontSize=7.8, leading=9.6, textColor=INK)
    head = ParagraphStyle(
        "head", parent=cell, fontName=bold, textColor=colors.white, fontSize=7.6, leading=9.4
    )
    h1 = ParagraphStyle(
        "h1",
        fontName=bold,
        fontSize=17,
        leading=21,
        textColor=ACCENT,
        spaceBefore=16,  # dropped at the top of a page; separates sections sharing one
        spaceAfter=8,
        # Not keepWithNext: with a long table after it, ReportLab would move both to the next
        # page. Headings are preceded by a CondPageBreak instead.
        keepWithNext=0,
    )
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10.4, spaceAfter=3)
    styles = Styles(
        fonts=fonts,
        label=ParagraphStyle(
            "label", parent=small, fontName=bold, spaceBefore=5, spaceAfter=2, keepWithNext=1
        ),
        body=body,
        body_tight=ParagraphStyle("body_tight", parent=body, spaceAfter=2),
        small=small,
        muted=ParagraphStyle(
            "muted", parent=body, fontSize=8, leading=10.4, textColor=MUTED, spaceAfter=3
        ),
        official=ParagraphStyle(
            "official",
            parent=body,
            fontName=italic,
            leftIndent=8,
            borderPadding=(3, 0, 3, 6),
            spaceBefore=2,
            spaceAfter=6,
        ),
        h1=h1,
        h2=ParagraphStyle(
            "h2",
            parent=h1,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
        ),
        h3=ParagraphStyle(
            "h3",
            parent=h1,
            fontSize=10,
            leading=13,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=3,
        ),
        cover_title=ParagraphStyle(
            "cover_title", parent=h1, fontSize=24, leading=30, spaceAfter=6, keepWithNext=0
        ),
        page_title=ParagraphStyle(
            "page_title", parent=h1, fontSize=19, leading=23, spaceBefore=2, spaceAfter=3
        ),
        cover_subtitle=ParagraphStyle(
            "cover_subtitle", parent=body, fontSize=13, leading=17, textColor=MUTED
        ),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=bold),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        head=head,
        head_right=ParagraphStyle("head_right", parent=head, alignment=TA_RIGHT),
        bullet=ParagraphStyle(
            "bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=2, fontSize=9
        ),
        finding=ParagraphStyle(
            "finding",
            parent=body,
            leftIndent=9,
            bulletIndent=0,
            spaceAfter=2,
            fontSize=8.3,
            leading=10.6,
        ),
        kpi_value=ParagraphStyle(
            "kpi_value", fontName=bold, fontSize=16, leading=19, textColor=ACCENT
        ),
        kpi_label=ParagraphStyle(
            "kpi_label", fontName=regular, fontSize=7.8, leading=9.8, textColor=MUTED
        ),
        toc=(
            ParagraphStyle(
                "toc0",
                fontName=bold,
                fontSize=10,
                leading=15,
                leftIndent=0,
                firstLineIndent=0,
                textColor=INK,
            ),
            ParagraphStyle(
                "toc1",
                fontName=regular,
                fontSize=9,
                leading=12.5,
                leftIndent=14,
                firstLineIndent=0,
                textColor=INK,
            ),
        ),
        note=ParagraphStyle(
            "note",
            parent=body,
            fontSize=8.5,
            leading=11.5,
            textColor=INK,
            alignment=TA_LEFT,
            spaceAfter=3,
        ),
    )
    # Bullets are drawn in their own font, Helvetica unless told: referenced, never embedded.
    for value in vars(styles).values():
        for style in value if isinstance(value, tuple) else (value,):
            if isinstance(style, ParagraphStyle):
                style.bulletFontName = regular
    return styles


def grid_style(header_rows: int = 1, zebra: bool = True, n_rows: int = 0) -> TableStyle:
    """Plain data table: shaded head row, light rules, zebra stripes."""
    cmds: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), 2.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    if zebra:
        for row in range(header_rows, n_rows):
            if (row - header_rows) % 2 == 1:
                cmds.append(("BACKGROUND", (0, row), (-1, row), ZEBRA))
    return TableStyle(cmds)


ALIGN_RIGHT = TA_RIGHT
