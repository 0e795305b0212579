"""Help > User guide (shipped, offline), Help > Keyboard shortcuts (read from the menus) and the
"What does this mean?" buttons that open the guide's Scoring section (issue 17, Help)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton

from app.services.sample import create_sample
from app.ui.help import SCORING, ShortcutsDialog, UserGuideDialog, guide_path, shortcut_rows

pytestmark = pytest.mark.gui


def _all_shortcut_actions(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    found = {}
    for menu in window.menuBar().findChildren(QMenu) + window.findChildren(QMenu):
        for action in menu.actions():
            visible = action.isVisible() and not action.isSeparator()
            if visible and not action.shortcut().isEmpty():
                native = QKeySequence.SequenceFormat.NativeText
                keys = ", ".join(k.toString(native) for k in action.shortcuts())
                found[action.text().replace("&", "").rstrip("…")] = keys
    return found


def test_guide_is_shipped_self_contained_and_has_the_scoring_section() -> None:
    html = guide_path().read_text(encoding="utf-8")
    assert '<a name="scoring">' in html
    # No network: nothing is loaded from elsewhere (no remote images, scripts or styles).
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # Every link inside the guide points at a section it has.
    anchors = set(re.findall(r'<a name="([^"]+)"', html))
    assert set(re.findall(r'href="#([^"]+)"', html)) <= anchors


def test_help_menu_opens_the_guide_and_the_shortcuts(qtbot, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui.home_loaded(window)
    help_menu = window.menuBar().findChild(QMenu, "helpMenu")
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["&User guide", "&Keyboard shortcuts"]

    window.guide_action.trigger()
    guide = window.findChild(UserGuideDialog)
    assert guide is not None and guide.isVisible()
    assert "Your first hour" in guide.browser.toPlainText()
    window.guide_action.trigger()  # reused, not a second window
    assert len(window.findChildren(UserGuideDialog)) == 1
    guide.close()

    window.shortcuts_action.trigger()
    dialog = window.findChild(ShortcutsDialog)
    qtbot.waitUntil(lambda: dialog.isVisible())
    shown = {
        dialog.table.item(r, 1).text(): dialog.table.item(r, 2).text()
        for r in range(dialog.table.rowCount())
    }
    # Generated from the actions: every menu action with a shortcut, with that shortcut.
    assert shown == _all_shortcut_actions(window)
    assert shown["New assessment"] == QKeySequence(QKeySequence.StandardKey.New).toString(
        QKeySequence.SequenceFormat.NativeText
    )
    dialog.close()


def test_shortcuts_follow_a_new_action(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    """The list cannot drift: an action added to a menu is listed with its key."""
    window = make_window()
    menu = window.menuBar().findChild(QMenu, "viewMenu")
    action = QAction("&Zoom everything", window)
    action.setShortcut(QKeySequence("Ctrl+Alt+Z"))
    menu.addAction(action)
    rows = shortcut_rows(window.menuBar())
    assert ("View", "Zoom everything") in [(r.menu, r.action) for r in rows]


def _at_scoring(guide: UserGuideDialog) -> bool:
    bar = guide.browser.verticalScrollBar()
    cursor = guide.browser.cursorForPosition(guide.browser.viewport().rect().topLeft())
    block = cursor.block().text()
    return bar.value() > 0 and ("Scoring" in block or "Rating schemes" in block)


def test_what_does_this_mean_opens_scoring_from_the_rating_and_the_export_dialog(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_window, tmp_path
) -> None:
    from PySide6.QtCore import Qt

    from app.ui.report_export import ReportOptionsDialog

    sample = create_sample(ctx)
    window = make_window(reopen_last=False)
    window.open_assessment(sample.id)
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() is not None)
    buttons = [b for b in window.findChildren(QPushButton, f"guideLink_{SCORING}") if b.isVisible()]
    assert len(buttons) == 1
    editor_button = buttons[0]
    editor_button.setFocus()
    qtbot.keyClick(editor_button, Qt.Key.Key_Space)  # keyboard-operable
    guide = window.findChild(UserGuideDialog)
    qtbot.waitUntil(lambda: guide is not None and guide.isVisible())
    qtbot.waitUntil(lambda: _at_scoring(guide))
    guide.close()

    dialog = ReportOptionsDialog(tmp_path / "r.pdf", "A4", "Internal", window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.method_help.setFocus()
    qtbot.keyClick(dialog.method_help, Qt.Key.Key_Space)
    # Parented to the (modal) export dialog, so that it can be read and closed while it is open.
    over = dialog.findChild(UserGuideDialog)
    qtbot.waitUntil(lambda: over is not None and over.isVisible() and _at_scoring(over))
    assert over.isModal() is False
    dialog.close()
    guide.close()
