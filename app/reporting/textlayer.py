"""The text layer of shaped scripts, and right-to-left words in visual order line by line.

Shaping (HarfBuzz, through ReportLab) draws glyphs, not letters: an Arabic word's glyphs are its
contextual forms and ligatures in visual order, a Devanagari word's are conjuncts with the vowel
sign "ि" moved before its consonant. A glyph-to-letter map (the font's ToUnicode) cannot give
the letters back in order, so each shaped word is drawn inside a marked-content span whose
``/ActualText`` is the word as written (PDF 1.7 section 14.9.4): copying or extracting the text
yields the letters, not the glyphs.

The words a paragraph will shape are learnt when it is made (``learn``), keyed by the glyphs
and clusters shaping gives them, which is what the drawing sees (``TextLayerObject``).

Right-to-left text is wrapped in the order it was written (logical order) and each line's
words are put in visual order only when the line is drawn (``visual_lines``), so that a long
Arabic or Hebrew note reads from its first line to its last.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import (
    ShapedFragWord,
    ShapedStr,
    makeShapedFragWord,
    shapeStr,
)
from reportlab.pdfbase.ttfonts import shapeFragWord as _shape_frag_word
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph as paragraph_module
from reportlab.platypus.paragraph import _getFragWords

from app.reporting.text import direction_runs, is_rtl_word

_SIMPLE = 0x7FFFFFFF  # the cluster ReportLab gives a character added to a shaped string (a space)

Key = tuple[str, tuple[int, ...]]


def _known(font_name: str) -> dict[Key, str] | None:
    """The words learnt for ``font_name`` (None for a face that cannot hold them)."""
    font = getFont(font_name)
    known = getattr(font, "actual_text", None)
    return known if isinstance(known, dict) else None


def _key(shaped: ShapedStr) -> Key:
    return str(shaped), tuple(d.cluster for d in shaped.__shapeData__)


def remember(font_name: str, word: str, shaped: object) -> None:
    """Remember that ``shaped`` (what ``shapeStr(word, font_name, ...)`` gave) stands for
    ``word``; a string shaping left unchanged needs nothing."""
    known = _known(font_name)
    if known is not None and isinstance(shaped, ShapedStr) and shaped.__shapeData__:
        known.setdefault(_key(shaped), word)


def _ltr(ch: str) -> bool | None:
    kind = unicodedata.bidirectional(ch)
    if kind in ("L", "EN", "AN"):
        return True
    return False if kind in ("R", "AL") else None


def _one_face_parts(word: list[object]) -> list[list[object]]:
    """A ReportLab frag word ([width, (frag, text), ...]) cut where the face changes and where
    the direction changes (letters of one direction with the neutrals they hold), each part a
    frag word of its own (its width in its own face)."""
    parts: list[list[object]] = []
    face: str | None = None
    direction: bool | None = None
    for frag, text in word[1:]:
        if hasattr(frag, "cbDefn"):
            if not parts:
                parts.append([0.0])
            parts[-1].append((frag, text))
            continue
        name = frag.fontName
        start = 0
        for i, ch in enumerate(text):
            ltr = _ltr(ch)
            turn = ltr is not None and direction is not None and ltr != direction
            if i > start and turn:
                _add(parts, frag, text[start:i])
                parts.append([0.0])
                start = i
            if ltr is not None:
                direction = ltr
        if not parts or (face is not None and name != face):
            parts.append([0.0])
        _add(parts, frag, text[start:])
        face = name
    return [part for part in parts if len(part) > 1]


def _add(parts: list[list[object]], frag: object, text: str) -> None:
    if not parts:
        parts.append([0.0])
    if text:
        parts[-1].append((frag, text))
        parts[-1][0] += stringWidth(text, frag.fontName, frag.fontSize)  # type: ignore[attr-defined]


_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def shape_frag_word(w: list[object], *args: object, **kw: object) -> list[object]:
    """ReportLab's ``shapeFragWord`` for a word in one face; a word in several faces (a Hebrew
    word and the comma after it, which the Hebrew face lacks) is shaped face by face.

    ReportLab shapes the whole word with the first face's HarfBuzz font and then looks each
    glyph up in its own fragment's face: glyph numbers of one font read in another, which
    fails (a missing attribute, an index out of range) or draws wrong glyphs. HarfBuzz also
    turns a whole right-to-left word around, digits included ("بند12" drawn as "21دنب"): a
    word is shaped direction run by direction run. The parts of a right-to-left word are
    drawn in visual order, the brackets among them mirrored."""
    if isinstance(w, ShapedFragWord) or any(isinstance(t, ShapedStr) for _f, t in w[1:]):
        return _shape_frag_word(w, *args, **kw)  # type: ignore[no-any-return]
    parts = _one_face_parts(w)
    if len(parts) <= 1:
        return _shape_frag_word(w, *args, **kw)  # type: ignore[no-any-return]
    text = "".join(t for _f, t in w[1:])
    shaped = [_shape_frag_word(part, *args, **kw) for part in parts]
    if is_rtl_word(text):
        shaped.reverse()
        # Only a part of neutrals (brackets, punctuation) takes the word's direction.
        shaped = [_mirrored(part) if _neutral(part) else part for part in shaped]
    new = makeShapedFragWord(w)([sum(part[0] for part in shaped)])
    for part in shaped:
        new.extend(part[1:])
    return new  # type: ignore[no-any-return]


def _neutral(part: list[object]) -> bool:
    return not isinstance(part, ShapedFragWord) and all(
        _ltr(ch) is None for _f, t in part[1:] for ch in t
    )


def _mirrored(part: list[object]) -> list[object]:
    return [part[0], *((f, t.translate(_MIRROR)) for f, t in part[1:])]


def install_shaping() -> None:
    """Make ReportLab's paragraphs shape words with ``shape_frag_word`` (idempotent)."""
    if paragraph_module.shapeFragWord is not shape_frag_word:
        paragraph_module.shapeFragWord = shape_frag_word


