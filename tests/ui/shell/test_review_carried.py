"""Issue 11 §3: carried-over answers are "not yet reviewed" until someone confirms them, and
confirming many at once (a category, a function, the filtered list, everything) is practical,
confirmed first, and recorded once per answer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.services.scoring import ScoringService
from app.ui.questionnaire.navigator_filter import FilterMode

pytestmark = pytest.mark.gui
M = {"coverage": "M", "robustness": "M", "input_diversity": "H"}


@pytest.fixture
def new_cycle(ctx) -> int:  # type: ignore[no-untyped-def]
    """A finalized cycle with GOVERN 1.1, GOVERN 1.2 and MAP 1.1 answered, then the next one."""
    a = AssessmentService(ctx).create({"name": "Claims 2026", "ai_system": "Claims triage"})
    answers = AnswerService(ctx)
    answers.record(a.id, "GOVERN 1.1", metrics=M, notes="baseline")
    answers.record(a.id, "GOVERN 1.2", metrics=M)
    answers.record(a.id, "MAP 1.1", not_applicable=True, na_rationale="Not deployed")
    LifecycleService(ctx).finalize(a.id, "Ann Lee", "CRO")
    return LifecycleService(ctx).start_next_cycle(a.id, "Claims 2027").id


def _open(window, qtbot, aid: int):  # type: ignore[no-untyped-def]
    window.open_assessment(aid)
    navigator = window.questionnaire.navigator
    qtbot.waitUntil(
        lambda: (
            window.current is not None
            and window.current.id == aid
            and navigator.model.overall() is not None
        )
    )
    return navigator


def _index(navigator, node_id: str):  # type: ignore[no-untyped-def]
    return navigator.proxy.mapFromSource(navigator.model.index_of(node_id))


def _answer_box(qtbot, review, button: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: review.box is not None and review.box.isVisible())
    review.box.findChild(object, button).click()


def test_review_a_function_from_the_navigator(make_window, qtbot, ctx, new_cycle) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    navigator = _open(window, qtbot, new_cycle)
    review = window.assessment_actions.review
    assert "3 not yet reviewed" in navigator.summary.text()
    gov = _index(navigator, "GOVERN")
    assert "2 not yet reviewed" in gov.data(Qt.ItemDataRole.ToolTipRole)

    # The context menu of a function offers its carried-over answers.
    navigator._context_menu(navigator.tree.visualRect(gov).center())
    menu = navigator.context_menu
    assert menu is not None
    first = menu.actions()[0]
    assert first.text() == "Mark reviewed: 2 carried-over answers in GOVERN…"
    assert first.isEnabled()
    menu.close()

    history_before = len(AnswerService(ctx).history(new_cycle))
    # Cancel changes nothing.
    first.trigger()
    _answer_box(qtbot, review, "cancelReviewButton")
    qtbot.waitUntil(lambda: review.box is None)
    assert LifecycleService(ctx).unreviewed(new_cycle) == ["GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"]

    navigator.review_requested.emit(["GOVERN 1.1", "GOVERN 1.2"], "GOVERN")
    qtbot.waitUntil(lambda: review.box is not None and review.box.isVisible())
    box = review.box
    assert box.text() == "Mark 2 carried-over answers of GOVERN reviewed?"
    assert "GOVERN 1.1, GOVERN 1.2." in box.informativeText()
    assert "one entry per answer under “tester”" in box.informativeText()
    assert box.defaultButton().objectName() == "cancelReviewButton"
    box.findChild(object, "confirmReviewButton").click()
    qtbot.waitUntil(lambda: LifecycleService(ctx).unreviewed(new_cycle) == ["MAP 1.1"])
    qtbot.waitUntil(lambda: "1 not yet reviewed" in navigator.summary.text())
    added = AnswerService(ctx).history(new_cycle)[history_before:]
    assert [(e.subcategory_id, e.field, e.new) for e in added] == [
        ("GOVERN 1.1", "carried_over", "no"),
        ("GOVERN 1.2", "carried_over", "no"),
    ]
    tree = ScoringService(ctx).score(new_cycle)
    assert tree.unreviewed == 1 and tree.completion == pytest.approx(2 / 72)


def test_review_what_the_filter_shows_and_everything(make_window, qtbot, ctx, new_cycle) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    navigator = _open(window, qtbot, new_cycle)
    review = window.assessment_actions.review
    # The "not yet reviewed" filter shows exactly the carried-over answers.
    combo = navigator.filter_combo
    combo.setCurrentIndex(combo.findData(FilterMode.CARRIED_OVER))
    assert navigator.proxy.matching_subcategories() == ["GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"]
    navigator.search.setText("MAP")
    choices = navigator.review_choices(_index(navigator, "MAP 1.1"))
    assert [(text, ids) for text, ids, _what in choices] == [
        ("Mark MAP 1.1 reviewed", ["MAP 1.1"]),
        ("Mark reviewed: 1 carried-over answer shown…", ["MAP 1.1"]),
    ]
    navigator.search.clear()

    # Assessment > Mark carried-over answers reviewed: all of them, after the confirmation.
    assert review.action in window.assessment_actions.assessment_menu_actions()
    review.action.trigger()
    qtbot.waitUntil(lambda: review.box is not None and review.box.isVisible())
    assert review.box.text() == "Mark 3 carried-over answers of the whole assessment reviewed?"
    review.box.findChild(object, "confirmReviewButton").click()
    qtbot.waitUntil(lambda: LifecycleService(ctx).unreviewed(new_cycle) == [])
    qtbot.waitUntil(lambda: "not yet reviewed" not in navigator.summary.text())
    # Nothing left: the action says so instead of asking.
    review.action.trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "infoBox") is not None)
    info = window.findChild(QMessageBox, "infoBox")
    assert "No answer of the whole assessment is waiting for review" in info.text()
    info.close()
    # A finalized assessment cannot be changed: the action is off.
    LifecycleService(ctx).finalize(new_cycle, "Ann Lee", "CRO")
    window.reload_assessment()
    qtbot.waitUntil(lambda: window.current.status.value == "finalized")
    assert not review.action.isEnabled()


def test_dashboard_card_shows_what_is_not_reviewed(qtbot, ctx, new_cycle) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dashboard.cards import ScoreCard

    card = ScoreCard("OVERALL", "Overall")
    qtbot.addWidget(card)
    card.set_node(ScoringService(ctx).score(new_cycle))
    assert card.completion_label.text() == "0% complete · 3 not yet reviewed"
    assert card.completion.value() == 0
    assert not card.provisional_label.isHidden()
    assert "3 not yet reviewed" in card.provisional_label.toolTip()
    assert "3 not yet reviewed" in card.accessibleDescription()
    LifecycleService(ctx).mark_reviewed(new_cycle, ["GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"])
    card.set_node(ScoringService(ctx).score(new_cycle))
    assert card.completion_label.text() == "4% complete (3 of 72)"
