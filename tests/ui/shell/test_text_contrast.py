"""Text and indicators read in the light and the dark scheme: measured from rendered pixels
(issue 17; WCAG 2.2 SC 1.4.3 asks 4.5:1 for text, SC 1.4.11 3:1 for the parts of a graphic that
carry meaning). Extends tests/ui/questionnaire/test_checked_contrast.py, which measures the
checked states, to secondary ("muted") text, error text, banners and the heat map's cells."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.services.sample import create_sample
from app.ui.appearance import Appearance
from app.ui.questionnaire.banner import Banner
from app.ui.style import contrast_ratio, error_label, readable_palette, restyle

pytestmark = pytest.mark.gui

TEXT = 4.5
# "system-light" and "system-dark": the platform's own palettes (Qt's Fusion ones, with their
# partly transparent default placeholder colour), not the app's explicit choice.
SCHEMES = ("light", "dark", "system-light", "system-dark")


def use_scheme(scheme: str, fusion_palette) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    if scheme.startswith("system-"):
        Appearance.of(app).apply("system", 100)
        app.setPalette(readable_palette(fusion_palette(scheme == "system-dark")))
        for widget in app.allWidgets():
            restyle(widget)
    else:
        Appearance.of(app).apply(scheme, 100)


@pytest.fixture(autouse=True)
def _back_to_the_system() -> Iterator[None]:
    app = QApplication.instance()
    style, palette, font = app.style().name(), QPalette(app.palette()), app.font()
    yield
    Appearance.of(app).apply("system", 100)
    app.setStyle(style)
    app.setPalette(palette)
    app.setFont(font)


def text_contrast(image: QImage, rect: QRect) -> float:
    """Contrast of the text drawn in ``rect`` against its background: the most common colour
    is the background, the pixel that differs most from it is the text's own colour (the
    middle of a stroke, not an anti-aliased edge)."""
    rect = rect.intersected(image.rect())
    colours: Counter[int] = Counter()
    for x in range(rect.left(), rect.right() + 1):
        for y in range(rect.top(), rect.bottom() + 1):
            colours[image.pixel(QPoint(x, y))] += 1
    background = QColor.fromRgb(colours.most_common(1)[0][0])
    return max(contrast_ratio(QColor.fromRgb(c), background) for c in colours)


def _worst_by_label(heat, region, wanted) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The lowest contrast measured in ``region(cell rect)`` of each ``wanted`` cell of the
    heat map, by the cell's label ("1".."5", "–", "N/A")."""
    image = heat.grab().toImage()
    worst: dict[str, float] = {}
    for cell in heat.cells():
        if wanted(cell):
            ratio = text_contrast(image, region(heat.cell_rect(cell)))
            worst[cell.label] = min(worst.get(cell.label, 99.0), ratio)
    return worst


def _labels(window: QWidget, kind: str) -> list[QLabel]:
    return [
        w
        for w in window.findChildren(QLabel)
        if w.property("airmfColour") == kind and w.isVisible() and w.text().strip()
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_muted_text_reads_on_every_page(qtbot, ctx, make_window, scheme, fusion_palette) -> None:  # type: ignore[no-untyped-def]
    use_scheme(scheme, fusion_palette)
    sample = create_sample(ctx)
    window = make_window(reopen_last=False)
    window.resize(1366, 768)
    window.open_assessment(sample.id)
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() is not None)
    measured: dict[str, float] = {}
    for view in (window.questionnaire_view_action, window.dashboard_view_action):
        view.trigger()
        qtbot.waitUntil(lambda: window.dashboard.data is not None)
        QApplication.processEvents()
        image = window.grab().toImage()
        for label in _labels(window, "muted"):
            shown = label.visibleRegion().boundingRect()  # scrolled out of view: not measured
            if shown.width() < 8 or shown.height() < 8:
                continue
            rect = QRect(label.mapTo(window, shown.topLeft()), shown.size())
            measured[f"{label.objectName() or label.text()[:30]}"] = text_contrast(image, rect)
    assert len(measured) >= 5
    low = {k: round(v, 2) for k, v in measured.items() if v < TEXT}
    assert low == {}, scheme


@pytest.mark.parametrize("scheme", SCHEMES)
def test_error_text_and_banners_read(qtbot, scheme, fusion_palette) -> None:  # type: ignore[no-untyped-def]
    use_scheme(scheme, fusion_palette)
    root = QWidget()
    qtbot.addWidget(root)
    error = error_label(root, "someError")
    error.setText("A name is required.")
    banners = [Banner("infoBanner", parent=root), Banner("warnBanner", warning=True, parent=root)]
    layout = QVBoxLayout(root)
    layout.addWidget(error)
    for banner in banners:
        banner.show_text("This assessment is finalized and read-only.")
        layout.addWidget(banner)
    error.setVisible(True)
    root.resize(500, 200)
    root.show()
    qtbot.waitExposed(root)
    image = root.grab().toImage()
    found = {"error": text_contrast(image, error.geometry())}
    for banner in banners:
        rect = QRect(banner.label.mapTo(root, QPoint(0, 0)), banner.label.size())
        found[banner.objectName()] = text_contrast(image, rect)
    assert {k: round(v, 2) for k, v in found.items() if v < TEXT} == {}, scheme


@pytest.mark.parametrize("scheme", SCHEMES)
def test_heat_map_cell_text_reads_on_every_level(
    qtbot, ctx, make_window, ui, scheme, fusion_palette
) -> None:  # type: ignore[no-untyped-def]
    use_scheme(scheme, fusion_palette)
    _window, page = ui.sample_dashboard(ctx, make_window)
    # The middle of each cell: its label, without the below-target corner mark.
    worst = _worst_by_label(
        page.heat_map,
        lambda r: QRect(r.center().x() - 6, r.top() + 3, 12, r.height() - 6),
        lambda cell: True,
    )
    assert {"–", "N/A"} <= set(worst) and len(worst) >= 5  # levels, unanswered, N/A
    assert {k: round(v, 2) for k, v in worst.items() if v < TEXT} == {}, scheme


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_below_target_mark_stands_out_on_every_level(
    qtbot, ctx, make_window, ui, scheme, fusion_palette
) -> None:  # type: ignore[no-untyped-def]
    """The corner mark of a subcategory below its target: 3:1 against the cell's fill."""
    use_scheme(scheme, fusion_palette)
    _window, page = ui.sample_dashboard(ctx, make_window)
    worst = _worst_by_label(
        page.heat_map,
        lambda r: QRect(r.right() - 10, r.top() + 1, 10, 9),
        lambda cell: bool(cell.node.below_target),
    )
    assert len(worst) >= 2  # the sample has cells below target at several levels
    assert {k: round(v, 2) for k, v in worst.items() if v < 3.0} == {}, scheme