def learn(frags: Sequence[object]) -> None:
    """Shape the words of a paragraph's fragments as ReportLab will when it breaks the lines
    (``shape_frag_word``), and remember the text each shaped piece stands for: the letters of
    its own clusters."""
    for word in _getFragWords(list(frags)):
        for part in _one_face_parts(word):
            pieces = [(f, s) for f, s in part[1:] if not hasattr(f, "cbDefn")]
            if any(isinstance(s, ShapedStr) for _f, s in pieces):
                continue  # the part of a split paragraph: shaped, and learnt, already
            text = "".join(s for _f, s in pieces)
            if not text.strip():
                continue
            # Every word: shaping a Latin word makes ligatures too ("st" in "Système").
            shaped = _shape_frag_word(part)
            if not isinstance(shaped, ShapedFragWord):
                continue
            strings = [(f, s) for f, s in shaped[1:] if isinstance(s, ShapedStr)]
            starts = sorted({d.cluster for _f, s in strings for d in s.__shapeData__} | {len(text)})
            ends = dict(zip(starts, starts[1:], strict=False))
            for f, s in strings:
                clusters = sorted({d.cluster for d in s.__shapeData__ if d.cluster in ends})
                letters = "".join(text[c : ends[c]] for c in clusters)
                known = _known(f.fontName)
                if known is not None and letters:
                    known.setdefault(_key(s), letters)


def shape_word(word: str, font_name: str, size: float) -> object:
    """``shapeStr`` for one word drawn outside a paragraph (a header, a chart label), with its
    text remembered for the text layer."""
    shaped = shapeStr(word, font_name, size)
    remember(font_name, word, shaped)
    return shaped


def drawn_letters(font_name: str, piece: str) -> str:
    """The letters a drawn piece stands for, left to right as drawn (a shaped piece's
    glyphs are no letters: its remembered text, a right-to-left word's in drawn order), for
    a copy drawn without shaping (the raster charts)."""
    if isinstance(piece, ShapedStr) and piece.__shapeData__:
        known = _known(font_name)
        letters = known.get(_key(piece)) if known else None
        if letters is not None:
            return drawn_order(letters) if is_rtl_word(letters) else letters
    return str(piece)


def _utf16(text: str) -> str:
    return ("\ufeff" + text).encode("utf-16-be").hex().upper()


class TextLayerObject(PDFTextObject):
    """A text object that draws each shaped word it knows inside an ``/ActualText`` span.

    The replacement text of a right-to-left word is given in the order its glyphs are drawn
    (visual order), as the glyphs of any right-to-left text are: text extractors (poppler's
    ``pdftotext``) put a right-to-left run back into reading order, replacement text included.
    """

    def setRise(self, rise: float) -> None:  # noqa: N802 (ReportLab's name)
        """ReportLab's, which looks at the last operator written: a shaped word that starts
        with a raised glyph (a mark) and is formatted on its own has none yet."""
        if self._code:
            super().setRise(rise)
        else:
            self._rise = rise
            self._y -= rise
            self._code.append(f"{fp_str(rise)} Ts")

    def _formatText(self, text: str) -> str:  # noqa: N802 (ReportLab's name)
        if not isinstance(text, ShapedStr) or not text.__shapeData__:
            return super()._formatText(text)
        # Cut the same way whatever has been learnt so far: the same report gives the same
        # bytes however many reports the process made before.
        known = _known(self._fontname) or {}
        out: list[str] = []
        for start, end, shaped in _segments(text):
            piece = text[start:end]
            code = super()._formatText(piece)
            actual = known.get(_key(piece)) if shaped else None
            if actual is None:
                out.append(code)
                continue
            if is_rtl_word(actual):
                actual = drawn_order(actual)
            out.append(f"/Span <</ActualText <{_utf16(actual)}>>> BDC {code} EMC")
        return " ".join(out)


