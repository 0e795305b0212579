"""Checked states read clearly in light and dark palettes, enabled and disabled (a finalized
assessment shows its ratings in disabled controls): measured from rendered pixels.

WCAG 2.1 SC 1.4.11 asks 3:1 for the parts of a control that show its state; here the mark of a
checked indicator is compared, pixel by pixel, with the same pixels of an unchecked one.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPalette
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


SCHEMES = ("light", "dark")


def palette_for(make, scheme: str) -> QPalette:  # type: ignore[no-untyped-def]
    """The Fusion palette of ``scheme`` as the application adjusts it."""
    return readable_palette(make(scheme == "dark"))


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


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_the_chosen_rating_stands_out(
    qtbot, rubric, fusion, fusion_palette, scheme, enabled
) -> None:  # type: ignore[no-untyped-def]
    rating = MetricsRating(rubric)
    qtbot.addWidget(rating)
    rating.show_rating({m.id: "M" for m in rubric.metrics}, None)
    image = render(rating, palette_for(fusion_palette, scheme), enabled, fusion)
    for metric in rubric.metrics:
        on = rating.buttons[(metric.id, "M")]
        off = rating.buttons[(metric.id, "L")]
        assert on.isChecked() and not off.isChecked()
        found = mark_pixels(image, button_indicator(on, rating), button_indicator(off, rating))
        assert found >= MARK_PIXELS, (scheme, enabled, metric.id, found)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_a_ticked_check_box_stands_out(qtbot, fusion, fusion_palette, scheme, enabled) -> None:  # type: ignore[no-untyped-def]
    row = QWidget()
    qtbot.addWidget(row)
    on, off = QCheckBox("Flag for review", row), QCheckBox("Not applicable", row)
    off.move(0, 40)
    on.setChecked(True)
    image = render(row, palette_for(fusion_palette, scheme), enabled, fusion)
    found = mark_pixels(image, button_indicator(on, row), button_indicator(off, row))
    assert found >= MARK_PIXELS, (scheme, enabled, found)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_a_ticked_list_item_stands_out(qtbot, fusion, fusion_palette, scheme, enabled) -> None:  # type: ignore[no-untyped-def]
    """As the Playbook's suggested actions (in place or not) and the GenAI risks are shown."""
    view = QListWidget()
    qtbot.addWidget(view)
    for text, state in (("In place", Qt.CheckState.Checked), ("Not yet", Qt.CheckState.Unchecked)):
        item = QListWidgetItem(text, view)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(state)
    view.resize(300, 120)
    image = render(view, palette_for(fusion_palette, scheme), enabled, fusion)
    rects = []
    for row in range(2):
        cell = view.visualItemRect(view.item(row))
        option_height = cell.height()
        size = view.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
        top_left = view.viewport().mapTo(view, cell.topLeft())
        rects.append(QRect(top_left.x(), top_left.y(), size + 8, option_height))
    found = mark_pixels(image, rects[0], rects[1])
    assert found >= MARK_PIXELS, (scheme, enabled, found)


def test_the_adjustment_keeps_enabled_colours_and_labels(fusion_palette) -> None:  # type: ignore[no-untyped-def]
    for dark in (False, True):
        before = fusion_palette(dark)
        after = readable_palette(before)
        for role in (R.Text, R.WindowText, R.Base, R.Window, R.Highlight):
            assert after.color(G.Active, role) == before.color(G.Active, role)
        assert after.color(G.Disabled, R.WindowText) == before.color(G.Disabled, R.WindowText)
        assert after.color(G.Disabled, R.Text) != after.color(G.Active, R.Text)  # still dimmer


def test_the_application_uses_the_readable_palette(qapp, fusion_palette) -> None:  # type: ignore[no-untyped-def]
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


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_checked_view_in_the_menu_stands_out(qtbot, fusion, fusion_palette, scheme) -> None:  # type: ignore[no-untyped-def]
    """As View > Home / Questionnaire / Dashboard / Portfolio mark the view shown."""
    from PySide6.QtGui import QAction, QActionGroup
    from PySide6.QtWidgets import QMenu

    menu = QMenu()
    qtbot.addWidget(menu)
    group = QActionGroup(menu)
    actions = []
    for text in ("Home", "Questionnaire"):
        action = QAction(text, menu)
        action.setCheckable(True)
        group.addAction(action)
        menu.addAction(action)
        actions.append(action)
    actions[0].setChecked(True)
    menu.setPalette(palette_for(fusion_palette, scheme))
    menu.adjustSize()
    image = menu.grab().toImage()
    on, off = (menu.actionGeometry(a) for a in actions)
    width = on.height() + 4  # the indicator sits in a square at the left of the row
    found = mark_pixels(
        image,
        QRect(on.topLeft(), QSize(width, on.height())),
        QRect(off.topLeft(), QSize(width, off.height())),
    )
    assert found >= MARK_PIXELS, (scheme, found)
