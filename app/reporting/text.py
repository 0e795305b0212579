"""User and framework text made safe for ReportLab paragraph markup (escaped, splittable).

Paragraph text is XML-like markup, so every string that is not ours is escaped here. Characters
the embedded font cannot draw are shown as their code point ("[U+4E2D]") rather than dropped.
Very long text is cut into bounded chunks so that the layout can split it across pages cheaply.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape as _xml_escape

ELLIPSIS = "…"
CHUNK = 1500


def substitute_missing(text: str, coverage: frozenset[int] | None) -> tuple[str, int]:
    """Replace characters outside ``coverage`` by "[U+XXXX]"; return the text and how many."""
    if coverage is None or coverage.issuperset(map(ord, text)):
        return text, 0
    out, missing = [], 0
    for ch in text:
        if ord(ch) in coverage or ch in "\n\t\r":
            out.append(ch)
        else:
            out.append(f"[U+{ord(ch):04X}]")
            missing += 1
    return "".join(out), missing


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>``, keep line breaks as ``<br/>``, expand tabs."""
    value = _xml_escape(text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))
    return value.replace("\n", "<br/>")


def clip(text: str, limit: int) -> tuple[str, int]:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis.

    Returns the text and the number of characters left out (0 when nothing was cut).
    """
    text = text.strip()
    if len(text) <= limit:
        return text, 0
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:.")
    return cut + ELLIPSIS, len(text) - len(cut)


def chunks(text: str, size: int = CHUNK) -> list[str]:
    """Split text into paragraphs (at blank lines) of at most about ``size`` characters.

    A paragraph longer than ``size`` is cut at whitespace when there is some, otherwise hard
    (an unbroken string such as a long URL or a base64 blob).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return []
    out: list[str] = []
    for block in _blocks(text):
        while len(block) > size:
            cut = block.rfind(" ", size // 2, size)
            newline = block.rfind("\n", size // 2, size)
            cut = max(cut, newline)
            if cut <= 0:
                cut = size
            out.append(block[:cut].rstrip())
            block = block[cut:].lstrip(" \n")
        if block.strip():
            out.append(block)
    return out


def _blocks(text: str) -> Iterable[str]:
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            yield "\n".join(current)
            current = []
    if current:
        yield "\n".join(current)
