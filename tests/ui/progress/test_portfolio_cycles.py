"""Issue 11 §3: the portfolio says whether it shows the latest cycle or the latest finalized one,
and copies (duplicates, re-imports) and the sample never pass for cycles of an AI system."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.ui.progress import portfolio_model as pm
from app.ui.progress.portfolio import LATEST_FINALIZED, PortfolioView
from app.ui.progress.system_trend import SystemTrendView

pytestmark = pytest.mark.gui
WAIT = 10_000


def _rows(view: PortfolioView) -> dict[str, list[str]]:
    proxy = view.proxy
    return {
        proxy.index(r, pm.Column.SYSTEM).data(): [
            proxy.index(r, c).data() for c in range(proxy.columnCount())
        ]
        for r in range(proxy.rowCount())
    }


def _header(view: PortfolioView) -> str:
    return view.model.headerData(pm.Column.LATEST, Qt.Orientation.Horizontal)


def test_latest_cycle_or_latest_finalized_and_says_which(ctx, cycles, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    first, second, third = cycles.ids
    LifecycleService(ctx).finalize(second, "Ann Lee", "CRO")
    view = PortfolioView(ctx, background)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.refresh()
    rows = _rows(view)
    assert rows["Chatbot"][pm.Column.LATEST] == "C3"  # the draft, and it says so
    assert rows["Chatbot"][pm.Column.STATUS] == "Draft"
    assert _header(view) == "Latest cycle" and "drafts included" in view.intro.text()

    view.show_mode.setCurrentIndex(view.show_mode.findData(LATEST_FINALIZED))
    rows = _rows(view)
    assert _header(view) == "Latest finalized cycle"
    assert "latest finalized cycle" in view.intro.text()
    assert set(rows) == {"Chatbot"}
    chatbot = rows["Chatbot"]
    assert chatbot[pm.Column.LATEST] == "C2" and chatbot[pm.Column.STATUS] == "Finalized"
    assert chatbot[pm.Column.CYCLES] == "1" and chatbot[pm.Column.TREND] == "– first cycle"
    # The system without a finalized cycle does not vanish silently.
    assert not view.message.isHidden()
    assert "1 AI system not shown: have no finalized cycle" in view.message.text()


def test_copies_and_the_sample_are_not_cycles(ctx, cycles, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    from app.services.sample import SAMPLE_SYSTEM, create_sample

    third = cycles.ids[2]
    copy = AssessmentService(ctx).duplicate(third)
    create_sample(ctx)
    view = PortfolioView(ctx, background)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.refresh()
    rows = _rows(view)
    assert set(rows) == {"Chatbot", "Loan scorer"}
    assert rows["Chatbot"][pm.Column.LATEST] == "C3" and rows["Chatbot"][pm.Column.CYCLES] == "3"
    assert "tick “Include copies and the sample”" in view.message.text()
    view.include_copies.setChecked(True)
    rows = _rows(view)
    assert set(rows) == {"Chatbot", "Loan scorer", SAMPLE_SYSTEM}
    assert rows["Chatbot"][pm.Column.LATEST] == copy.name == "C3 (copy)"
    assert rows["Chatbot"][pm.Column.STATUS] == "Draft (copy)"
    assert rows["Chatbot"][pm.Column.CYCLES] == "4"
    assert rows[SAMPLE_SYSTEM][pm.Column.STATUS] == "Draft (sample)"
    assert view.message.isHidden()

    trend = SystemTrendView(ctx, background)
    qtbot.addWidget(trend)
    with qtbot.waitSignal(trend.loaded, timeout=WAIT):
        trend.load("Chatbot")
    assert [p.assessment.id for p in trend.model.points()] == cycles.ids
    with qtbot.waitSignal(trend.loaded, timeout=WAIT):
        trend.include_copies.setChecked(True)
    assert [p.assessment.id for p in trend.model.points()] == [*cycles.ids, copy.id]
    assert trend.model.index(3, 2).data() == "Draft (copy)"
    # The sample's "trend" alone: only the sample, so it says how to see it.
    with qtbot.waitSignal(trend.loaded, timeout=WAIT):
        trend.include_copies.setChecked(False)
    with qtbot.waitSignal(trend.loaded, timeout=WAIT):
        trend.load(SAMPLE_SYSTEM)
    assert "only copies or the sample" in trend.message.text()


def test_trend_follows_the_portfolio_and_the_open_copy(ctx, cycles, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    from app.ui.progress.page import ProgressPage

    copy = AssessmentService(ctx).duplicate(cycles.ids[2])
    page = ProgressPage(ctx, background)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.portfolio.loaded, timeout=WAIT):
        page.refresh()
    page.portfolio.include_copies.setChecked(True)
    with qtbot.waitSignal(page.trend.loaded, timeout=WAIT):
        page.portfolio.open_system.emit("Chatbot")
    assert page.trend.include_copies.isChecked()
    assert [p.assessment.id for p in page.trend.model.points()] == [*cycles.ids, copy.id]
    with qtbot.waitSignal(page.trend.loaded, timeout=WAIT):
        page.show_trend("Chatbot", include_copies=False)
    assert [p.assessment.id for p in page.trend.model.points()] == cycles.ids
