"""Text matching for every search and filter: the same words match however they were typed.

Text pasted from a PDF, a web page or macOS often stores an accented letter decomposed ("u" and
a combining diaeresis) where the keyboard types it composed ("ü"); the two look the same but
compare unequal. Every search in the app compares ``fold()`` of both sides: Unicode NFC
normalisation and case folding (Unicode Standard, section 3.13 "Default Caseless Matching";
NFC again after folding, since folding can produce a decomposed sequence).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """``text`` in the form every search compares: NFC-normalised and case-folded.

    Example: ``fold("Zu\\u0308rich") == fold("ZÜRICH") == "zürich"``.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def search_terms(query: str) -> list[str]:
    """The words of a search box's text, folded; an empty list when it holds no word."""
    return fold(query).split()


def matches_all(terms: Iterable[str], folded_text: str) -> bool:
    """Whether every term (from ``search_terms``) occurs in ``folded_text`` (from ``fold``)."""
    return all(term in folded_text for term in terms)


def contains(text: str, query: str) -> bool:
    """Whether the search text ``query`` occurs in ``text``, compared folded (both sides).

    An empty or blank ``query`` is contained in everything.
    """
    needle = fold(query).strip()
    return not needle or needle in fold(text)
