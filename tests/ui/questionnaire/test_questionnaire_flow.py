"""A new user's first session on the questionnaire, then reopening it: everything is as left."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.answers import AnswerService

pytestmark = pytest.mark.gui

ALL_MEDIUM = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    """Click a button; check boxes and radio buttons on their indicator (left end)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QCheckBox, QRadioButton

    if isinstance(widget, QCheckBox | QRadioButton):
        pos = QPoint(8, widget.height() // 2)
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def button(page, name: str):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton

    found = page.findChild(QAbstractButton, name)
    assert found is not None, name
    return found


def select_in_tree(qtbot, page, sub: str) -> None:  # type: ignore[no-untyped-def]
    nav = page.navigator
    index = nav.proxy.mapFromSource(nav.model.index_of(sub))
    nav.tree.scrollTo(index)
    rect = nav.tree.visualRect(index)
    qtbot.mouseClick(nav.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_subcategory() == sub


def test_first_session_is_all_there_after_reopening(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create()
    answers = AnswerService(ctx)
    page = make_page(aid)
    editor = page.editor
    assert page.current_subcategory() == "GOVERN 1.1"
    assert editor.heading.text() == "GOVERN 1.1"
    assert "Not rated yet" in editor.rating.result.text()

    # GOVERN 1.1 with the mouse: the score shows live, the rating is saved once complete.
    saves: list[object] = []
    page.saved.connect(saves.append)
    click(qtbot, button(page, "rating_coverage_H"))
    assert "Choose Robustness and Input diversity" in editor.rating.result.text()
    click(qtbot, button(page, "rating_robustness_M"))
    click(qtbot, button(page, "rating_input_diversity_M"))
    assert "Score 3" in editor.rating.result.text() and "Established" in editor.rating.result.text()
    qtbot.waitUntil(lambda: answers.get(aid, "GOVERN 1.1").metrics != {}, timeout=5000)
    assert answers.get(aid, "GOVERN 1.1").metrics == {
        "coverage": "H",
        "robustness": "M",
        "input_diversity": "M",
    }
    qtbot.waitUntil(lambda: len(saves) >= 1)

    # A note, typed: saved after a pause, with no save button.
    qtbot.keyClicks(editor.notes, "Policy v2 approved by the board")
    qtbot.waitUntil(
        lambda: answers.get(aid, "GOVERN 1.1").notes == "Policy v2 approved by the board",
        timeout=5000,
    )

    # A link as evidence.
    qtbot.keyClicks(editor.evidence.url, "https://intranet.example/ai-policy")
    qtbot.keyClicks(editor.evidence.link_title, "AI policy v2")
    click(qtbot, editor.evidence.add_link_button)
    qtbot.waitUntil(lambda: len(answers.get(aid, "GOVERN 1.1").evidence) == 1, timeout=5000)
    qtbot.waitUntil(lambda: editor.evidence.model.rowCount() == 1)
    assert editor.evidence.url.text() == ""
    assert "AI policy v2" in editor.evidence.model.index(0).data()

    # Suggested actions ticked "in place", with the keyboard (Space) in the guidance panel.
    actions = page.guidance.actions
    page.guidance.setCurrentIndex(1)
    actions.setFocus()
    actions.setCurrentRow(0)
    qtbot.keyClick(actions, Qt.Key.Key_Space)
    actions.setCurrentRow(2)
    qtbot.keyClick(actions, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: answers.get(aid, "GOVERN 1.1").actions_in_place == [0, 2], timeout=5000)
    assert page.guidance.tabText(1) == "Actions 2/3"

    # Next subcategory with the keyboard, rated with the Alt+digit shortcuts.
    editor.notes.setFocus()
    qtbot.keyClick(editor.notes, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.current_subcategory() == "GOVERN 1.2"
    for key in (Qt.Key.Key_2, Qt.Key.Key_5, Qt.Key.Key_8):
        qtbot.keyClick(editor.notes, key, Qt.KeyboardModifier.AltModifier)
    assert button(page, "rating_robustness_M").isChecked()
    qtbot.waitUntil(lambda: answers.get(aid, "GOVERN 1.2").metrics == ALL_MEDIUM, timeout=5000)

    # GOVERN 1.3 with the arrow keys inside the rating rows.
    qtbot.keyClick(editor.notes, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.current_subcategory() == "GOVERN 1.3"
    for metric in ("coverage", "robustness", "input_diversity"):
        low = button(page, f"rating_{metric}_L")
        low.setFocus()
        qtbot.keyClick(low, Qt.Key.Key_Space)
        qtbot.keyClick(low, Qt.Key.Key_Right)
    assert button(page, "rating_input_diversity_M").isChecked()
    qtbot.waitUntil(lambda: answers.get(aid, "GOVERN 1.3").metrics == ALL_MEDIUM, timeout=5000)

    # GOVERN 1.4 not applicable: refused without a rationale, accepted with one.
    click(qtbot, button(page, "nextButton"))
    assert page.current_subcategory() == "GOVERN 1.4"
    click(qtbot, editor.na)
    assert not editor.na.isChecked()
    assert editor.na_error.isVisible()
    assert "needs a rationale" in editor.na_error.text()
    settle(page)
    assert not answers.get(aid, "GOVERN 1.4").not_applicable
    qtbot.keyClicks(editor.rationale, "The system has no external users yet")
    click(qtbot, editor.na)
    assert editor.na.isChecked()
    assert not editor.na_error.isVisible()
    assert not editor.rating.isEnabled()  # a not-applicable answer carries no rating
    settle(page)
    stored = answers.get(aid, "GOVERN 1.4")
    assert stored.not_applicable and stored.na_rationale == "The system has no external users yet"

    # Back to GOVERN 1.1 through the navigator; the position is remembered.
    select_in_tree(qtbot, page, "GOVERN 1.1")
    settle(page)
    summary = page.navigator.summary.text()
    assert "4 of 72 answered (3 rated, 1 not applicable)" in summary

    # Close the page; a new one on the same database finds everything as it was.
    page.close()
    page.deleteLater()
    qtbot.wait(10)
    again = make_page(aid)
    ed = again.editor
    assert again.current_subcategory() == "GOVERN 1.1"
    assert button(again, "rating_coverage_H").isChecked()
    assert button(again, "rating_robustness_M").isChecked()
    assert button(again, "rating_input_diversity_M").isChecked()
    assert "Score 3" in ed.rating.result.text()
    assert ed.notes.toPlainText() == "Policy v2 approved by the board"
    assert ed.evidence.model.rowCount() == 1
    assert "https://intranet.example/ai-policy" in ed.evidence.model.index(0).data()
    assert again.guidance.in_place() == [0, 2]
    again.show_subcategory("GOVERN 1.4")
    assert ed.na.isChecked()
    assert ed.rationale.toPlainText() == "The system has no external users yet"
    again.show_subcategory("GOVERN 1.2")
    assert all(button(again, f"rating_{m}_M").isChecked() for m in ALL_MEDIUM)

    stored = answers.get(aid, "GOVERN 1.1")
    assert stored.notes == "Policy v2 approved by the board"
    assert [(e.title, e.url) for e in stored.evidence] == [
        ("AI policy v2", "https://intranet.example/ai-policy")
    ]
    assert stored.actions_in_place == [0, 2]
    assert stored.metrics == {"coverage": "H", "robustness": "M", "input_diversity": "M"}


def test_the_breadcrumb_names_a_function_once(qtbot, ctx, make_page, settle, create) -> None:  # type: ignore[no-untyped-def]
    """ "GOVERN  ›  GOVERN 1: …", never the redundant "GOVERN (Govern)" (the report's rule,
    ``domain.report.function_name``, held on the window's surface too)."""
    page = make_page(create())
    settle(page)
    text = page.editor.context.text()
    assert text.startswith("GOVERN  ›  GOVERN 1: Policies"), text
    assert "(Govern)" not in text
