"""Rasterise the report's vector charts (``reportlab.graphics`` drawings) to PNG with Pillow.

ReportLab's own bitmap renderer needs pycairo, which has no wheel for every platform; the charts
use only groups, lines, polylines, polygons, rectangles, circles and strings, which this draws
with the same coordinates, colours, dashes and TrueType fonts (Pillow is ReportLab's own
dependency). Drawn at twice the size and reduced, for smooth edges.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont
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
from reportlab.pdfbase import pdfmetrics

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SUPERSAMPLE = 2


def _mul(a: Matrix, b: Matrix) -> Matrix:
    """The affine matrix of applying ``b`` and then ``a`` (PDF order: a x b)."""
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (
        a0 * b0 + a2 * b1,
        a1 * b0 + a3 * b1,
        a0 * b2 + a2 * b3,
        a1 * b2 + a3 * b3,
        a0 * b4 + a2 * b5 + a4,
        a1 * b4 + a3 * b5 + a5,
    )


def _rgba(color: object) -> tuple[int, int, int, int] | None:
    if color is None:
        return None
    c = colors.toColor(color)
    alpha = getattr(c, "alpha", 1.0)
    return (round(c.red * 255), round(c.green * 255), round(c.blue * 255), round(alpha * 255))


@functools.cache
def _font(name: str, pixels: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        face = pdfmetrics.getFont(name).face
        return ImageFont.truetype(face.filename, pixels)
    except Exception:  # a standard PDF font has no file: Pillow's default font still reads
        return ImageFont.load_default(pixels)


class _Painter:
    def __init__(self, drawing: Drawing, scale: float) -> None:
        self.height = drawing.height
        self.scale = scale
        size = (max(1, math.ceil(drawing.width * scale)), max(1, math.ceil(drawing.height * scale)))
        self.image = Image.new("RGBA", size, (255, 255, 255, 255))
        self.draw = ImageDraw.Draw(self.image)

    def point(self, m: Matrix, x: float, y: float) -> tuple[float, float]:
        px = m[0] * x + m[2] * y + m[4]
        py = m[1] * x + m[3] * y + m[5]
        return px * self.scale, (self.height - py) * self.scale

    def node(self, node: object, m: Matrix) -> None:
        if isinstance(node, Group):
            inner = _mul(m, tuple(node.transform))  # type: ignore[arg-type]
            for child in node.contents:
                self.node(child, inner)
        elif isinstance(node, Rect):
            pts = [
                (node.x, node.y),
                (node.x + node.width, node.y),
                (node.x + node.width, node.y + node.height),
                (node.x, node.y + node.height),
            ]
            self.shape(node, [self.point(m, x, y) for x, y in pts], closed=True, m=m)
        elif isinstance(node, Circle):
            steps = 36
            pts = [
                self.point(
                    m,
                    node.cx + node.r * math.cos(2 * math.pi * i / steps),
                    node.cy + node.r * math.sin(2 * math.pi * i / steps),
                )
                for i in range(steps)
            ]
            self.shape(node, pts, closed=True, m=m)
        elif isinstance(node, Polygon):
            p = node.points
            pts = [self.point(m, p[i], p[i + 1]) for i in range(0, len(p) - 1, 2)]
            self.shape(node, pts, closed=True, m=m)
        elif isinstance(node, PolyLine):
            p = node.points
            pts = [self.point(m, p[i], p[i + 1]) for i in range(0, len(p) - 1, 2)]
            self.stroke(node, pts, closed=False, m=m)
        elif isinstance(node, Line):
            pts = [self.point(m, node.x1, node.y1), self.point(m, node.x2, node.y2)]
            self.stroke(node, pts, closed=False, m=m)
        elif isinstance(node, String):
            self.text(node, m)

    def _width(self, node: object, m: Matrix) -> int:
        factor = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        return max(1, round((getattr(node, "strokeWidth", 1) or 0) * factor * self.scale))

    def shape(
        self, node: object, pts: list[tuple[float, float]], *, closed: bool, m: Matrix
    ) -> None:
        fill = _rgba(getattr(node, "fillColor", None))
        if fill is not None and len(pts) >= 3:
            if fill[3] == 255:
                self.draw.polygon(pts, fill=fill)
            else:  # translucent (the radar's score area): blend over what is drawn
                layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
                ImageDraw.Draw(layer).polygon(pts, fill=fill)
                self.image.alpha_composite(layer)
        self.stroke(node, pts, closed=closed, m=m)

    def stroke(
        self, node: object, pts: list[tuple[float, float]], *, closed: bool, m: Matrix
    ) -> None:
        color = _rgba(getattr(node, "strokeColor", None))
        if color is None or not getattr(node, "strokeWidth", 1) or len(pts) < 2:
            return
        width = self._width(node, m)
        path = [*pts, pts[0]] if closed else pts
        dashes = getattr(node, "strokeDashArray", None)
        if not dashes:
            self.draw.line(path, fill=color, width=width, joint="curve")
            return
        pattern = [max(0.5, float(d)) * self.scale for d in _dash_list(dashes)]
        for a, b in zip(path, path[1:], strict=False):
            for s, e in _dashed(a, b, pattern):
                self.draw.line([s, e], fill=color, width=width)

    def text(self, node: String, m: Matrix) -> None:
        color = _rgba(node.fillColor)
        if color is None or not node.text:
            return
        factor = math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or 1.0
        font = _font(node.fontName, max(1, round(node.fontSize * factor * self.scale)))
        x, y = self.point(m, node.x, node.y)
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}.get(node.textAnchor, "ls")
        # A chart's user text is drawn in the PDF as shaped glyphs: Pillow draws its letters.
        text = getattr(node, "plain", node.text)
        self.draw.text((x, y), text, fill=color, font=font, anchor=anchor)


def _dash_list(dashes: object) -> list[float]:
    if isinstance(dashes, tuple | list) and len(dashes) == 2 and isinstance(dashes[1], list):
        return [float(d) for d in dashes[1]]  # (phase, [on, off])
    if isinstance(dashes, tuple | list):
        return [float(d) for d in dashes]
    return [float(dashes)]  # type: ignore[arg-type]


def _dashed(
    a: tuple[float, float], b: tuple[float, float], pattern: Sequence[float]
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    length = math.dist(a, b)
    if length == 0:
        return []
    out, pos, i = [], 0.0, 0
    while pos < length:
        step = pattern[i % len(pattern)]
        end = min(length, pos + step)
        if i % 2 == 0:
            t0, t1 = pos / length, end / length
            out.append(
                (
                    (a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                    (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1),
                )
            )
        pos, i = end, i + 1
    return out


def drawing_png(drawing: Drawing, dpi: int = 144) -> bytes:
    """The drawing as PNG bytes at ``dpi`` (points are 1/72 inch)."""
    scale = dpi / 72.0
    painter = _Painter(drawing, scale * _SUPERSAMPLE)
    root = tuple(getattr(drawing, "transform", _IDENTITY))
    for child in drawing.contents:
        painter.node(child, root)  # type: ignore[arg-type]
    size = (max(1, math.ceil(drawing.width * scale)), max(1, math.ceil(drawing.height * scale)))
    image = painter.image.convert("RGB").resize(size, Image.Resampling.BOX)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()
