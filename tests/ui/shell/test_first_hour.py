"""A new user's first hour, at the shell level: welcome, create, list, open, rate, quit, resume."""

from __future__ import annotations

import importlib.util

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox

from app.services.assessments import AssessmentService
from app.services.scoring import ScoringService
from app.ui.home.model import Column

pytestmark = pytest.mark.gui
HAS_QUESTIONNAIRE = importlib.util.find_spec("app.ui.questionnaire.page") is not None


def test_first_hour(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui.home_loaded(window)

    # An empty database: the welcome says what the app does and offers two ways in.
    home = window.home
    assert home.stack.currentWidget() is home.empty
    assert home.empty.isVisible()
    assert "NIST AI Risk Management Framework" in home.empty.findChild(object, "emptyIntro").text()
    assert home.empty.sample_button.text() == "Open a sample assessment"
    assert window.windowTitle() == "AI RMF Assessor"

    # New assessment, through the dialog's real widgets.
    qtbot.mouseClick(home.empty.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: home.new_dialog is not None and home.new_dialog.isVisible())
    dialog = home.new_dialog
    assert dialog.assessor.text() == "tester"  # defaults to the current user
    assert (
        dialog.target_combo.currentData() == 3
        and "Established" in dialog.target_combo.currentText()
    )
    assert dialog.scheme_combo.currentData() == "rubric"
    create = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # Invalid: no name. The dialog stays open and says so next to the field.
    qtbot.keyClicks(dialog.ai_system, "Loan scorer")
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["name"].isVisible()
    assert dialog.errors["name"].text() == "A name is required."
    assert AssessmentService(ctx).list() == []

    # Invalid: the GenAI overlay with no risk ticked.
    qtbot.keyClicks(dialog.name, "Q3 2026 review")
    assert not dialog.errors["name"].isVisible()  # typing clears the message
    dialog.genai.click()
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.errors["profiles"].isVisible()
    risk = dialog.risks.item(1)  # Confabulation
    assert risk.toolTip()  # the definition, verbatim from NIST AI 600-1
    risk.setCheckState(Qt.CheckState.Checked)

    # Valid: it is created and opened.
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current is not None)
    [summary] = AssessmentService(ctx).list()
    created = summary.assessment
    assert (created.name, created.ai_system, created.assessor) == (
        "Q3 2026 review",
        "Loan scorer",
        "tester",
    )
    assert created.profiles[0].risks == ["confabulation"]
    assert window.current.id == created.id
    assert window.stack.currentWidget() is window.tabs
    assert window.windowTitle().startswith("Q3 2026 review")

    # Back home: the list shows it with the right columns.
    window.home_view_action.trigger()
    qtbot.waitUntil(lambda: home.stack.currentWidget() is home.list_panel)
    rows = ui.home_rows(window)
    assert len(rows) == 1
    row = rows[0]
    assert row[Column.NAME] == "Q3 2026 review"
    assert row[Column.SYSTEM] == "Loan scorer"
    assert row[Column.ASSESSOR] == "tester"
    assert row[Column.STATUS] == "Draft"
    assert row[Column.COMPLETION] == "0%"
    assert row[Column.SCORE] == "–"
    headers = [home.proxy.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == [
        "Name",
        "AI system",
        "Assessor",
        "Status",
        "Last change",
        "Completion",
        "Overall score",
    ]

    # Open it again with a double-click on its row.
    window.close_assessment()
    assert window.current is None
    index = home.proxy.index(0, Column.NAME)
    rect = home.table.visualRect(index)
    qtbot.mouseClick(home.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(home.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current is not None)
    assert window.current.id == created.id

    if HAS_QUESTIONNAIRE:
        # Rate GOVERN 1.1 High / Medium / Medium with the questionnaire's own buttons.
        page = window.questionnaire
        qtbot.waitUntil(lambda: page.current_subcategory() == "GOVERN 1.1")
        for name in ("rating_coverage_H", "rating_robustness_M", "rating_input_diversity_M"):
            qtbot.waitUntil(lambda n=name: _visible_button(page, n) is not None)
            qtbot.mouseClick(_visible_button(page, name), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.save_label.text().startswith("Saved at"))
        tree = ScoringService(ctx).score(created.id)
        assert tree.find("GOVERN 1.1").score == 3.0  # 3 + 2 + 2 = 7 points -> 3

    # Quit; a new window on the same database reopens the same assessment.
    window.close()
    assert not window.isVisible()
    again = make_window()
    qtbot.waitUntil(lambda: again.current is not None)
    assert again.current.id == created.id
    assert again.stack.currentWidget() is again.tabs
    assert again.windowTitle().startswith("Q3 2026 review")
    QApplication.processEvents()


def _visible_button(page, name):  # type: ignore[no-untyped-def]
    for button in page.findChildren(QAbstractButton, name):
        if button.isVisible() and button.isEnabled():
            return button
    return None
