"""User and framework text made safe for ReportLab paragraph markup (escaped, splittable).

Paragraph text is XML-like markup, so every string that is not ours is escaped here. Characters
the embedded font cannot draw are shown as their code point ("[U+4E2D]") rather than dropped.
User text is printed as written: its line breaks, blank lines, indentation, tabs and runs of
spaces are kept (a paragraph would collapse them), and it is wrapped, never re-broken. Very long
text is cut into several paragraphs at its own line breaks only, so that the layout can split
it across pages cheaply without changing a line.
"""

from __future__ import annotations

import re
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


NBSP = "\u00a0"
TAB = 4  # a tab is printed as this many spaces
_SPACES = re.compile(r"[ \t]{2,}|\t|^[ \t]+", re.MULTILINE)


def _kept(run: re.Match[str]) -> str:
    """A run of spaces and tabs that a paragraph would collapse, as no-break spaces (after a
    normal space, where the line may still wrap, unless the run starts the line)."""
    width = sum(TAB if ch == "\t" else 1 for ch in run.group())
    if run.start() == 0 or run.string[run.start() - 1] == "\n":
        return NBSP * width
    return " " + NBSP * (width - 1)


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>``; keep line breaks (``<br/>``), indentation, tabs (as
    ``TAB`` spaces) and runs of spaces (as no-break spaces, which a paragraph keeps)."""
    value = text.replace("\r\n", "\n").replace("\r", "\n")
    if " " in value or "\t" in value:
        value = _SPACES.sub(_kept, value)
    return _xml_escape(value).replace("\n", "<br/>")


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


def chunks(text: str, size: int = CHUNK) -> list[tuple[str, bool]]:
    """Split text into paragraphs at its blank lines; a paragraph longer than about ``size``
    characters is cut at one of its own line breaks (never inside a line: a line longer than
    ``size`` stays whole), so that what is printed is exactly what was written.

    Returns (text, ends_paragraph): False for a part cut at a line break, to be set with no
    space after it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return []
    out: list[tuple[str, bool]] = []
    for block in _blocks(text):
        part: list[str] = []
        length = 0
        for line in block.split("\n"):
            if part and length + len(line) > size:
                out.append(("\n".join(part), False))
                part, length = [], 0
            part.append(line)
            length += len(line) + 1
        out.append(("\n".join(part), True))
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
