"""The dashboard's review summary: how many subcategories are in each review state, the same
counts as ``airmf review --list``."""

from __future__ import annotations

import pytest

from app.domain.review import ReviewAction
from app.services.answers import AnswerService
from app.services.review import ReviewService

pytestmark = pytest.mark.gui
M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


def test_the_dashboard_counts_review_states(qtbot, ctx, create, background) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dashboard.page import DashboardPage

    aid = create()
    for sub in ("GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"):
        AnswerService(ctx).record(aid, sub, metrics=M)
        ReviewService(ctx).act(aid, sub, ReviewAction.READY)
    ReviewService(ctx).act(aid, "GOVERN 1.1", ReviewAction.APPROVE)
    ReviewService(ctx).act(aid, "MAP 1.1", ReviewAction.RETURN, "Needs evidence")
    page = DashboardPage(ctx, background)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        page.load(aid)
    assert page.review_summary.text() == (
        "Review: 1 reviewed · 1 ready for review · 1 returned · 69 draft (of 72 subcategories)"
    )
