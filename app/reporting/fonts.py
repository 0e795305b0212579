"""The embedded Unicode font family (DejaVu Sans, shipped in resources/fonts/)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.reporting.errors import RenderError

FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
}
FAMILY = "AirmfDejaVuSans"
_lock = threading.Lock()  # ReportLab's font registry is process-wide


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    coverages: tuple[tuple[str, frozenset[int]], ...]  # (font name, code points it can draw)

    def coverage(self, font_name: str | None = None) -> frozenset[int]:
        """What ``font_name`` (default: the regular face) can draw."""
        wanted = font_name or self.regular
        for name, points in self.coverages:
            if name == wanted:
                return points
        return self.coverages[0][1]


def register_fonts(folder: Path) -> FontSet:
    """Register the family from ``folder`` once per process; raise RenderError if unusable."""
    names = {kind: f"{FAMILY}-{kind}" for kind in FILES}
    with _lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        faces = []
        for kind, file_name in FILES.items():
            name = names[kind]
            if name in registered:
                faces.append(pdfmetrics.getFont(name))
                continue
            path = Path(folder) / file_name
            if not path.is_file():
                raise RenderError(
                    f"the report font {file_name} is missing from {folder}; reinstall the app"
                )
            try:
                font = TTFont(name, str(path))
            except (TTFError, OSError) as exc:
                raise RenderError(f"the report font {path} cannot be read: {exc}") from exc
            pdfmetrics.registerFont(font)
            faces.append(font)
        pdfmetrics.registerFontFamily(
            FAMILY,
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold"],
        )
        coverages = tuple((f.fontName, frozenset(f.face.charToGlyph)) for f in faces)
    return FontSet(names["regular"], names["bold"], names["italic"], coverages)