def drawn_order(word: str) -> str:
    """A right-to-left word's characters in the order its glyphs are drawn, left to right:
    reversed, except that runs of digits and left-to-right letters keep their order."""
    runs: list[tuple[bool, list[str]]] = []
    for ch in word:
        ltr = unicodedata.bidirectional(ch) in ("L", "EN", "AN")
        if runs and runs[-1][0] == ltr:
            runs[-1][1].append(ch)
        else:
            runs.append((ltr, [ch]))
    return "".join("".join(chars if ltr else chars[::-1]) for ltr, chars in reversed(runs))


def _segments(text: ShapedStr) -> Iterable[tuple[int, int, bool]]:
    """(start, end, shaped) runs of ``text``: shaped glyphs, and the characters (spaces) added
    between shaped words."""
    data = text.__shapeData__
    start = 0
    for i in range(1, len(data) + 1):
        if i == len(data) or (data[i].cluster == _SIMPLE) != (data[start].cluster == _SIMPLE):
            yield start, i, data[start].cluster != _SIMPLE
            start = i


# -- right-to-left words in visual order, line by line ----------------------------------------
_WORD = re.compile(r"[^ ]+| +")


def _piece_direction(font_name: str, piece: str) -> bool | None:
    """True for right-to-left letters, False for left-to-right, None for neutrals only; a
    shaped piece is judged by the letters it stands for."""
    if isinstance(piece, ShapedStr) and piece.__shapeData__:
        known = _known(font_name)
        letters = known.get(_key(piece)) if known else None
        if letters is not None:
            return is_rtl_word(letters)
    return is_rtl_word(piece)


def visual_lines(lines: Sequence[object], rtl_base: bool = False) -> list[object] | None:
    """The lines of a broken paragraph (ReportLab ``FragLine`` objects, logical order) with
    the words of each in visual order (``text.visual_order``; ``rtl_base`` for a paragraph
    that starts in a right-to-left script), or None when no line changes. A word may lie
    across fragments (faces); a word of digits and punctuation among right-to-left words is
    drawn as they would be ("3." as ".3", its brackets mirrored). A line holding anything but
    text (a link target, an image, a callback) is left as it is."""
    out: list[object] = []
    changed = False
    for line in lines:
        frags = getattr(line, "words", None)
        if not frags or any(hasattr(f, "cbDefn") for f in frags):
            out.append(line)
            continue
        words: list[list[tuple[object, str]]] = [[]]
        for frag in frags:
            text = frag.text
            for m in _WORD.finditer(text):
                piece = text[m.start() : m.end()]
                if piece.startswith(" "):
                    words.append([])
                else:
                    words[-1].append((frag, piece))
        words = [word for word in words if word]
        directions = [
            next(
                (d for f, p in word if (d := _piece_direction(f.fontName, p)) is not None),
                None,
            )
            for word in words
        ]
        runs = direction_runs(directions, rtl_base)
        if rtl_base:
            runs.reverse()
        order = [i for rtl, run in runs for i in (reversed(run) if rtl else run)]
        turned = {i for rtl, run in runs if rtl for i in run if directions[i] is None}
        turned = {i for i in turned if not any(isinstance(p, ShapedStr) for _f, p in words[i])}
        if order == list(range(len(words))) and not turned:
            out.append(line)
            continue
        changed = True
        new_frags: list[object] = []
        for n, index in enumerate(order):
            word = words[index]
            if index in turned:
                word = [(f, _turned(f, p)) for f, p in reversed(word)]
            for j, (frag, piece) in enumerate(word):
                if j == len(word) - 1 and n < len(order) - 1:
                    piece = piece + " "
                last = new_frags[-1] if new_frags else None
                if last is not None and last.fontName == frag.fontName and _same_look(last, frag):
                    last.text = last.text + piece
                else:
                    new_frags.append(frag.clone(text=piece))
        out.append(line.clone(words=new_frags))
    return out if changed else None


def _turned(frag: object, piece: str) -> object:
    """A word of digits and punctuation among right-to-left words, drawn as it reads there
    ("3." as ".3", brackets mirrored), its text layer the word as written."""
    drawn = drawn_order(piece).translate(_MIRROR)
    if drawn == piece:
        return piece
    shaped = shapeStr(drawn, frag.fontName, frag.fontSize, force=True)  # type: ignore[attr-defined]
    remember(frag.fontName, piece, shaped)  # type: ignore[attr-defined]
    return shaped


def _same_look(a: object, b: object) -> bool:
    return all(
        getattr(a, name, None) == getattr(b, name, None)
        for name in ("fontSize", "textColor", "rise", "link", "us_lines", "backColor")
    )
