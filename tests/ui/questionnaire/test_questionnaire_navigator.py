"""The navigator agrees with ScoringService; filters and search find the right subcategories."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.answers import AnswerService
from app.services.scoring import ScoringService
from app.ui.questionnaire.navigator_filter import FilterMode
from app.ui.questionnaire.navigator_model import Role

pytestmark = pytest.mark.gui

HIGH = {"coverage": "H", "robustness": "H", "input_diversity": "H"}
LOW = {"coverage": "L", "robustness": "L", "input_diversity": "L"}
MIXED = {"coverage": "H", "robustness": "M", "input_diversity": "L"}


def seed(ctx, aid: int) -> None:  # type: ignore[no-untyped-def]
    answers = AnswerService(ctx)
    answers.record(aid, "GOVERN 1.1", metrics=HIGH)
    answers.record(aid, "GOVERN 1.2", metrics=LOW, flagged=True)
    answers.record(aid, "GOVERN 1.3", metrics=MIXED, target=5)
    answers.record(aid, "GOVERN 2.1", not_applicable=True, na_rationale="No staff yet")
    answers.record(aid, "MAP 1.1", metrics=HIGH, target=2)
    answers.record(aid, "MAP 2.1", notes="The zebracorn review board signs off every release")
    answers.record(aid, "MEASURE 1.1", flagged=True)
    answers.record(aid, "MANAGE 4.3", level=None, metrics=MIXED)


def choose_filter(qtbot, page, mode: FilterMode) -> None:  # type: ignore[no-untyped-def]
    combo = page.navigator.filter_combo
    combo.setFocus()
    while combo.currentData() is not FilterMode.ALL:
        qtbot.keyClick(combo, Qt.Key.Key_Up)
    for _ in range(list(FilterMode).index(mode)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() is mode


def assert_agrees(page, score) -> None:  # type: ignore[no-untyped-def]
    model = page.navigator.model
    for node in score.walk():
        if node.kind == "overall":
            assert model.overall() == node
            continue
        index = model.index_of(node.id)
        shown = index.data(Role.NODE_SCORE)
        assert (shown.rated, shown.not_applicable, shown.total) == (
            node.rated,
            node.not_applicable,
            node.total,
        ), node.id
        assert shown.completion == pytest.approx(node.completion)
        assert shown.score == node.score
        text = model.index_of(node.id, 1).data()
        if node.kind != "subcategory":
            assert text.endswith(f"{round(node.completion * 100)}%"), (node.id, text)
    overall = score
    assert (
        f"{overall.answered} of {overall.total} answered ({overall.rated} rated, "
        f"{overall.not_applicable} not applicable)" in page.navigator.summary.text()
    )


def test_counts_and_filters_agree_with_the_scoring_service(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create(default_target=3)
    seed(ctx, aid)
    page = make_page(aid)
    score = ScoringService(ctx).score(aid)
    assert_agrees(page, score)
    proxy = page.navigator.proxy
    subs = score.subcategories()
    expected = {
        FilterMode.BELOW_TARGET: [s.id for s in subs if s.below_target],
        FilterMode.UNANSWERED: [s.id for s in subs if s.answered == 0],
        FilterMode.NOT_APPLICABLE: [s.id for s in subs if s.not_applicable],
        FilterMode.FLAGGED: ["GOVERN 1.2", "MEASURE 1.1"],
        FilterMode.ALL: [s.id for s in subs],
    }
    assert expected[FilterMode.BELOW_TARGET] == ["GOVERN 1.2", "GOVERN 1.3"]
    for mode, ids in expected.items():
        choose_filter(qtbot, page, mode)
        assert proxy.matching_subcategories() == ids, mode

    # Rating through the page updates the counts, still in agreement.
    choose_filter(qtbot, page, FilterMode.ALL)
    page.show_subcategory("GOVERN 1.4")
    page.editor.rating.choose(1)
    page.editor.rating.choose(4)
    page.editor.rating.choose(7)  # Low everywhere: 1 Minimal, below the target of 3
    settle(page)
    score = ScoringService(ctx).score(aid)
    assert_agrees(page, score)
    choose_filter(qtbot, page, FilterMode.BELOW_TARGET)
    assert "GOVERN 1.4" in proxy.matching_subcategories()

    # The unanswered filter keeps the subcategory being rated visible until the user moves on.
    choose_filter(qtbot, page, FilterMode.UNANSWERED)
    page.show_subcategory("GOVERN 1.5")
    for position in (3, 6, 9):
        page.editor.rating.choose(position)
    settle(page)
    assert "GOVERN 1.5" in proxy.visible_subcategories()
    assert "GOVERN 1.5" not in proxy.matching_subcategories()
    assert page.navigator.tree.currentIndex().data(Role.ID) == "GOVERN 1.5"


def test_carried_over_filter(qtbot, ctx, make_page, create):  # type: ignore[no-untyped-def]
    from app.services.lifecycle import LifecycleService

    first = create()
    AnswerService(ctx).record(first, "GOVERN 1.1", metrics=HIGH)
    AnswerService(ctx).record(first, "MAP 1.1", metrics=LOW)
    LifecycleService(ctx).finalize(first, "Ada Lovelace", "CISO")
    second = LifecycleService(ctx).start_next_cycle(first).id
    page = make_page(second)
    choose_filter(qtbot, page, FilterMode.CARRIED_OVER)
    assert page.navigator.proxy.matching_subcategories() == ["GOVERN 1.1", "MAP 1.1"]
    assert page.editor.carried.isVisible()  # GOVERN 1.1 is where the new cycle opens
    qtbot.mouseClick(page.editor.mark_reviewed, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not AnswerService(ctx).get(second, "GOVERN 1.1").carried_over)
    qtbot.waitUntil(lambda: page.navigator.proxy.matching_subcategories() == ["MAP 1.1"])
    assert not page.editor.carried.isVisible()


def test_search_by_statement_text_and_by_notes(  # type: ignore[no-untyped-def]
    qtbot, ctx, framework, make_page, create
):
    aid = create()
    seed(ctx, aid)
    page = make_page(aid)
    search = page.navigator.search

    # A word that only one statement contains.
    words: dict[str, set[str]] = {}
    for sub in framework.subcategories():
        for word in sub.text.casefold().replace(",", " ").replace(".", " ").split():
            words.setdefault(word, set()).add(sub.id)
    word, owner = next(
        (w, ids.pop()) for w, ids in sorted(words.items()) if len(ids) == 1 and len(w) > 8
    )
    qtbot.keyClicks(search, word.upper())
    assert page.navigator.proxy.matching_subcategories() == [owner]

    search.clear()
    qtbot.keyClicks(search, "zebracorn")
    assert page.navigator.proxy.matching_subcategories() == ["MAP 2.1"]
    assert not page.navigator.empty.isVisible()

    # An id finds that subcategory only (not MEASURE 2.10-2.13); so does the AI 600-1 form.
    search.clear()
    qtbot.keyClicks(search, "measure 2.1")
    assert page.navigator.proxy.matching_subcategories() == ["MEASURE 2.1"]
    search.clear()
    qtbot.keyClicks(search, "MS-2.11")
    assert page.navigator.proxy.matching_subcategories() == ["MEASURE 2.11"]
    search.clear()
    qtbot.keyClicks(search, "measure 2")
    assert len(page.navigator.proxy.matching_subcategories()) == 13

    search.clear()
    qtbot.keyClicks(search, "no such words anywhere")
    assert page.navigator.proxy.matching_subcategories() == []
    assert page.navigator.empty.isVisible()

    # Ctrl+F focuses the search box from anywhere on the page.
    page.editor.notes.setFocus()
    qtbot.keyClick(page.editor.notes, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert search.hasFocus()


def test_notes_typed_on_the_page_are_searchable(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create()
    page = make_page(aid)
    page.show_subcategory("MANAGE 1.2")
    qtbot.keyClicks(page.editor.notes, "Quokka escalation matrix")
    settle(page)
    page.show_subcategory("GOVERN 1.1")
    qtbot.keyClicks(page.navigator.search, "quokka")
    assert page.navigator.proxy.matching_subcategories() == ["MANAGE 1.2"]


def test_models_pass_the_model_tester(  # type: ignore[no-untyped-def]
    qtmodeltester, ctx, make_page, create, settle
):
    aid = create()
    seed(ctx, aid)
    page = make_page(aid)
    qtmodeltester.check(page.navigator.model)
    qtmodeltester.check(page.navigator.proxy)
    AnswerService(ctx).add_link(aid, "GOVERN 1.1", "Policy", "https://example.org/p")
    page2 = make_page(aid)
    assert page2.editor.evidence.model.rowCount() == 1
    qtmodeltester.check(page2.editor.evidence.model)
