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
import unicodedata
from collections.abc import Callable, Container, Iterable, Sequence
from xml.sax.saxutils import escape as xml_escape

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
    return xml_escape(keep_spacing(text)).replace("\n", "<br/>")


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


# -- other scripts: fallback faces, right-to-left words, shaping -----------------------------
# Scripts whose letters change shape or order with their neighbours (Hebrew, Arabic, Indic): a
# paragraph holding them is shaped (HarfBuzz, through ReportLab's ``shaping`` style attribute).

_COMPLEX = re.compile("[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufeff]")


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds Hebrew, Arabic, Indic or other complex-script letters."""
    return _COMPLEX.search(text) is not None


def is_rtl_word(word: str) -> bool | None:
    """True when the word's first strong character is right-to-left, False for left-to-right,
    None for a word of neutrals (digits, punctuation) only."""
    for ch in word:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None


def direction_runs(
    directions: Sequence[bool | None], rtl_base: bool = False
) -> list[tuple[bool, list[int]]]:
    """A line's words (given each word's direction, ``is_rtl_word``) as (right_to_left,
    indices) runs in logical order: the words of the line's own direction (``rtl_base``)
    each a run of their own, and each run of words of the other direction with the neutral
    words between them (neutrals after its last word belong to the line's direction). A
    simplified Unicode bidi algorithm (UAX #9) at the level of words."""
    other = not rtl_base
    runs: list[tuple[bool, list[int]]] = []
    run: list[int] = []

    def flush() -> None:
        tail: list[int] = []
        while run and directions[run[-1]] is None:
            tail.insert(0, run.pop())
        if run:
            runs.append((other, list(run)))
        runs.extend((rtl_base, [i]) for i in tail)
        run.clear()

    for i, direction in enumerate(directions):
        if direction is other or (run and direction is None):
            run.append(i)
        else:
            flush()
            runs.append((rtl_base, [i]))
    flush()
    return runs


def visual_order(directions: Sequence[bool | None], rtl_base: bool = False) -> list[int]:
    """The visual order, left to right, of a line's words (``direction_runs``): in a
    left-to-right line each right-to-left run is reversed; a right-to-left line is reversed
    whole, its left-to-right runs keeping their order. ReportLab sets words left to right,
    and shaping turns each word's letters around, so that a right-to-left phrase reads
    correctly."""
    runs = direction_runs(directions, rtl_base)
    if rtl_base:
        runs.reverse()
    return [i for rtl, run in runs for i in (reversed(run) if rtl else run)]


def visual_word_order(line: str) -> str:
    """The words of one line (spaces kept between them) in visual order (``visual_order``;
    the line's direction is that of its first letter). For a single line only (a page
    header, a chart label): a paragraph that wraps is broken in logical order and each line
    reordered when drawn (``textlayer.visual_lines``)."""
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in line):
        return line
    tokens = [t for t in re.split(r"(\s+)", line) if t]
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    directions = [is_rtl_word(tokens[i]) for i in words]
    order = visual_order(directions, is_rtl_word(line) is True)
    # The words move; the spaces between them stay where they are.
    moved = dict(zip(words, (tokens[words[k]] for k in order), strict=True))
    return "".join(moved.get(i, t) for i, t in enumerate(tokens))


def font_runs(
    text: str,
    primary: str,
    coverage: frozenset[int],
    fallbacks: Sequence[tuple[str, Container[int], Callable[[int], bool]]],
    preferred: re.Pattern[str] | None = None,
) -> tuple[list[tuple[str, str]], int]:
    """Cut ``text`` into (font name, text) runs: each character in the first face that is
    preferred for it, else ``primary`` if it has the glyph, else the first fallback that has
    it; a character no face has becomes "[U+XXXX]" in ``primary`` (counted). Neutrals (digits,
    punctuation, symbols) stay in the face of the letter before them in the same word, or the
    letter after them, so that a word is one run (HarfBuzz shapes a word in one face).

    ``preferred`` matches any character a fallback is preferred for: text without one that
    ``primary`` draws whole is one run, found at C speed (most of a report)."""
    if (
        preferred is not None
        and isinstance(coverage, frozenset)
        and preferred.search(text) is None
        and coverage.issuperset(map(ord, text.replace("\n", " ").replace("\t", " ")))
    ):
        return [(primary, text)], 0
    chosen: list[str | None] = []
    missing = 0
    chars = list(text)
    for i, ch in enumerate(chars):
        code = ord(ch)
        face: str | None = None
        for name, points, prefers in fallbacks:
            if prefers(code) and code in points:
                face = name
                break
        if face is None:
            if code in coverage or ch in "\n\t\r":
                face = primary
            else:
                face = next((n for n, points, _p in fallbacks if code in points), None)
        if face is None:
            chars[i] = f"[U+{code:04X}]"
            face = primary
            missing += 1
        chosen.append(face)
    strong = [unicodedata.category(ch)[0] in "LM" for ch in text]
    faces: dict[str, Container[int]] = {primary: coverage, **{n: p for n, p, _f in fallbacks}}
    for i, ch in enumerate(text):
        if strong[i] or ch.isspace() or chars[i] != ch:
            continue
        neighbour = _neighbour_face(text, chosen, strong, i)
        if neighbour and neighbour != chosen[i] and ord(ch) in faces[neighbour]:
            chosen[i] = neighbour
    runs: list[tuple[str, str]] = []
    for face, piece in zip(chosen, chars, strict=True):
        assert face is not None
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + piece)
        else:
            runs.append((face, piece))
    return runs, missing


def _neighbour_face(
    text: str, chosen: Sequence[str | None], strong: Sequence[bool], i: int
) -> str | None:
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(text) and not text[j].isspace():
            if strong[j]:
                return chosen[j]
            j += step
    return None


def keep_spacing(text: str) -> str:
    """Line breaks normalised to "\\n"; indentation, tabs and runs of spaces as no-break
    spaces, which a paragraph keeps (see ``escape``)."""
    value = text.replace("\r\n", "\n").replace("\r", "\n")
    if " " in value or "\t" in value:
        value = _SPACES.sub(_kept, value)
    return value
