"""The navigator's search: any Unicode form of a word finds it, counts read as sentences, and the
subcategory being edited is listed only when it matches."""

from __future__ import annotations

import pytest

from app.services.answers import AnswerService
from app.ui.questionnaire.navigator_model import Role
from app.ui.questionnaire.navigator_view import matches_text

pytestmark = pytest.mark.gui

COMPOSED = "Z\u00fcrich"
DECOMPOSED = "Zu\u0308rich"


def listed(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.navigator.proxy.visible_subcategories()


@pytest.mark.parametrize(("stored", "typed"), [(DECOMPOSED, COMPOSED), (COMPOSED, DECOMPOSED)])
def test_a_word_is_found_whatever_its_unicode_form(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, stored, typed
):
    aid = create()
    AnswerService(ctx).record(aid, "MAP 3.2", notes=f"Data centre in {stored}")
    page = make_page(aid)
    page.navigator.search.insert(typed.upper())  # as pasted
    assert page.navigator.proxy.matching_subcategories() == ["MAP 3.2"]
    assert listed(page) == ["MAP 3.2"]


def test_counts_are_sentences() -> None:
    assert matches_text(0) == "No subcategory matches."
    assert matches_text(1) == "1 match."
    assert matches_text(13) == "13 matches."


def test_nothing_matching_lists_nothing_and_the_editor_stays(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create
):
    aid = create()
    page = make_page(aid)
    page.show_subcategory("MAP 1.1")
    nav = page.navigator
    qtbot.keyClicks(nav.search, "no such words anywhere")
    assert listed(page) == []  # the current subcategory is not listed as if it matched
    assert nav.empty.isVisible() and nav.empty.text().startswith("No subcategory matches")
    assert "match" not in nav.summary.text()  # not "0 match." beside it
    assert page.controller.current == "MAP 1.1"  # the editor did not move

    nav.search.clear()
    qtbot.keyClicks(nav.search, "measure 2")  # 13 others match: MAP 1.1 is not among them
    assert "MAP 1.1" not in listed(page) and len(listed(page)) == 13
    assert "13 matches." in nav.summary.text()
    assert page.controller.current == "MAP 1.1"

    nav.search.clear()  # everything is back, with the edited subcategory current again
    assert nav.tree.currentIndex().data(Role.ID) == "MAP 1.1"
    assert page.controller.current == "MAP 1.1"
