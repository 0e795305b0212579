"""The mouse wheel scrolls the page; it changes a value only in a widget the user focused.

Issue 11 section 1: scrolling the form over a combo box, spin box or date field changed the
value and saved it. Every such widget in the app carries the one shared guard
(``app.ui.wheel_guard``): checked here on every page of the main window and every dialog,
in the source of every UI module, and by behaviour on the questionnaire.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QDateEdit, QScrollArea, QWidget

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.ui.wheel_guard import guard_wheel, is_guarded, unguarded

pytestmark = pytest.mark.gui

UI = Path(__file__).resolve().parents[3] / "app" / "ui"
# Constructors of widgets whose value the wheel changes (QDateEdit etc. are spin boxes).
VALUE_WIDGET_CALL = re.compile(
    r"\b(QComboBox|QFontComboBox|QSpinBox|QDoubleSpinBox|QDateEdit|QTimeEdit|QDateTimeEdit"
    r"|QSlider|QDial)\("
)


def wheel(widget: QWidget, notches: int = -1) -> None:
    """Turn the wheel over the middle of ``widget`` (negative: down), via the window system."""
    top = widget.window()
    QTest.wheelEvent(
        top.windowHandle(),
        QPointF(widget.mapTo(top, widget.rect().center())),
        QPoint(0, 120 * notches),
    )


def test_every_value_widget_in_the_ui_source_is_guarded() -> None:
    """Each UI module guards as many widgets as it builds (catches a new, unguarded one)."""
    for path in sorted(UI.rglob("*.py")):
        if path.name == "wheel_guard.py":
            continue
        source = path.read_text(encoding="utf-8")
        built = len(VALUE_WIDGET_CALL.findall(source))
        guarded = source.count("guard_wheel(")
        assert guarded >= built, f"{path.relative_to(UI)}: {built} value widgets, {guarded} guarded"
    for path in sorted(UI.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "QInputDialog.getItem" not in text and "QInputDialog.getInt" not in text, (
            f"{path.name}: a QInputDialog builds an unguarded value widget"
        )


def test_every_page_of_the_main_window_is_guarded(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.main_window import MainWindow

    aid = AssessmentService(ctx).create({"name": "Q3", "ai_system": "Loan scorer"}).id
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.questionnaire.loaded, timeout=10_000):
        window.open_assessment(aid)
    window.show_questionnaire()
    window.show_dashboard()
    window.show_progress()
    window.show_home()
    window.background.wait()
    qtbot.wait(50)
    seen = [w for w in window.findChildren(QWidget) if isinstance(w, QComboBox | QDateEdit)]
    assert len(seen) >= 6  # target, evidence status, navigator filter, system filter, dates
    assert unguarded(window) == []
    window.close()
    window.background.wait()


def test_every_dialog_is_guarded(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.persistence.backups import Backup  # noqa: F401 - the dialog's item type
    from app.ui.dialogs.finalize import FinalizeDialog
    from app.ui.dialogs.new_assessment import NewAssessmentDialog
    from app.ui.dialogs.next_cycle import NextCycleDialog
    from app.ui.dialogs.preferences import PreferencesDialog
    from app.ui.dialogs.rename import RenameDialog
    from app.ui.dialogs.reopen import ReopenDialog
    from app.ui.dialogs.restore_backup import RestoreBackupDialog
    from app.ui.report_export import ReportOptionsDialog

    service = AssessmentService(ctx)
    assessment = service.create({"name": "Q3", "ai_system": "Loan scorer"})
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    dialogs = [
        NewAssessmentDialog(ctx),
        ReportOptionsDialog(tmp_path / "r.pdf", "a4", "Internal", None),
        NextCycleDialog(ctx, assessment.id),
        FinalizeDialog(ctx, assessment.id),
        ReopenDialog(ctx, assessment.id),
        PreferencesDialog(settings),
        RenameDialog(service, assessment),
        RestoreBackupDialog([], str(tmp_path / "db.sqlite3")),
    ]
    combos = 0
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        combos += len(dialog.findChildren(QComboBox))
        assert unguarded(dialog) == [], type(dialog).__name__
        dialog.close()
    assert combos >= 5  # framework, scheme, target; paper, label


@pytest.fixture
def page(make_page, create):  # type: ignore[no-untyped-def]
    aid = create()
    page = make_page(aid)
    page.resize(1000, 420)  # short: the form scrolls
    return page


def test_wheel_over_an_unfocused_field_scrolls_the_form_and_stores_nothing(  # type: ignore[no-untyped-def]
    qtbot, page, ctx, settle, background
) -> None:
    editor = page.editor
    aid = page.controller.data.assessment.id
    bar = editor.verticalScrollBar()
    assert bar.maximum() > 0, "the form must be taller than the page for this test"
    editor.notes.setFocus()  # focus elsewhere, as after typing notes
    for widget in (editor.target, editor.evidence.status):
        bar.setValue(0)
        editor.ensureWidgetVisible(widget)  # both sit low in the form: scrolled down to them
        before_value, before_scroll = widget.currentIndex(), bar.value()
        assert before_scroll > 0
        assert is_guarded(widget) and not widget.hasFocus()
        wheel(widget, +1)  # up: the form can scroll that way
        assert widget.currentIndex() == before_value
        assert not widget.hasFocus()  # the wheel does not focus it either
        assert bar.value() < before_scroll  # the page scrolled instead
    settle(page)
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1")
    assert stored.target is None and stored.evidence_status is None
    assert AnswerService(ctx).history(aid) == []


def test_wheel_over_a_focused_field_still_changes_it(qtbot, page, ctx, settle) -> None:  # type: ignore[no-untyped-def]
    target = page.editor.target
    page.editor.ensureWidgetVisible(target)
    target.setFocus(Qt.FocusReason.TabFocusReason)
    assert target.hasFocus()
    before = target.currentIndex()
    wheel(target)
    assert target.currentIndex() == before + 1  # deliberate: focused by the user


def test_guard_on_a_spin_box_and_date_edit(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The same guard on the other kinds: spin box and date edit keep their value."""
    from PySide6.QtWidgets import QLineEdit, QSpinBox, QVBoxLayout

    area = QScrollArea()
    body = QWidget()
    layout = QVBoxLayout(body)
    elsewhere, spin, date = QLineEdit(body), QSpinBox(body), QDateEdit(body)
    layout.addWidget(elsewhere)
    spin.setRange(0, 10)
    spin.setValue(5)
    layout.addWidget(spin)
    layout.addWidget(date)
    layout.addSpacing(2000)
    area.setWidget(body)
    area.resize(300, 200)
    qtbot.addWidget(area)
    guard_wheel(spin, date)
    area.show()
    qtbot.waitExposed(area)
    elsewhere.setFocus()
    day = date.date()
    wheel(spin)
    wheel(date)
    assert spin.value() == 5 and date.date() == day
    assert area.verticalScrollBar().value() > 0
    assert spin.focusPolicy() == Qt.FocusPolicy.StrongFocus
