"""Vector charts (reportlab.graphics): radar of the functions, category bars, trend lines and
the heat map. Every value is also printed as a number, and series differ by dash and marker, so
the charts read in grayscale."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Polygon,
    PolyLine,
    Rect,
    String,
)
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.units import mm
from reportlab.lib.validators import isString
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.domain.numbers import format_score
from app.domain.report import SubcategoryEntry, TrendRow
from app.reporting.document import fitted_pieces
from app.reporting.fonts import FontSet
from app.reporting.styles import (
    ACCENT,
    INK,
    LEVEL_COLORS,
    MUTED,
    NA_COLOR,
    RULE,
    UNANSWERED_COLOR,
    WARN,
    text_on,
)
from app.reporting.textlayer import drawn_letters

SCALE_MIN = 1.0
SCALE_MAX = 5.0


def _target_tick(d: Drawing, x: float, y0: float, y1: float) -> None:
    """The target mark: black on a white edge, so it shows in grayscale on any fill."""
    d.add(Line(x, y0, x, y1, strokeColor=colors.white, strokeWidth=3.2))
    d.add(Line(x, y0, x, y1, strokeColor=INK, strokeWidth=1.6))


@dataclass(frozen=True)
class Axis:
    label: str
    score: float | None
    target: float | None


def _fit(text: str, font: str, size: float, room: float) -> str:
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


class UserString(String):  # type: ignore[misc]
    """A piece of user text in a chart: ``text`` as drawn in the PDF (shaped glyphs where the
    script needs them), ``plain`` the same piece as written, for the raster copy (raster.py)."""

    _attrMap = AttrMap(BASE=String, plain=AttrMapValue(isString))

    def __init__(self, x: float, y: float, text: str, plain: str, **kw: object) -> None:
        super().__init__(x, y, text, **kw)
        self.plain = plain


def _user_line(
    d: Drawing,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    room: float,
    fonts: FontSet,
    color: colors.Color = INK,
) -> None:
    """One line of user text centred on ``x``, cut with an ellipsis to ``room``: each run in a
    face that has its glyphs, complex scripts shaped, right-to-left words in visual order, as
    the page header is (``document.line_pieces``)."""
    pieces = fitted_pieces(text, fonts, font, size, room)
    at = x - sum(w for _f, _s, w in pieces) / 2
    for face, piece, width in pieces:
        d.add(
            UserString(
                at,
                y,
                piece,
                drawn_letters(face, piece),
                fontName=face,
                fontSize=size,
                fillColor=color,
            )
        )
        at += width


def _marker(kind: str, x: float, y: float, size: float, color: colors.Color) -> Group:
    g = Group()
    h = size / 2
    if kind == "circle":
        g.add(Circle(x, y, h, fillColor=color, strokeColor=colors.white, strokeWidth=0.5))
    elif kind == "square":
        g.add(Rect(x - h, y - h, size, size, fillColor=color, strokeColor=colors.white))
    elif kind == "triangle":
        g.add(Polygon([x - h, y - h, x + h, y - h, x, y + h], fillColor=color, strokeWidth=0))
    elif kind == "diamond":
        g.add(Polygon([x, y - h, x + h, y, x, y + h, x - h, y], fillColor=color, strokeWidth=0))
    else:  # cross
        g.add(Line(x - h, y - h, x + h, y + h, strokeColor=color, strokeWidth=1.2))
        g.add(Line(x - h, y + h, x + h, y - h, strokeColor=color, strokeWidth=1.2))
    return g


# -- radar ----------------------------------------------------------------------------------
def _drawing(width: float, height: float, fonts: FontSet) -> Drawing:
    """A Drawing whose rendering starts in the embedded font (ReportLab's graphics start in
    Helvetica, which the PDF would then reference without embedding it)."""
    d = Drawing(width, height)
    d.initialFontName = fonts.regular
    return d


def radar(axes: Sequence[Axis], width: float, fonts: FontSet) -> Drawing:
    """Spider chart on the fixed 1-5 scale (rings 1 to 5): current scores (filled) against
    targets (dashed); an unscored function is marked as such, never drawn at 0."""
    height = width * 0.78
    d = _drawing(width, height, fonts)
    cx, cy = width / 2, height / 2 + 4 * mm
    radius = min(width, height) * 0.33
    n = max(3, len(axes))
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]

    def point(i: int, value: float) -> tuple[float, float]:
        r = radius * max(0.0, min(SCALE_MAX, value)) / SCALE_MAX
        return cx + r * math.cos(angles[i]), cy + r * math.sin(angles[i])

    for ring in range(1, 6):
        pts: list[float] = []
        for i in range(n):
            pts.extend(point(i, ring))
        d.add(Polygon(pts, fillColor=None, strokeColor=RULE, strokeWidth=0.4))
        # Ring numbers on the edge between the first two axes, clear of the axis labels.
        (ax, ay), (bx, by) = point(0, ring), point(1, ring)
        d.add(
            String(
                (ax + bx) / 2 + 1.5,
                (ay + by) / 2 + 1.5,
                str(ring),
                fontName=fonts.regular,
                fontSize=5.5,
                fillColor=MUTED,
            )
        )
    for i in range(n):
        x, y = point(i, SCALE_MAX)
        d.add(Line(cx, cy, x, y, strokeColor=RULE, strokeWidth=0.4))
    # An unscored function is never drawn at 0 (the scale runs 1 to 5): the shapes join the
    # axes that have a value, and an unscored axis shows a hollow mark and "no score".
    target_pts = [c for i, a in enumerate(axes) if a.target is not None for c in point(i, a.target)]
    if len(target_pts) >= 4:
        d.add(
            Polygon(
                target_pts,
                fillColor=None,
                strokeColor=INK,
                strokeWidth=1,
                strokeDashArray=[3, 2],
            )
        )
    pts = [c for i, a in enumerate(axes) if a.score is not None for c in point(i, a.score)]
    fill = colors.Color(ACCENT.red, ACCENT.green, ACCENT.blue, alpha=0.22)
    if len(pts) >= 6:
        d.add(Polygon(pts, fillColor=fill, strokeColor=ACCENT, strokeWidth=1.6))
    elif len(pts) == 4:
        d.add(Line(*pts, strokeColor=ACCENT, strokeWidth=1.6))
    for i, a in enumerate(axes):
        if a.score is not None:
            d.add(_marker("circle", *point(i, a.score), 4, ACCENT))
        else:
            x, y = point(i, 1)
            d.add(Circle(x, y, 2.2, fillColor=colors.white, strokeColor=MUTED, strokeWidth=0.8))
    for i, a in enumerate(axes):
        x, y = point(i, SCALE_MAX * 1.16)
        cos = math.cos(angles[i])
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        score = "no score" if a.score is None else format_score(a.score)
        target = "" if a.target is None else f" / target {format_score(a.target)}"
        lines = [a.label, f"{score}{target}"]
        dy = 4 if math.sin(angles[i]) > 0.3 else (-8 if math.sin(angles[i]) < -0.3 else -2)
        d.add(
            String(
                x,
                y + dy,
                lines[0],
                fontName=fonts.bold,
                fontSize=8,
                textAnchor=anchor,
                fillColor=INK,
            )
        )
        d.add(
            String(
                x,
                y + dy - 9,
                lines[1],
                fontName=fonts.regular,
                fontSize=7,
                textAnchor=anchor,
                fillColor=MUTED,
            )
        )
    _legend(
        d,
        [("area", "Current score"), ("dash", "Target")],
        width / 2,
        3,
        fonts,
        centered=True,
    )
    return d


def _legend(
    d: Drawing,
    items: Sequence[tuple[str, str]],
    x: float,
    y: float,
    fonts: FontSet,
    centered: bool = False,
    styles: dict[str, tuple[colors.Color, list[float] | None, str]] | None = None,
) -> None:
    size = 7
    widths = [14 + stringWidth(label, fonts.regular, size) + 12 for _k, label in items]
    start = x - sum(widths) / 2 if centered else x
    for (kind, label), w in zip(items, widths, strict=True):
        if kind == "area":
            fill = colors.Color(ACCENT.red, ACCENT.green, ACCENT.blue, alpha=0.22)
            d.add(Rect(start, y, 10, 6, fillColor=fill, strokeColor=ACCENT, strokeWidth=1.2))
        elif kind == "dash":
            d.add(Line(start, y + 3, start + 10, y + 3, strokeColor=INK, strokeDashArray=[3, 2]))
        elif kind == "bar":
            d.add(Rect(start, y, 10, 6, fillColor=ACCENT, strokeWidth=0))
        elif kind == "tick":
            _target_tick(d, start + 5, y - 1, y + 7)
        elif styles and kind in styles:
            color, dash, marker = styles[kind]
            d.add(
                Line(
                    start,
                    y + 3,
                    start + 10,
                    y + 3,
                    strokeColor=color,
                    strokeWidth=1.2,
                    strokeDashArray=dash,
                )
            )
            d.add(_marker(marker, start + 5, y + 3, 4, color))
        d.add(String(start + 14, y, label, fontName=fonts.regular, fontSize=size, fillColor=INK))
        start += w


# -- category bars --------------------------------------------------------------------------
@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    target: float | None
    note: str  # shown instead of a bar when there is no score ("not rated", "all N/A")


def category_bars(bars: Sequence[Bar], width: float, fonts: FontSet) -> Drawing:
    """Horizontal bars on the 1-5 scale with the score printed and the target as a tick (black
    with a white edge: visible on the bar and beside it, in colour and in grayscale)."""
    row = 7.5 * mm
    label_w = 24 * mm
    right_pad = 16 * mm
    top_pad, bottom_pad = 3 * mm, 14 * mm
    height = top_pad + row * len(bars) + bottom_pad
    d = _drawing(width, height, fonts)
    x0, x1 = label_w, width - right_pad
    # The scale runs 1 to 5: a bar's length is its score's distance above the minimum, 1.
    scale = (x1 - x0) / (SCALE_MAX - SCALE_MIN)
    y_top = height - top_pad
    y_axis = bottom_pad
    for v in range(int(SCALE_MIN), int(SCALE_MAX) + 1):
        x = x0 + (v - SCALE_MIN) * scale
        d.add(Line(x, y_axis, x, y_top, strokeColor=RULE, strokeWidth=0.4))
        d.add(
            String(
                x,
                y_axis - 9,
                str(v),
                fontName=fonts.regular,
                fontSize=7,
                textAnchor="middle",
                fillColor=MUTED,
            )
        )
    for i, bar in enumerate(bars):
        y = y_top - (i + 1) * row
        mid = y + row / 2
        d.add(
            String(
                0,
                mid - 2.5,
                _fit(bar.label, fonts.bold, 7.5, label_w - 4),
                fontName=fonts.bold,
                fontSize=7.5,
                fillColor=INK,
            )
        )
        bar_y, bar_h = y + row * 0.2, row * 0.6
        if bar.target is not None:
            tx = x0 + (bar.target - SCALE_MIN) * scale
            _target_tick(d, tx, y + row * 0.04, y + row * 0.96)
        if bar.score is None:
            d.add(
                String(
                    x0 + 3, mid - 2.5, bar.note, fontName=fonts.italic, fontSize=7, fillColor=MUTED
                )
            )
            continue
        w = max(1.5, (bar.score - SCALE_MIN) * scale)
        d.add(Rect(x0, bar_y, w, bar_h, fillColor=ACCENT, strokeWidth=0))
        value = format_score(bar.score)
        if w > 14 * mm:  # the value inside the bar's end, clear of the target tick outside it
            d.add(
                String(
                    x0 + w - 3,
                    mid - 2.6,
                    value,
                    fontName=fonts.bold,
                    fontSize=7.5,
                    textAnchor="end",
                    fillColor=colors.white,
                )
            )
        else:
            d.add(
                String(
                    x0 + w + 3, mid - 2.6, value, fontName=fonts.bold, fontSize=7.5, fillColor=INK
                )
            )
    _legend(d, [("bar", "Score (the number on the bar)"), ("tick", "Target")], x0, 2, fonts)
    return d


# -- trend ----------------------------------------------------------------------------------
# Each series differs by marker shape and dash pattern as well as colour, so that the lines
# stay apart in grayscale; seven before any repeats (the AI RMF has the overall and four).
SERIES_STYLES: list[tuple[colors.Color, list[float] | None, str]] = [
    (ACCENT, None, "circle"),
    (colors.HexColor("#1b9e77"), [4, 2], "square"),
    (colors.HexColor("#d95f02"), [1.5, 1.5], "triangle"),
    (colors.HexColor("#7570b3"), [6, 2, 1.5, 2], "diamond"),
    (colors.HexColor("#666666"), [2.5, 2.5], "cross"),
    (colors.HexColor("#a6761d"), [8, 3], "square"),
    (colors.HexColor("#e7298a"), [1, 3], "triangle"),
]


def fitted_range(values: Sequence[float | None]) -> tuple[float, float]:
    """The value axis of the trend chart: whole levels around the data, within 1 to 5, at
    least one level apart (1 to 5 when there is no value)."""
    present = [v for v in values if v is not None]
    if not present:
        return SCALE_MIN, SCALE_MAX
    low = max(SCALE_MIN, math.floor(min(present) - 0.25))
    high = min(SCALE_MAX, math.ceil(max(present) + 0.25))
    if high - low < 1:
        low, high = (high - 1, high) if high >= SCALE_MAX else (low, low + 1)
    return float(low), float(high)


def trend_lines(
    rows: Sequence[TrendRow], function_ids: Sequence[str], width: float, fonts: FontSet
) -> Drawing:
    """Overall and function scores across cycles, oldest first (a line per series)."""
    height = 72 * mm
    d = _drawing(width, height, fonts)
    x0, x1 = 10 * mm, width - 2 * mm
    y0, y1 = 20 * mm, height - 5 * mm
    slot = (x1 - x0) / max(1, len(rows))  # each cycle sits in the middle of its slot
    low, high = fitted_range([r.overall for r in rows] + [v for r in rows for _f, v in r.functions])

    def xy(i: int, v: float) -> tuple[float, float]:
        return x0 + (i + 0.5) * slot, y0 + (y1 - y0) * (v - low) / (high - low)

    for v in range(int(low), int(high) + 1):
        _x, y = xy(0, v)
        d.add(Line(x0, y, x1, y, strokeColor=RULE, strokeWidth=0.4))
        d.add(
            String(
                x0 - 4,
                y - 2.5,
                str(v),
                fontName=fonts.regular,
                fontSize=7,
                textAnchor="end",
                fillColor=MUTED,
            )
        )
    room = slot - 4
    for i, r in enumerate(rows):
        x, _y = xy(i, 0)
        font = fonts.bold if r.current else fonts.regular
        # The cycle's name is the user's: set with the text's font fallback and shaping.
        _user_line(d, x, y0 - 9, r.name, font, 6.5, room, fonts)
        d.add(
            String(
                x,
                y0 - 17,
                r.created.isoformat(),
                fontName=fonts.regular,
                fontSize=6,
                textAnchor="middle",
                fillColor=MUTED,
            )
        )
    series = [("Overall", [r.overall for r in rows])]
    for f_id in function_ids:
        series.append((f_id, [dict(r.functions).get(f_id) for r in rows]))
    for k, (_name, values) in enumerate(series):
        color, dash, marker = SERIES_STYLES[k % len(SERIES_STYLES)]
        segment: list[float] = []
        for i, v in enumerate([*values, None]):
            if v is None:
                if len(segment) >= 4:
                    d.add(
                        PolyLine(
                            segment,
                            strokeColor=color,
                            strokeWidth=2 if k == 0 else 1.1,
                            strokeDashArray=dash,
                        )
                    )
                segment = []
                continue
            segment.extend(xy(i, v))
        for i, v in enumerate(values):
            if v is not None:
                d.add(_marker(marker, *xy(i, v), 5 if k == 0 else 4, color))
                if k == 0:
                    x, y = xy(i, v)
                    d.add(
                        String(
                            x + 4,
                            y + 4,
                            format_score(v),
                            fontName=fonts.bold,
                            fontSize=7,
                            textAnchor="start",
                            fillColor=color,
                        )
                    )
    styles = {name: SERIES_STYLES[k % len(SERIES_STYLES)] for k, (name, _v) in enumerate(series)}
    _legend(
        d, [(name, name) for name, _v in series], width / 2, 2, fonts, centered=True, styles=styles
    )
    return d


# -- heat map -------------------------------------------------------------------------------
def heat_map(
    functions: Sequence[tuple[str, str, Sequence[tuple[str, Sequence[SubcategoryEntry]]]]],
    width: float,
    max_height: float,
    fonts: FontSet,
    level_names: Sequence[str],
) -> Drawing:
    """All subcategories, a row per category, coloured and numbered by level.

    ``functions``: (function id, title, [(category id, entries)]).
    """
    label_w = 22 * mm
    legend_h = 16 * mm
    fn_header = 7.5 * mm
    n_rows = sum(len(cats) for _f, _t, cats in functions)
    n_cols = max((len(e) for _f, _t, cats in functions for _c, e in cats), default=1)
    gap = 1.2
    cell_w = min(15 * mm, (width - label_w) / n_cols - gap)
    room = max_height - legend_h - fn_header * len(functions)
    cell_h = max(6 * mm, min(10.5 * mm, room / max(1, n_rows) - gap))
    height = legend_h + fn_header * len(functions) + n_rows * (cell_h + gap)
    d = _drawing(width, height, fonts)
    y = height
    for f_id, title, cats in functions:
        y -= fn_header
        d.add(
            String(
                0,
                y + 2.6 * mm,
                f_id if title.casefold() == f_id.casefold() else f"{f_id} — {title}",
                fontName=fonts.bold,
                fontSize=8.5,
                fillColor=ACCENT,
            )
        )
        for c_id, entries in cats:
            y -= cell_h + gap
            d.add(
                String(
                    0, y + cell_h / 2 - 2.5, c_id, fontName=fonts.regular, fontSize=7, fillColor=INK
                )
            )
            for col, e in enumerate(entries):
                x = label_w + col * (cell_w + gap)
                _cell(d, x, y, cell_w, cell_h, e, fonts)
    _heat_legend(d, width, fonts, level_names)
    return d


def _short_id(sub_id: str) -> str:
    return sub_id.split(" ", 1)[-1]


def _cell(
    d: Drawing, x: float, y: float, w: float, h: float, e: SubcategoryEntry, fonts: FontSet
) -> None:
    state = e.state
    if state == "na":
        d.add(Rect(x, y, w, h, fillColor=NA_COLOR, strokeColor=MUTED, strokeWidth=0.3))
        _hatch(d, x, y, w, h)
        big, color = "N/A", INK
    elif state == "unanswered":
        d.add(
            Rect(
                x,
                y,
                w,
                h,
                fillColor=UNANSWERED_COLOR,
                strokeColor=MUTED,
                strokeWidth=0.5,
                strokeDashArray=[1.5, 1.2],
            )
        )
        big, color = "–", MUTED
    else:
        level = e.node.level or 1
        fill = LEVEL_COLORS[level]
        d.add(Rect(x, y, w, h, fillColor=fill, strokeColor=colors.white, strokeWidth=0.3))
        big, color = str(level), text_on(fill)
    d.add(
        String(
            x + 1.6,
            y + h - 6.2,
            _short_id(e.id),
            fontName=fonts.regular,
            fontSize=5.6,
            fillColor=color,
        )
    )
    d.add(
        String(
            x + w / 2,
            y + 2.2,
            big,
            fontName=fonts.bold,
            fontSize=8.5 if big != "N/A" else 6.8,
            textAnchor="middle",
            fillColor=color,
        )
    )
    if e.node.below_target:
        s = min(w, h) * 0.32
        d.add(
            Polygon(
                [x + w - s, y + h, x + w, y + h, x + w, y + h - s],
                fillColor=WARN,
                strokeColor=colors.white,
                strokeWidth=0.3,
            )
        )


def _hatch(d: Drawing, x: float, y: float, w: float, h: float) -> None:
    step = 3.2
    k = -h
    while k < w:
        x_start, y_start = x + max(0.0, k), y + max(0.0, -k)
        length = min(w - max(0.0, k), h - max(0.0, -k))
        d.add(
            Line(
                x_start,
                y_start,
                x_start + length,
                y_start + length,
                strokeColor=MUTED,
                strokeWidth=0.3,
            )
        )
        k += step


def _heat_legend(d: Drawing, width: float, fonts: FontSet, level_names: Sequence[str]) -> None:
    size, y = 9, 8 * mm
    x = 0.0
    for level in range(1, 6):
        fill = LEVEL_COLORS[level]
        d.add(Rect(x, y, size, size, fillColor=fill, strokeColor=MUTED, strokeWidth=0.3))
        d.add(
            String(
                x + size / 2,
                y + 2.2,
                str(level),
                fontName=fonts.bold,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=text_on(fill),
            )
        )
        name = level_names[level - 1] if len(level_names) >= level else f"Level {level}"
        d.add(
            String(x + size + 3, y + 2.2, name, fontName=fonts.regular, fontSize=7, fillColor=INK)
        )
        x += size + 6 + stringWidth(name, fonts.regular, 7) + 8
    y2 = 2 * mm
    x = 0.0
    d.add(Rect(x, y2, size, size, fillColor=NA_COLOR, strokeColor=MUTED, strokeWidth=0.3))
    _hatch(d, x, y2, size, size)
    d.add(
        String(
            x + size + 3,
            y2 + 2.2,
            "N/A: not applicable (rationale in the N/A register)",
            fontName=fonts.regular,
            fontSize=7,
            fillColor=INK,
        )
    )
    x += (
        size
        + 6
        + stringWidth("N/A: not applicable (rationale in the N/A register)", fonts.regular, 7)
        + 10
    )
    d.add(
        Rect(
            x,
            y2,
            size,
            size,
            fillColor=UNANSWERED_COLOR,
            strokeColor=MUTED,
            strokeWidth=0.5,
            strokeDashArray=[1.5, 1.2],
        )
    )
    d.add(
        String(
            x + size / 2,
            y2 + 2.2,
            "–",
            fontName=fonts.bold,
            fontSize=6.5,
            textAnchor="middle",
            fillColor=MUTED,
        )
    )
    d.add(
        String(
            x + size + 3, y2 + 2.2, "Unanswered", fontName=fonts.regular, fontSize=7, fillColor=INK
        )
    )
    x += size + 6 + stringWidth("Unanswered", fonts.regular, 7) + 10
    s = size * 0.55
    d.add(Rect(x, y2, size, size, fillColor=colors.white, strokeColor=MUTED, strokeWidth=0.3))
    d.add(
        Polygon(
            [x + size - s, y2 + size, x + size, y2 + size, x + size, y2 + size - s],
            fillColor=WARN,
            strokeWidth=0,
        )
    )
    d.add(
        String(
            x + size + 3,
            y2 + 2.2,
            "Below target",
            fontName=fonts.regular,
            fontSize=7,
            fillColor=INK,
        )
    )
