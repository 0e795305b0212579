"""The first hour with the keyboard alone (issue 17, WCAG 2.2 SC 2.1.1 Keyboard and 2.4.3 Focus
Order): create an assessment, rate, N/A with its rationale, notes, an evidence link, the
dashboard, the PDF report and the sign-off, without one mouse event; in every dialog on the
way, Tab follows the visual order."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from tests.ui.shell.a11y_walk import focus_chain, out_of_reading_order

pytestmark = pytest.mark.gui
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


class MouseCounter(QObject):
    """Counts every mouse press, release, double-click and wheel event the application sees."""

    KINDS = {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
    }

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        self.count += event.type() in self.KINDS
        return False


def focused():  # type: ignore[no-untyped-def]
    """Where a key press goes: the focus widget, else the active window."""
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None, "no focus and no active window: a key press would be lost"
    return widget


def keys(qtbot, *presses) -> None:  # type: ignore[no-untyped-def]
    """Each press: a key, or (key, modifiers), sent to the widget that has the focus."""
    for press in presses:
        key, mods = press if isinstance(press, tuple) else (press, Qt.KeyboardModifier.NoModifier)
        qtbot.keyClick(focused(), key, mods)


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot, widget, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until ``widget`` has the focus (fails if it is not in the Tab chain)."""
    for _ in range(limit):
        if focused() is widget:
            return
        keys(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.objectName() or widget}")


