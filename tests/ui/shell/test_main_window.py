"""The main window: menus and shortcuts, status bar, title, remembered state, start-up fallbacks."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QSplitter

from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.services.sample import create_sample

pytestmark = pytest.mark.gui


def _open(qtbot, window, assessment_id: int) -> None:  # type: ignore[no-untyped-def]
    window.open_assessment(assessment_id)
    qtbot.waitUntil(lambda: window.current is not None and window.current.id == assessment_id)


def _menu(window, name: str):  # type: ignore[no-untyped-def]
    return {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}[name]


def test_menus_and_shortcuts(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui.home_loaded(window)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[:2] == ["File", "Edit"] and titles[-2:] == ["View", "Help"]
    file_items = {
        a.text().replace("&", ""): a.shortcut().toString()
        for a in _menu(window, "File").actions()
        if not a.isSeparator()
    }
    assert file_items["New assessment…"] == "Ctrl+N"
    assert file_items["Import…"] == "Ctrl+O"
    assert file_items["Export PDF report…"] == "Ctrl+E"
    assert file_items["Quit"] == "Ctrl+Q"
    assert "Open sample assessment" in file_items and "Close assessment" in file_items
    view = {a.text().replace("&", ""): a for a in _menu(window, "View").actions()}
    assert view["Questionnaire"].shortcut().toString() == "Ctrl+1"
    assert view["Dashboard"].shortcut().toString() == "Ctrl+2"
    for action in (window.export_pdf_action, view["Dashboard"], window.home.duplicate_action):
        assert f"({action.shortcut().toString()})" in action.toolTip()
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert window.redo_action.shortcut().toString() == "Ctrl+Shift+Z"
    # Views of an assessment are disabled until one is open.
    assert not view["Dashboard"].isEnabled() and view["Home"].isChecked()

    # The questionnaire's own actions appear in Navigate / Rating, live only on its tab.
    q_menus = [m for m in window.questionnaire_menus]
    expected = window.questionnaire.menu_actions()
    assert [m.title().replace("&", "") for m in q_menus] == list(expected)
    for menu, actions in zip(q_menus, expected.values(), strict=True):
        assert [a for a in menu.actions() if not a.isSeparator()] == [
            a for a in actions if not a.isSeparator()
        ]
    sample = create_sample(ctx)
    _open(qtbot, window, sample.id)
    assert all(m.menuAction().isEnabled() for m in q_menus)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.dashboard
    assert not any(m.menuAction().isEnabled() for m in q_menus)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.questionnaire
    assert all(m.menuAction().isEnabled() for m in q_menus)


def test_status_bar_save_messages(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Saves", "ai_system": "Scorer"})
    window = make_window()
    _open(qtbot, window, created.id)
    when = dt.datetime(2026, 5, 1, 14, 3, 9)
    window.questionnaire.saved.emit(when)
    assert window.save_label.text() == "Saved at 14:03:09"
    failure = "GOVERN 1.1 not saved: the database is locked by another program"
    window.questionnaire.save_failed.emit(failure)
    assert window.save_label.text() == failure  # the page's sentence, prefixed by nobody
    window.show_message("something else happened")  # transient messages do not hide it
    assert window.save_label.isVisible()
    assert window.save_label.text() == failure
    window.questionnaire.saved.emit(when)  # another save: the failure is still the news
    assert window.save_label.text() == failure
    window.questionnaire.unsaved_changed.emit("")  # retried or dismissed
    assert window.save_label.text() == ""


def test_title_shows_finalized_read_only(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Signed off", "ai_system": "Scorer"})
    LifecycleService(ctx).finalize(created.id, "Ana", "Risk lead")
    window = make_window()
    _open(qtbot, window, created.id)
    assert window.windowTitle() == "Signed off (read-only: finalized) — AI RMF Assessor"
    window.close_assessment()
    assert window.windowTitle() == "AI RMF Assessor"
    assert window.stack.currentWidget() is window.home


def test_deleted_last_assessment_falls_back_to_home(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    keep = service.create({"name": "Keep", "ai_system": "Scorer"})
    gone = service.create({"name": "Gone", "ai_system": "Scorer"})
    first = make_window()
    _open(qtbot, first, gone.id)
    first.close()
    service.delete(gone.id)
    second = make_window()
    ui.home_loaded(second)
    qtbot.wait(50)
    assert second.current is None
    assert second.stack.currentWidget() is second.home
    assert not second.findChildren(QMessageBox, "errorBox")  # no error for a stale preference
    assert [r[0] for r in ui.home_rows(second)] == ["Keep"]
    assert keep.id != gone.id


def test_geometry_and_splitters_persist(qtbot, ctx, make_window, settings_path) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    first = make_window()
    assert (first.width(), first.height()) == (1280, 800)  # the default size
    _open(qtbot, first, sample.id)
    first.resize(1100, 700)
    first.show_dashboard()
    qtbot.waitUntil(lambda: first.dashboard.data is not None)
    splitter = first.dashboard.splitter
    total = sum(splitter.sizes())
    splitter.setSizes([total - 640, 640])
    wanted = splitter.sizes()
    first.close()
    stored = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert stored.value("window/geometry") is not None
    assert stored.value("splitters/dashboardSplitter") is not None

    second = make_window()
    qtbot.waitUntil(lambda: second.current is not None)
    assert second.height() == 700  # restored (the offscreen screen clamps the width)
    second.show_dashboard()
    qtbot.waitUntil(lambda: second.dashboard.data is not None)
    # The heat-map pane keeps the width the user gave it (the window itself is narrower here).
    assert second.findChild(QSplitter, "dashboardSplitter").sizes()[1] == wanted[1] == 640


def test_export_pdf_uses_the_report_helper(qtbot, ctx, make_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Report me", "ai_system": "Scorer"})
    window = make_window()
    calls: list[tuple[object, int]] = []
    fake = types.ModuleType("app.ui.report_export")
    fake.export_report_dialog = lambda parent, c, bg, aid: calls.append((parent, aid))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.ui.report_export", fake)
    _open(qtbot, window, created.id)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert calls == [(window, created.id)]


def test_export_pdf_without_a_target_says_so(qtbot, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui.home_loaded(window)
    window.export_pdf_action.trigger()
    boxes = [b for b in window.findChildren(QMessageBox, "infoBox") if b.isVisible()]
    assert boxes and "Open or select an assessment first" in boxes[0].text()
    boxes[0].button(QMessageBox.StandardButton.Ok).click()


def test_sample_from_the_welcome_then_delete_it(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui.home_loaded(window)
    home = window.home
    qtbot.mouseClick(home.empty.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current is not None, timeout=15_000)
    sample = window.current
    assert sample.ai_system == "Customer support chatbot"
    assert window.stack.currentWidget() is window.tabs
    window.show_home()
    qtbot.waitUntil(lambda: home.stack.currentWidget() is home.list_panel)
    [row] = ui.home_rows(window)
    assert row[5] != "0%" and "provisional" in row[6]  # partly filled

    home.select(sample.id)
    home.delete_action.trigger()
    qtbot.waitUntil(lambda: home.delete_box is not None and home.delete_box.isVisible())
    text = home.delete_box.text()
    answers = len(AssessmentService(ctx).answers(sample.id))
    assert sample.name in text and f"{answers} answers" in text and "history" in text
    with qtbot.waitSignal(home.loaded):
        home.delete_box.findChild(object, "confirmDeleteButton").click()
    assert AssessmentService(ctx).list() == []
    assert home.stack.currentWidget() is home.empty  # back to the welcome
    assert window.current is None and window.windowTitle() == "AI RMF Assessor"


def test_question_asked_before_the_page_loaded_is_shown(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    window = make_window(reopen_last=False)
    window.open_assessment(sample.id)
    qtbot.waitUntil(lambda: window.current is not None)
    window.show_subcategory("MANAGE 2.4")  # possibly before the questionnaire has its data
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() == "MANAGE 2.4")
    assert window.tabs.currentWidget() is window.questionnaire


def test_reload_after_sign_off_shows_read_only(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "To sign", "ai_system": "Scorer"})
    window = make_window()
    _open(qtbot, window, created.id)
    assert "read-only" not in window.windowTitle()
    LifecycleService(ctx).finalize(created.id, "Ana", "Risk lead")  # e.g. from a sign-off dialog
    window.reload_assessment()
    qtbot.waitUntil(lambda: "(read-only: finalized)" in window.windowTitle())
    assert window.current.status.value == "finalized"
