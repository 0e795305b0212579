"""Edit > Preferences: light, dark or the system's colour scheme and a text size that the whole
window follows, at once and at the next start (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from app.services.sample import create_sample
from app.ui.appearance import SCHEME_KEY, TEXT_SIZE_KEY, Appearance, saved_scheme
from app.ui.dialogs.preferences import PreferencesDialog
from app.ui.style import is_dark

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _back_to_the_system() -> Iterator[None]:
    """Later tests get the application as it was (one QApplication serves the whole run)."""
    app = QApplication.instance()
    style, palette, font = app.style().name(), QPalette(app.palette()), app.font()
    yield
    appearance = Appearance.of(app)
    appearance.apply("system", 100)
    app.setStyle(style)
    app.setPalette(palette)
    app.setFont(font)


def _choose(qtbot, combo, text: str) -> None:  # type: ignore[no-untyped-def]
    """Pick ``text`` in ``combo`` with the keyboard only."""
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentText() != text:
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, f"{text!r} not in the list"


def test_scheme_and_text_size_apply_at_once_and_at_start(  # type: ignore[no-untyped-def]
    qtbot, ctx, modal, make_window
) -> None:
    app = QApplication.instance()
    sample = create_sample(ctx)
    window = make_window(reopen_last=False)
    window.open_assessment(sample.id)
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() is not None)
    editor = window.questionnaire.editor
    base_points = app.font().pointSizeF()
    heading_factor = editor.heading.font().pointSizeF() / base_points
    muted_label = next(
        w for w in window.findChildren(QLabel) if w.property("airmfColour") == "muted"
    )
    seen: dict[str, object] = {}

    def choose(dialog: PreferencesDialog) -> None:
        _choose(qtbot, dialog.scheme_combo, "Dark")
        seen["dark at once"] = is_dark(app.palette())
        _choose(qtbot, dialog.size_combo, "150%")
        seen["points"] = app.font().pointSizeF()
        seen["heading"] = editor.heading.font().pointSizeF()
        seen["muted"] = muted_label.palette().color(QPalette.ColorRole.WindowText)
        seen["placeholder"] = app.palette().color(QPalette.ColorRole.PlaceholderText)
        dialog.accept()

    modal(window.preferences_action.trigger, choose)
    assert seen["dark at once"] is True
    assert seen["points"] == pytest.approx(base_points * 1.5)
    assert seen["heading"] == pytest.approx(base_points * 1.5 * heading_factor, rel=0.02)
    assert seen["muted"] == seen["placeholder"]  # secondary text follows the scheme
    assert window.settings.value(SCHEME_KEY) == "dark"
    assert int(window.settings.value(TEXT_SIZE_KEY)) == 150

    # Cancel puts back what was in use.
    def try_light(dialog: PreferencesDialog) -> None:
        _choose(qtbot, dialog.scheme_combo, "Light")
        seen["light at once"] = not is_dark(app.palette())
        dialog.reject()

    modal(window.preferences_action.trigger, try_light)
    assert seen["light at once"] is True and is_dark(app.palette())
    assert saved_scheme(window.settings) == "dark"

    # At the next start: back to the system's look first, then a window on those settings.
    Appearance.of(app).apply("system", 100)
    assert app.font().pointSizeF() == pytest.approx(base_points)
    window.close()
    make_window(reopen_last=False)
    assert is_dark(app.palette())
    assert app.font().pointSizeF() == pytest.approx(base_points * 1.5)


def test_unknown_saved_values_fall_back_to_the_system(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    from app.ui.appearance import saved_text_size

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(SCHEME_KEY, "purple")
    settings.setValue(TEXT_SIZE_KEY, "huge")
    assert saved_scheme(settings) == "system" and saved_text_size(settings) == 100
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.chosen_appearance() == ("system", 100)


def test_the_chart_follows_a_switch_of_scheme(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    """Axis labels drawn in the old scheme's colours would be unreadable on the new background."""
    from PySide6.QtCharts import QChart

    app = QApplication.instance()
    _window, page = ui.sample_dashboard(ctx, make_window)
    for scheme, theme in (("dark", QChart.ChartTheme.ChartThemeDark), ("light", None)):
        Appearance.of(app).apply(scheme, 100)
        expected = theme or QChart.ChartTheme.ChartThemeLight
        qtbot.waitUntil(lambda e=expected: page.chart.chart.theme() == e)
        assert page.chart.series_values()["categories"] == ["GOVERN", "MAP", "MEASURE", "MANAGE"]
