"""Checked states read clearly in light and dark palettes, enabled and disabled (a finalized
assessment shows its ratings in disabled controls): measured from rendered pixels.

WCAG 2.1 SC 1.4.11 asks 3:1 for the parts of a control that show its state; here the mark of a
checked indicator is compared, pixel by pixel, with the same pixels of an unchecked one.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from app.ui.questionnaire.rating_widgets import MetricsRating
from app.ui.style import contrast_ratio, readable_palette

pytestmark = pytest.mark.gui

R, G = QPalette.ColorRole, QPalette.ColorGroup
MARK_CONTRAST = 3.0
MARK_PIXELS = 9  # at least a 3x3 mark, not one anti-aliased pixel


def fusion_palette(dark: bool) -> QPalette:
    """The palettes Qt's Fusion style uses for the light and the dark colour scheme
    (qtbase src/gui/kernel/qplatformtheme.cpp, qt_fusionPalette)."""
    window_text = QColor(240, 240, 240) if dark else QColor(0, 0, 0)
    background = QColor(50, 50, 50) if dark else QColor(239, 239, 239)
    base = background.darker(140) if dark else QColor(255, 255, 255)
    dark_color = background.darker(150)
    pal = QPalette(
        window_text,
        background,
        background.lighter(150),
        dark_color,
        background.darker(130),
        window_text,
        base,
    )
    pal.setColor(R.Button, background)
    pal.setColor(R.Highlight, QColor(48, 140, 198))
    pal.setColor(R.HighlightedText, window_text if dark else QColor(255, 255, 255))
    disabled_text = QColor(130, 130, 130) if dark else QColor(190, 190, 190)
    for role in (R.WindowText, R.Text, R.ButtonText):
        pal.setColor(G.Disabled, role, disabled_text)
    pal.setColor(G.Disabled, R.Base, background)
    return pal


PALETTES = {
    "light": readable_palette(fusion_palette(dark=False)),
    "dark": readable_palette(fusion_palette(dark=True)),
}


@pytest.fixture
def fusion(qapp):  # type: ignore[no-untyped-def]
    """Fusion: the style the app uses on Linux and the offscreen platform's default."""
    assert qapp.style().name().casefold() == "fusion"
    return qapp.style()


def mark_pixels(image: QImage, on: QRect, off: QRect) -> int:
    """How many pixels of the checked indicator ``on`` differ by MARK_CONTRAST from the same
    pixel of the unchecked indicator ``off`` (rectangles in the image's coordinates)."""
    count = 0
    for dx in range(on.width()):
        for dy in range(on.height()):
            a = image.pixelColor(on.topLeft() + QPoint(dx, dy))
            b = image.pixelColor(off.topLeft() + QPoint(dx, dy))
            count += contrast_ratio(a, b) >= MARK_CONTRAST
    return count


def render(widget: QWidget, palette: QPalette, enabled: bool, style) -> QImage:  # type: ignore[no-untyped-def]
    assert widget.style() is style
    widget.setPalette(palette)
    widget.setEnabled(enabled)
    widget.resize(widget.sizeHint().expandedTo(widget.size()))
    widget.show()
    return widget.grab().toImage()


def button_indicator(button, root: QWidget) -> QRect:  # type: ignore[no-untyped-def]
    option = QStyleOptionButton()
    option.initFrom(button)
    element = (
        QStyle.SubElement.SE_RadioButtonIndicator
        if isinstance(button, QRadioButton)
        else QStyle.SubElement.SE_CheckBoxIndicator
    )
    rect = button.style().subElementRect(element, option, button)
    return rect.translated(button.mapTo(root, QPoint(0, 0)))


@pytest.mark.parametrize("scheme", PALETTES)
@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_the_chosen_rating_stands_out(qtbot, rubric, fusion, scheme, enabled) -> None:  # type: ignore[no-untyped-def]
    rating = MetricsRating(rubric)
    qtbot.addWidget(rating)
    rating.show_rating({m.id: "M" for m in rubric.metrics}, None)
    image = render(rating, PALETTES[scheme], enabled, fusion)
    for metric in rubric.metrics:
        on = rating.buttons[(metric.id, "M")]
        off = rating.buttons[(metric.id, "L")]
        assert on.isChecked() and not off.isChecked()
        found = mark_pixels(image, button_indicator(on, rating), button_indicator(off, rating))
        assert found >= MARK_PIXELS, (scheme, enabled, metric.id, found)


@pytest.mark.parametrize("scheme", PALETTES)
@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_a_ticked_check_box_stands_out(qtbot, fusion, scheme, enabled) -> None:  # type: ignore[no-untyped-def]
    row = QWidget()
    qtbot.addWidget(row)
    on, off = QCheckBox("Flag for review", row), QCheckBox("Not applicable", row)
    off.move(0, 40)
    on.setChecked(True)
    image = render(row, PALETTES[scheme], enabled, fusion)
    found = mark_pixels(image, button_indicator(on, row), button_indicator(off, row))
    assert found >= MARK_PIXELS, (scheme, enabled, found)


@pytest.mark.parametrize("scheme", PALETTES)
@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_a_ticked_list_item_stands_out(qtbot, fusion, scheme, enabled) -> None:  # type: ignore[no-untyped-def]
    """As the Playbook's suggested actions (in place or not) and the GenAI risks are shown."""
    view = QListWidget()
    qtbot.addWidget(view)
    for text, state in (("In place", Qt.CheckState.Checked), ("Not yet", Qt.CheckState.Unchecked)):
        item = QListWidgetItem(text, view)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(state)
    view.resize(300, 120)
    image = render(view, PALETTES[scheme], enabled, fusion)
    rects = []
    for row in range(2):
        cell = view.visualItemRect(view.item(row))
        option_height = cell.height()
        size = view.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        top_left = view.viewport().mapTo(view, cell.topLeft())
        rects.append(QRect(top_left.x(), top_left.y(), size + 8, option_height))
    found = mark_pixels(image, rects[0], rects[1])
    assert found >= MARK_PIXELS, (scheme, enabled, found)


def test_the_adjustment_keeps_enabled_colours_and_labels() -> None:
    for dark in (False, True):
        before = fusion_palette(dark)
        after = readable_palette(before)
        for role in (R.Text, R.WindowText, R.Base, R.Window, R.Highlight):
            assert after.color(G.Active, role) == before.color(G.Active, role)
        assert after.color(G.Disabled, R.WindowText) == before.color(G.Disabled, R.WindowText)
        assert after.color(G.Disabled, R.Text) != after.color(G.Active, R.Text)  # still dimmer


def test_the_application_uses_the_readable_palette(qapp) -> None:  # type: ignore[no-untyped-def]
    from app.ui.application import use_readable_palette

    saved = QPalette(qapp.palette())
    try:
        qapp.setPalette(fusion_palette(dark=True))
        use_readable_palette(qapp)
        pal = qapp.palette()
        found = contrast_ratio(pal.color(G.Disabled, R.Text), pal.color(G.Disabled, R.Base))
        assert found >= 7.0
    finally:
        qapp.styleHints().colorSchemeChanged.disconnect()
        qapp.setPalette(saved)