def back_to(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """A closed dialog gives activation back to its window: the window manager's job, which
    the offscreen platform does not do."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def assert_reading_order(qtbot, dialog: QDialog) -> None:  # type: ignore[no-untyped-def]
    back_to(qtbot, dialog)  # a new dialog is activated by the window manager
    chain = focus_chain(dialog.focusWidget() or dialog)
    assert len(chain) >= 2, dialog.objectName()
    first = min(chain, key=lambda w: (w.mapTo(dialog, w.rect().topLeft()).y(), w.x()))
    chain = focus_chain(first)
    assert out_of_reading_order(chain, dialog) == [], dialog.objectName()


def test_first_hour_with_the_keyboard_alone(qtbot, ctx, make_window, ui, tmp_path, modal) -> None:  # type: ignore[no-untyped-def]
    mouse = MouseCounter()
    QApplication.instance().installEventFilter(mouse)
    window = make_window()
    ui.home_loaded(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    # Ctrl+N: the new-assessment dialog, the name field first.
    keys(qtbot, (Qt.Key.Key_N, CTRL))
    qtbot.waitUntil(
        lambda: window.home.new_dialog is not None and window.home.new_dialog.isVisible()
    )
    dialog = window.home.new_dialog
    qtbot.waitUntil(lambda: focused() is not None and focused().window() is dialog)
    assert_reading_order(qtbot, dialog)
    dialog.name.setFocus(Qt.FocusReason.TabFocusReason)
    type_text(qtbot, "Q3 review")
    tab_to(qtbot, dialog.ai_system)
    type_text(qtbot, "Loan scorer")
    keys(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current is not None)
    aid = window.current.id
    page = window.questionnaire
    qtbot.waitUntil(lambda: page.current_subcategory() == "GOVERN 1.1")
    editor = page.editor
    answers = AnswerService(ctx)

    # Rate GOVERN 1.1 High / Medium / Medium with Alt+1..9 (row = metric, column = option).
    back_to(qtbot, window)
    for key in (Qt.Key.Key_3, Qt.Key.Key_5, Qt.Key.Key_8):
        keys(qtbot, (key, ALT))
    qtbot.waitUntil(lambda: window.save_label.text().startswith("Saved at"))
    qtbot.waitUntil(lambda: (answers.get(aid, "GOVERN 1.1").metrics or {}).get("coverage") == "H")
    assert answers.get(aid, "GOVERN 1.1").metrics == {
        "coverage": "H",
        "robustness": "M",
        "input_diversity": "M",
    }

    # The form's Tab order is its visual order.
    body = editor.na.parentWidget().parentWidget()
    chain = focus_chain(editor.rating.focus_widgets()[0])
    inside = next((i for i, w in enumerate(chain) if not body.isAncestorOf(w)), len(chain))
    form = chain[:inside]  # from the rating down to where Tab leaves the form
    assert {editor.na, editor.notes, editor.evidence.url} <= set(form)
    assert out_of_reading_order(form, body) == []

    # Notes, then an evidence link, reached with Tab.
    tab_to(qtbot, editor.notes)
    type_text(qtbot, "Legal register kept in the wiki.")
    evidence = editor.evidence
    tab_to(qtbot, evidence.url)
    type_text(qtbot, "https://wiki.example/legal-register")
    keys(qtbot, Qt.Key.Key_Return)
    editor_flush = page.flush
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 1 if hasattr(evidence, "model") else True)
    editor_flush()
    window.background.wait()
    saved = answers.get(aid, "GOVERN 1.1")
    assert saved.notes == "Legal register kept in the wiki."
    assert [e.url for e in saved.evidence] == ["https://wiki.example/legal-register"]

    # Alt+Right: the next subcategory. Alt+0 (not applicable) first asks for the rationale and
    # puts the cursor in its field; typed, Alt+0 again marks it.
    keys(qtbot, (Qt.Key.Key_Right, ALT))
    qtbot.waitUntil(lambda: page.current_subcategory() == "GOVERN 1.2")
    keys(qtbot, (Qt.Key.Key_0, ALT))
    qtbot.waitUntil(lambda: focused() is editor.rationale)
    type_text(qtbot, "No model is trained here.")
    keys(qtbot, (Qt.Key.Key_0, ALT))
    page.flush()
    window.background.wait()
    qtbot.waitUntil(lambda: answers.get(aid, "GOVERN 1.2").not_applicable)
    assert answers.get(aid, "GOVERN 1.2").na_rationale == "No model is trained here."

    # Ctrl+2: the dashboard; its chart and heat map are reachable as tables with Tab and Space.
    keys(qtbot, (Qt.Key.Key_2, CTRL))
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is dashboard and dashboard.data is not None)
    qtbot.waitUntil(lambda: dashboard.data.tree.rated + dashboard.data.tree.not_applicable == 2)
    tab_to(qtbot, dashboard.heat_figure.toggle, limit=120)
    keys(qtbot, Qt.Key.Key_Space)
    assert dashboard.heat_figure.showing_table()
    keys(qtbot, Qt.Key.Key_Tab)
    assert focused() is dashboard.heat_figure.table

    # Ctrl+E: the report dialog, in reading order; a path typed, Enter exports.
    target = tmp_path / "q3-report.pdf"

    def export(dialog: QDialog) -> None:
        assert dialog.objectName() == "reportExportDialog"
        assert_reading_order(qtbot, dialog)
        dialog.path_edit.setFocus(Qt.FocusReason.TabFocusReason)
        keys(qtbot, (Qt.Key.Key_A, CTRL))
        type_text(qtbot, str(target))
        keys(qtbot, Qt.Key.Key_Return)

    keys(qtbot, (Qt.Key.Key_E, CTRL))  # the dialog is window-modal, opened without blocking
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    export(QApplication.activeModalWidget())
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=60_000)
    # "Report exported" offers Open report (the default) and Close; Escape closes it.
    qtbot.waitUntil(
        lambda: getattr(QApplication.activeModalWidget(), "objectName", str)() == "reportDoneBox",
        timeout=30_000,
    )
    done = QApplication.activeModalWidget()
    back_to(qtbot, done)
    keys(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    back_to(qtbot, window)

    # Alt+A opens the Assessment menu, F its "Finalize (sign off)…" item.
    def finalize(dialog: QDialog) -> None:
        assert dialog.objectName() == "finalizeDialog"
        assert_reading_order(qtbot, dialog)
        # Four eyes: the approver is not the person who answered (the default, "tester").
        tab_to(qtbot, dialog.signer)
        keys(qtbot, (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier))
        type_text(qtbot, "Ann Lee")
        tab_to(qtbot, dialog.role)
        type_text(qtbot, "Chief Risk Officer")
        keys(qtbot, Qt.Key.Key_Return)

    def open_menu() -> None:
        keys(qtbot, (Qt.Key.Key_A, ALT))
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
        menu = QApplication.activePopupWidget()
        assert menu.objectName() == "assessmentMenu"
        qtbot.keyClick(menu, Qt.Key.Key_F)  # the open menu has the keyboard

    modal(open_menu, finalize)
    qtbot.waitUntil(lambda: AssessmentService(ctx).get(aid).status.value == "finalized")
    QApplication.instance().removeEventFilter(mouse)
    assert mouse.count == 0
