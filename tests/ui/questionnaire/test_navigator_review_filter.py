"""The navigator's review-state filters: "Ready for review", "Returned", "Reviewed" list the
subcategories in that state, follow a change of state made in the window or read later, and
keep the subcategory being edited in place while its state changes under the user's hands."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.review import ReviewAction, ReviewState
from app.services.answers import AnswerService
from app.services.review import ReviewService
from app.ui.questionnaire.navigator_filter import FilterMode

pytestmark = pytest.mark.gui
CLICK = Qt.MouseButton.LeftButton
M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def aid(ctx, create) -> int:  # type: ignore[no-untyped-def]
    aid: int = create()
    answers, reviews = AnswerService(ctx), ReviewService(ctx)
    for sub in ("GOVERN 1.1", "GOVERN 1.2", "MAP 1.1", "MEASURE 1.1"):
        answers.record(aid, sub, metrics=M)
    for sub in ("GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"):
        reviews.act(aid, sub, ReviewAction.READY)
    ctx.actor = "sam"
    reviews.act(aid, "GOVERN 1.2", ReviewAction.APPROVE)
    reviews.act(aid, "MAP 1.1", ReviewAction.RETURN, comment="Cite the inventory")
    ctx.actor = "alice"
    return aid


def _choose(page, mode: FilterMode) -> list[str]:  # type: ignore[no-untyped-def]
    nav = page.navigator
    nav.filter_combo.setCurrentIndex(nav.filter_combo.findData(mode))
    return nav.proxy.matching_subcategories()  # type: ignore[no-any-return]


def _loaded(page) -> bool:  # type: ignore[no-untyped-def]
    return page.navigator.model.review("GOVERN 1.2") is ReviewState.REVIEWED


def test_each_review_state_has_a_filter(qtbot, make_page, aid, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    page = make_page(aid)
    qtbot.waitUntil(lambda: _loaded(page), timeout=5000)
    nav = page.navigator
    labels = [nav.filter_combo.itemText(i) for i in range(nav.filter_combo.count())]
    assert {"Ready for review", "Returned", "Reviewed"} <= set(labels)
    assert _choose(page, FilterMode.READY_FOR_REVIEW) == ["GOVERN 1.1"]
    qtmodeltester.check(nav.proxy)
    assert _choose(page, FilterMode.REVIEWED) == ["GOVERN 1.2"]
    qtmodeltester.check(nav.proxy)
    assert _choose(page, FilterMode.RETURNED) == ["MAP 1.1"]
    qtmodeltester.check(nav.proxy)
    assert not nav.empty.isVisible()
    assert "1 match." in nav.summary.text()


def test_states_read_after_the_filter_was_chosen_are_applied(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, aid, qtmodeltester
) -> None:
    page = make_page(aid)
    qtbot.waitUntil(lambda: _loaded(page), timeout=5000)
    nav = page.navigator
    assert _choose(page, FilterMode.READY_FOR_REVIEW) == ["GOVERN 1.1"]
    # Another person asks for review of MEASURE 1.1; the states are read again (as when the
    # assessment is reopened): the filter lists it without the user choosing it again.
    ReviewService(ctx).act(aid, "MEASURE 1.1", ReviewAction.READY)
    states = {sub: r.state for sub, r in ReviewService(ctx).states(aid).items()}
    nav.model.set_reviews(states)
    assert nav.proxy.matching_subcategories() == ["GOVERN 1.1", "MEASURE 1.1"]
    assert "MEASURE 1.1" in nav.proxy.visible_subcategories()
    qtmodeltester.check(nav.proxy)
    nav.model.set_reviews({})  # all draft: nothing is ready
    qtbot.waitUntil(lambda: nav.empty.isVisible(), timeout=5000)


def test_a_review_in_the_window_moves_the_row_between_filters(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, aid, background
) -> None:
    page = make_page(aid)
    qtbot.waitUntil(lambda: _loaded(page), timeout=5000)
    nav = page.navigator
    assert _choose(page, FilterMode.READY_FOR_REVIEW) == ["GOVERN 1.1"]
    page.show_subcategory("GOVERN 1.1")
    panel = page.editor.review
    qtbot.waitUntil(lambda: panel.approve.isEnabled(), timeout=5000)
    ctx.actor = "sam"
    qtbot.mouseClick(panel.approve, CLICK)
    background.wait()
    qtbot.waitUntil(lambda: nav.model.review("GOVERN 1.1") is ReviewState.REVIEWED, timeout=5000)
    # No longer ready for review, but the row being edited stays where it is.
    assert nav.proxy.matching_subcategories() == []
    assert nav.proxy.visible_subcategories() == ["GOVERN 1.1"]
    assert _choose(page, FilterMode.REVIEWED) == ["GOVERN 1.1", "GOVERN 1.2"]
