"""The embedded fonts (shipped in resources/fonts/ with their licences): DejaVu Sans for the
text, and fallback faces for the scripts it lacks or draws poorly (Arabic, Hebrew, Devanagari,
CJK, emoji), each embedded as a subset so that any script the user types renders."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFError, TTFont

from app.reporting.errors import RenderError

FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
}
FAMILY = "AirmfDejaVuSans"


class ReportFont(TTFont):
    """A TrueType font whose text comes back out of the PDF as it went in: ReportLab's
    ToUnicode map writes a character beyond U+FFFF (an emoji) as five hex digits, which
    readers misread, and maps a shaped Arabic glyph to its presentation form (U+FExx) rather
    than the letters. Here each subset's map gives UTF-16 (surrogate pairs) and the letters
    of a presentation form or a Latin ligature such as "ﬆ" (its compatibility decomposition).

    ``actual_text`` holds the words shaped in this face, by the glyphs and clusters shaping
    gave them, for the text layer (``textlayer``): a shaped word is given back as written."""

    def __init__(self, *args, **kw) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kw)
        self.actual_text: dict[tuple[str, tuple[int, ...]], str] = {}

    def addObjects(self, doc) -> None:  # type: ignore[no-untyped-def]
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)  # (drops the state)
        for n, subset in enumerate(subsets):
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode(
                "pdfdoc"
            )
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, subset)


def _utf16(code: int) -> str:
    char = chr(code)
    if 0xFB00 <= code <= 0xFB06 or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        char = unicodedata.normalize("NFKC", char) or char
    return char.encode("utf-16-be").hex().upper()


def to_unicode_cmap(name: str, subset: list[int]) -> str:
    """The ToUnicode CMap of one font subset (PDF 1.7 section 9.10.3), codes 0..n-1 mapped to
    UTF-16BE text."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({name})",
        f"/Ordering ({name})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class FallbackFile:
    """A fallback face: its files, the code point ranges it covers (read only when a text
    needs one of them: the CJK face alone takes some 0.4 s to read), and the ranges it is
    preferred for even where DejaVu Sans has a glyph (DejaVu's Arabic and Hebrew are less
    complete than Noto's)."""

    key: str
    regular: str
    bold: str | None
    ranges: tuple[tuple[int, int], ...]
    preferred: tuple[tuple[int, int], ...] = ()


ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
HEBREW = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
DEVANAGARI = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))
CJK = (  # the ranges DroidSansFallback-CJK.ttf was subset to (resources/fonts/LICENSE)
    (0x3000, 0x30FF),
    (0x3100, 0x318F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)
EMOJI = ((0x2600, 0x27BF), (0x1F300, 0x1FAFF))

FALLBACK_FILES: tuple[FallbackFile, ...] = (
    FallbackFile("arabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", ARABIC, ARABIC),
    FallbackFile("hebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", HEBREW, HEBREW),
    FallbackFile(
        "devanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        DEVANAGARI,
        DEVANAGARI,
    ),
    FallbackFile("cjk", "DroidSansFallback-CJK.ttf", None, CJK),
    FallbackFile("emoji", "Symbola-Emoji.ttf", None, EMOJI, ((0x1F300, 0x1FAFF),)),
)


class LazyCoverage:
    """The code points of a fallback face, as a set that reads (and registers) the face the
    first time a code point in its ranges is asked about; outside them it says no, unread."""

    def __init__(self, folder: Path, spec: FallbackFile, regular: str, bold: str) -> None:
        self.folder, self.spec, self.regular, self.bold = folder, spec, regular, bold
        self._points: frozenset[int] | None = None

    def _load(self) -> frozenset[int]:
        with _lock:
            if self._points is None:
                registered = set(pdfmetrics.getRegisteredFontNames())
                face = _face(self.folder, self.regular, self.spec.regular, registered)
                if self.spec.bold:
                    _face(self.folder, self.bold, self.spec.bold, registered)
                self._points = frozenset(face.face.charToGlyph)
            return self._points

    def __contains__(self, code: object) -> bool:
        points = self._points
        if points is None:
            if not isinstance(code, int) or not any(
                lo <= code <= hi for lo, hi in self.spec.ranges
            ):
                return False
            points = self._load()
        return code in points


@dataclass(frozen=True)
class Fallback:
    """A registered fallback face: font names (bold = regular when there is no bold file),
    what it can draw and the ranges it is preferred for."""

    regular: str
    bold: str
    coverage: LazyCoverage
    preferred: tuple[tuple[int, int], ...]

    def prefers(self, code: int) -> bool:
        return any(lo <= code <= hi for lo, hi in self.preferred)


_lock = threading.Lock()  # ReportLab's font registry is process-wide


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    coverages: tuple[tuple[str, frozenset[int]], ...]  # (font name, code points it can draw)
    fallbacks: tuple[Fallback, ...] = ()
    # Matches a character some fallback is preferred for: text without one, all of it in the
    # main face, is set in one run without looking at each character (text.font_runs).
    preferred: re.Pattern[str] | None = None

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
                font = ReportFont(name, str(path))
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
    fallbacks = tuple(_fallback(Path(folder), spec) for spec in FALLBACK_FILES)
    ranges = [r for spec in FALLBACK_FILES for r in spec.preferred]
    preferred = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges) + "]")
    return FontSet(
        names["regular"], names["bold"], names["italic"], coverages, fallbacks, preferred
    )


def _face(folder: Path, name: str, file_name: str, registered: set[str]) -> TTFont:
    if name in registered:
        return pdfmetrics.getFont(name)  # type: ignore[no-any-return]
    path = folder / file_name
    if not path.is_file():
        raise RenderError(
            f"the report font {file_name} is missing from {folder}; reinstall the app"
        )
    try:
        font = ReportFont(name, str(path))
    except (TTFError, OSError) as exc:
        raise RenderError(f"the report font {path} cannot be read: {exc}") from exc
    pdfmetrics.registerFont(font)
    return font


def _fallback(folder: Path, spec: FallbackFile) -> Fallback:
    regular = f"{FAMILY}-{spec.key}"
    bold = f"{FAMILY}-{spec.key}-bold" if spec.bold else regular
    return Fallback(regular, bold, LazyCoverage(folder, spec, regular, bold), spec.preferred)
