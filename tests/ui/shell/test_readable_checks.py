"""An unticked check box in a list can be seen in the light and the dark scheme: its outline
has 3:1 against the list (WCAG 2.2 SC 1.4.11), measured from rendered pixels; and every list
of check boxes in the window (suggested actions, AI 600-1 actions, GenAI risks, evidence to
link) draws them so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListWidget, QListWidgetItem

from app.ui.appearance import Appearance
from app.ui.readable_checks import ReadableCheckDelegate, readable_checks
from app.ui.style import contrast_ratio
from tests.ui.shell.test_accessible_names import _dialogs

pytestmark = pytest.mark.gui
OUTLINE_PIXELS = 20  # a box's outline: four sides of a dozen pixels, not a stray pixel


def _outline_pixels(image: QImage, box: QRect, base) -> int:  # type: ignore[no-untyped-def]
    return sum(
        contrast_ratio(image.pixelColor(x, y), base) >= 3.0
        for x in range(box.left(), box.right() + 1)
        for y in range(box.top(), box.bottom() + 1)
    )


@pytest.fixture
def scheme(qapp, request):  # type: ignore[no-untyped-def]
    appearance = Appearance.of(qapp)
    before = (appearance.scheme, appearance.text_size)
    yield appearance
    appearance.apply(*before)


@pytest.mark.parametrize("name", ["light", "dark"])
@pytest.mark.parametrize("readable", [False, True])
def test_an_unticked_box_is_outlined_with_contrast(qtbot, scheme, name, readable) -> None:  # type: ignore[no-untyped-def]
    scheme.apply(name, 100)
    view = QListWidget()
    qtbot.addWidget(view)
    if readable:
        readable_checks(view)
    item = QListWidgetItem("Maintain awareness", view)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    view.resize(300, 80)
    view.setCurrentRow(-1)  # no highlight over the item
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    row = view.visualItemRect(item)
    box = QRect(row.left(), row.top(), row.height() + 4, row.height())  # the box, not the text
    base = view.palette().color(QPalette.ColorRole.Base)
    seen = _outline_pixels(image, box, base)
    if readable:
        assert seen >= OUTLINE_PIXELS, (name, seen)
    elif name == "dark":  # what Fusion draws by itself: the box is not there to see
        assert seen < OUTLINE_PIXELS


def _checkable_views(root) -> list[QAbstractItemView]:  # type: ignore[no-untyped-def]
    views = []
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        # A box is drawn for an item with a check state (default flags may allow one unused).
        states = [
            model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) for r in range(model.rowCount())
        ]
        if any(state is not None for state in states):
            views.append(view)
    return views


def test_every_list_of_check_boxes_draws_them_readable(qtbot, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.ui.questionnaire.guidance_panel import GuidancePanel

    framework = ctx.catalog.framework("nist-ai-rmf-1.0")
    guidance = GuidancePanel()
    qtbot.addWidget(guidance)
    profile = framework.profiles[0]
    guidance.show_guidance(
        framework.subcategory("GOVERN 1.1"),
        [],
        (profile, None),
        framework.guidance_source,
    )
    roots = [guidance, *_dialogs(ctx, tmp_path)]
    found = {}
    for root in roots:
        qtbot.addWidget(root)
        for view in _checkable_views(root):
            found[view.objectName()] = isinstance(view.itemDelegate(), ReadableCheckDelegate)
    # The lists of the kind, each found (a list that stops being checkable drops out here).
    assert {"guidanceActions", "guidanceGenAI"} <= set(found)
    assert len(found) >= 4, found
    assert all(found.values()), {k: v for k, v in found.items() if not v}
    QApplication.processEvents()


@pytest.mark.parametrize("name", ["light", "dark"])
def test_a_lone_unticked_check_box_is_outlined_with_contrast(qtbot, scheme, name) -> None:  # type: ignore[no-untyped-def]
    """The window's own check boxes ("Overdue only", "Flag for review", "Relax four-eyes"):
    Fusion drew a dark box's outline in the box's own fill colour (about 1.3:1 against the
    window). Measured against the window around the box and against the box's fill."""
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton, QVBoxLayout, QWidget

    scheme.apply(name, 100)
    host = QWidget()
    qtbot.addWidget(host)
    box_widget = QCheckBox("Overdue only", host)
    QVBoxLayout(host).addWidget(box_widget)
    host.resize(240, 60)
    host.show()
    qtbot.waitExposed(host)
    option = QStyleOptionButton()
    option.initFrom(box_widget)
    indicator = box_widget.style().subElementRect(
        QStyle.SubElement.SE_CheckBoxIndicator, option, box_widget
    )
    image = box_widget.grab().toImage()
    palette = box_widget.palette()
    window = host.palette().color(QPalette.ColorRole.Window)
    fill = palette.color(QPalette.ColorRole.Base)
    for against in (window, fill):
        assert _outline_pixels(image, indicator, against) >= OUTLINE_PIXELS, (name, against.name())
