"""One text comparison for every search: NFC-normalised and case-folded on both sides."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.domain.search import contains, fold, matches_all, search_terms

COMPOSED = "Z\u00fcrich"  # "Zürich" as typed on a keyboard
DECOMPOSED = "Zu\u0308rich"  # the same word pasted from a decomposed source (PDF, macOS)


def test_composed_and_decomposed_forms_compare_equal() -> None:
    assert COMPOSED != DECOMPOSED  # what a plain comparison gets wrong
    assert fold(COMPOSED) == fold(DECOMPOSED) == fold("ZÜRICH") == "z\u00fcrich"
    assert contains(f"Office in {DECOMPOSED}", "zürich")
    assert contains(f"Office in {COMPOSED}", DECOMPOSED.upper())
    assert fold("Straße") == fold("STRASSE")  # case folding, not lower()


def test_terms_must_all_occur() -> None:
    terms = search_terms(f"  {DECOMPOSED}   Office ")
    assert terms == ["z\u00fcrich", "office"]
    assert matches_all(terms, fold(f"The office in {COMPOSED}"))
    assert not matches_all(terms, fold("The office in Geneva"))
    assert search_terms("   ") == [] and contains("anything", " ")


@given(st.text(max_size=30), st.text(max_size=8))
def test_the_stored_form_never_decides_a_match(text: str, query: str) -> None:
    for stored in (unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)):
        for typed in (unicodedata.normalize("NFC", query), unicodedata.normalize("NFD", query)):
            assert contains(stored, typed) == contains(text, query)
