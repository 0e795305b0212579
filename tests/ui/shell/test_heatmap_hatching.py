"""Not-applicable cells of the heat map keep their hatching in light and dark palettes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.scoring import ScoringService
from app.ui.dashboard.heatmap import HeatMap, LevelLegend
from app.ui.style import contrast_ratio

pytestmark = pytest.mark.gui

R = QPalette.ColorRole
HATCH_CONTRAST = 2.0  # the lines against the cell's own base
HATCH_SHARE = 0.08  # of the cell's pixels: lines across the cell, not a stray pixel


def hatched_share(image, rect, base: QColor) -> float:  # type: ignore[no-untyped-def]
    """The share of hatch-line pixels in a strip at the left of ``rect``, clear of the
    centred "N/A" text and of the rounded corners."""
    inner = QRect(rect.left() + 2, rect.top() + 3, 5, rect.height() - 6)
    lines = sum(
        contrast_ratio(image.pixelColor(x, y), base) >= HATCH_CONTRAST
        for x in range(inner.left(), inner.right() + 1)
        for y in range(inner.top(), inner.bottom() + 1)
    )
    return lines / (inner.width() * inner.height())


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_not_applicable_cells_are_hatched(qtbot, ctx, rubric, fusion_palette, dark) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Q3", "ai_system": "Scorer"}).id
    AnswerService(ctx).record(aid, "MAP 1.1", not_applicable=True, na_rationale="No users")
    heat = HeatMap()
    qtbot.addWidget(heat)
    pal = fusion_palette(dark)
    heat.setPalette(pal)
    heat.set_tree(ScoringService(ctx).score(aid))
    heat.resize(heat.sizeHint())
    image = heat.grab().toImage()
    cell = heat.cell_for("MAP 1.1")
    assert cell is not None and cell.na
    share = hatched_share(image, heat.cell_rect(cell), pal.color(R.Base))
    assert share >= HATCH_SHARE, share

    legend = LevelLegend()  # its "N/A" swatch is hatched the same way
    qtbot.addWidget(legend)
    legend.set_scheme(rubric)
    legend.setPalette(pal)
    legend.resize(legend.sizeHint())
    hatched = [w for w in legend.findChildren(QWidget) if getattr(w, "hatched", False)]
    assert len(hatched) == 1
    shot = hatched[0].grab().toImage()
    assert hatched_share(shot, hatched[0].rect(), pal.color(R.Base)) >= HATCH_SHARE
