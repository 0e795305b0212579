"""Portfolio -> a system's trend -> a comparison, checking every number against the services."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QDate, QPoint, Qt

from app.catalog.loader import Catalog
from app.domain.comparison import Change, format_delta
from app.domain.numbers import format_completion
from app.domain.rating import format_score
from app.services.assessments import AssessmentService
from app.services.progress import ProgressService
from app.services.scoring import ScoringService
from app.ui.progress import compare_model as cm
from app.ui.progress import portfolio_model as pm
from app.ui.progress.changes import change_text
from app.ui.progress.compare import CompareView
from app.ui.progress.portfolio import PortfolioView
from app.ui.progress.system_trend import SystemTrendView
from app.ui.progress.trend_model import FIXED, SCORE_ROLE

pytestmark = pytest.mark.gui
CLICK = Qt.MouseButton.LeftButton
WAIT = 10_000


def _cell_center(view, row: int, column: int = 0) -> QPoint:  # type: ignore[no-untyped-def]
    return view.visualRect(view.model().index(row, column)).center()


def _double_click(qtbot, view, row: int) -> None:  # type: ignore[no-untyped-def]
    """What a real double-click delivers: press/release, then the double-click event."""
    pos = _cell_center(view, row)
    qtbot.mouseClick(view.viewport(), CLICK, pos=pos)
    qtbot.mouseDClick(view.viewport(), CLICK, pos=pos)


def _proxy_row(view, system: str) -> int:  # type: ignore[no-untyped-def]
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data(pm.SYSTEM_ROLE) == system:
            return row
    raise AssertionError(f"{system} not shown")


def _check_deltas(model: cm.DeltaModel, comparison, scores: tuple) -> None:  # type: ignore[no-untyped-def]
    """Every row equals ProgressService.compare and the two ScoringService trees."""
    before_tree, after_tree = scores
    expected = {d.id: d for d in comparison.deltas}
    for row in range(model.rowCount()):
        cell = lambda c: model.index(row, c)  # noqa: B023, E731
        node_id = cell(cm.Column.ID).data(cm.ID_ROLE)
        d = expected[node_id]
        assert cell(cm.Column.BEFORE).data(cm.VALUE_ROLE) == d.before
        assert cell(cm.Column.AFTER).data(cm.VALUE_ROLE) == d.after
        assert d.before == before_tree.find(node_id).score
        assert d.after == after_tree.find(node_id).score
        assert cell(cm.Column.DELTA).data() == format_delta(d.delta)
        assert cell(cm.Column.CHANGE).data() == change_text(d.change)
        shown_before = cell(cm.Column.BEFORE).data()
        if d.before is None:
            assert shown_before == {"N/A": "N/A", "unanswered": "unanswered"}.get(
                d.state_before, "–"
            )
        else:
            assert shown_before.startswith(format_score(d.before))
            assert before_tree.find(node_id).level_name in shown_before


def test_portfolio_to_trend_to_compare(ctx, cycles, qtbot, qtmodeltester, background) -> None:  # type: ignore[no-untyped-def]
    first, second, third = cycles.ids
    scoring, progress = ScoringService(ctx), ProgressService(ctx)
    trees = {aid: scoring.score(aid) for aid in [*cycles.ids, cycles.other_id]}

    # -- the portfolio ------------------------------------------------------------------------
    portfolio = PortfolioView(ctx, background)
    qtbot.addWidget(portfolio)
    portfolio.resize(1280, 800)
    portfolio.show()
    with qtbot.waitSignal(portfolio.loaded, timeout=WAIT):
        portfolio.refresh()
    qtmodeltester.check(portfolio.model)
    qtmodeltester.check(portfolio.proxy)
    table = portfolio.table
    assert table.model().rowCount() == 2
    row = _proxy_row(table, "Chatbot")
    cell = lambda c: table.model().index(row, c)  # noqa: E731
    latest = trees[third]
    assert cell(pm.Column.CYCLES).data() == "3"
    assert cell(pm.Column.LATEST).data() == "C3"
    assert cell(pm.Column.DATE).data() == "2025-07-15"
    assert cell(pm.Column.SCORE).data() == (
        f"{format_score(latest.score)} {latest.level_name} (provisional)"
    )
    assert cell(pm.Column.SCORE).data(pm.SCORE_ROLE) == latest.score
    # C3 carries GOVERN 1.1, MEASURE 1.1 and MANAGE 1.1 over unchanged: not yet reviewed.
    assert latest.unreviewed == 3
    assert cell(pm.Column.COMPLETION).data() == f"{latest.completion:.0%} · 3 to review"
    assert "3 of these carried over" in cell(pm.Column.COMPLETION).data(Qt.ItemDataRole.ToolTipRole)
    assert cell(pm.Column.GAP).data() == format_score(latest.gap)
    trend_delta = latest.score - trees[second].score
    glyph = "▲" if trend_delta > 0 else "▼"
    assert cell(pm.Column.TREND).data() == f"{glyph} {format_delta(trend_delta)}"
    spoken = cell(pm.Column.TREND).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith("Improved by" if trend_delta > 0 else "Regressed by")
    assert "C2" in spoken
    other = _proxy_row(table, "Loan scorer")
    assert table.model().index(other, pm.Column.TREND).data() == "– first cycle"

    # Keyboard: Enter on the selected row opens the system too.
    table.setFocus()
    table.setCurrentIndex(table.model().index(other, 0))
    with qtbot.waitSignal(portfolio.open_system, timeout=WAIT) as by_key:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert by_key.args == ["Loan scorer"]

    # -- double-click the row: open_system -> the trend view ----------------------------------
    trend = SystemTrendView(ctx, background)
    qtbot.addWidget(trend)
    trend.resize(1280, 800)
    trend.show()
    portfolio.open_system.connect(trend.load)
    with qtbot.waitSignal(trend.loaded, timeout=WAIT):
        _double_click(qtbot, table, row)
    assert trend.ai_system == "Chatbot" and trend.title.text() == "Trend: Chatbot"
    model = trend.model
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    functions = model.function_ids()
    assert functions == ["GOVERN", "MAP", "MEASURE", "MANAGE"]
    for r, aid in enumerate(cycles.ids):
        tree = trees[aid]
        assert model.index(r, 0).data() == f"C{r + 1}"
        assert model.index(r, 3).data(SCORE_ROLE) == tree.score
        assert model.index(r, 3).data().startswith(format_score(tree.score))
        for i, function in enumerate(tree.children):
            index = model.index(r, len(FIXED) + i)
            assert index.data() == format_score(function.score)
            assert index.data(SCORE_ROLE) == function.score
        assert model.index(r, model.completion_column()).data() == format_completion(
            tree.completion, tree.unreviewed
        )
    chart = trend.chart.series_values()
    assert chart["series"]["Overall"] == [
        (float(i), trees[a].score) for i, a in enumerate(cycles.ids)
    ]
    assert chart["series"]["Map"] == [(0.0, 3.0), (1.0, 3.0)]  # MAP 1.1 is N/A in C3: no point
    assert [label.split(" ")[0] for label in chart["labels"]] == ["C1", "C2", "C3"]
    from PySide6.QtCharts import QChartView, QLineSeries

    view = trend.findChild(QChartView, "trendChartView")
    assert view is not None and view.isVisible() and len(view.chart().series()) == 5
    assert all(isinstance(s, QLineSeries) for s in view.chart().series())
    assert {a.titleText() for a in view.chart().axes()} == {"Cycle (oldest first)", "Score (1–5)"}
    assert view.chart().legend().isVisible()

    # -- select C1 and C2 (click, Ctrl+click), Compare -> the compare view --------------------
    compare = CompareView(ctx, background)
    qtbot.addWidget(compare)
    compare.resize(1280, 800)
    compare.show()
    trend.compare_requested.connect(compare.load)
    t = trend.table
    qtbot.mouseClick(t.viewport(), CLICK, pos=_cell_center(t, 0))
    qtbot.mouseClick(
        t.viewport(), CLICK, Qt.KeyboardModifier.ControlModifier, pos=_cell_center(t, 1)
    )
    assert trend.selected_rows() == [0, 1] and trend.compare_button.isEnabled()
    with (
        qtbot.waitSignal(trend.compare_requested, timeout=WAIT) as asked,
        qtbot.waitSignal(compare.loaded, timeout=WAIT),
    ):
        qtbot.mouseClick(trend.compare_button, CLICK)
    assert asked.args == [first, second]
    expected = progress.compare(first, second)
    qtmodeltester.check(compare.summary_model)
    qtmodeltester.check(compare.sub_model)
    qtmodeltester.check(compare.sub_filter)
    assert compare.sub_model.rowCount() == 72
    assert compare.summary_model.rowCount() == 4 + 19
    _check_deltas(compare.summary_model, expected, (trees[first], trees[second]))
    _check_deltas(compare.sub_model, expected, (trees[first], trees[second]))
    overall = next(d for d in expected.deltas if d.kind == "overall")
    assert compare.overall.text().startswith(
        f"Overall: {format_score(overall.before)} {trees[first].level_name} → "
        f"{format_score(overall.after)} {trees[second].level_name}"
    )
    assert change_text(overall.change) in compare.overall.text()
    assert "“C1” (#" in compare.header.text() and "“C2” (#" in compare.header.text()
    shown = {
        r: compare.sub_model.index(r, cm.Column.CHANGE).data()
        for r in range(72)
        if compare.sub_model.index(r, 0).data(cm.ID_ROLE) in ("GOVERN 1.1", "MEASURE 1.1")
    }
    assert sorted(shown.values()) == ["▲ improved", "● newly rated"]
    sub_row = lambda sid: next(  # noqa: E731
        r for r in range(72) if compare.sub_model.index(r, 0).data(cm.ID_ROLE) == sid
    )
    assert compare.sub_model.index(sub_row("MEASURE 1.1"), cm.Column.BEFORE).data() == "N/A"
    assert compare.sub_model.index(sub_row("GOVERN 3.1"), cm.Column.AFTER).data() == "unanswered"

    # Filters: only regressions shows exactly the regressed subcategories, in framework order.
    regressed = [
        d.id for d in expected.deltas if d.kind == "subcategory" and d.change is Change.REGRESSED
    ]
    assert regressed == ["GOVERN 1.2", "MANAGE 1.1"]
    qtbot.mouseClick(compare.show_regressions, CLICK)
    assert compare.show_regressions.isChecked()
    assert compare.shown_subcategories() == regressed
    assert "Showing 2 of 72" in compare.counts.text()
    changed = [d.id for d in expected.deltas if d.kind == "subcategory" and d.change.is_change]
    qtbot.mouseClick(compare.show_changes, CLICK)
    assert (
        compare.shown_subcategories()
        == changed
        == [
            "GOVERN 1.1",
            "GOVERN 1.2",
            "MEASURE 1.1",
            "MANAGE 1.1",
        ]
    )
    qtbot.mouseClick(compare.show_all, CLICK)
    assert len(compare.shown_subcategories()) == 72

    # Activating a subcategory asks to open it in the later cycle.
    qtbot.mouseClick(compare.show_regressions, CLICK)
    st = compare.sub_table
    with qtbot.waitSignal(compare.open_subcategory, timeout=WAIT) as opened:
        _double_click(qtbot, st, 0)
    assert opened.args == [second, "GOVERN 1.2"]

    # -- one cycle selected: "Compare with previous" (C2 -> C3: MAP 1.1 no longer rated) ------
    qtbot.mouseClick(t.viewport(), CLICK, pos=_cell_center(t, 2))
    assert trend.compare_button.text() == "&Compare with previous"
    with qtbot.waitSignal(compare.loaded, timeout=WAIT):
        qtbot.mouseClick(trend.compare_button, CLICK)
    later = progress.compare(second, third)
    _check_deltas(compare.sub_model, later, (trees[second], trees[third]))
    map_row = sub_row("MAP 1.1")
    assert compare.sub_model.index(map_row, cm.Column.AFTER).data() == "N/A"
    assert compare.sub_model.index(map_row, cm.Column.CHANGE).data() == "○ no longer rated"
    assert compare.shown_subcategories() == []  # the regressions filter stays: none this time
    assert "No subcategory matches" in compare.counts.text()

    # Open cycle from the trend.
    with qtbot.waitSignal(trend.open_assessment, timeout=WAIT) as cycle:
        qtbot.mouseClick(trend.open_button, CLICK)
    assert cycle.args == [third]


def test_portfolio_date_filter(ctx, cycles, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    portfolio = PortfolioView(ctx, background)
    qtbot.addWidget(portfolio)
    portfolio.show()
    with qtbot.waitSignal(portfolio.loaded, timeout=WAIT):
        portfolio.refresh()
    model = portfolio.model
    assert {r.ai_system for r in model.rows()} == {"Chatbot", "Loan scorer"}
    portfolio.date_from.setDate(QDate(2025, 4, 1))
    rows = {r.ai_system: r for r in model.rows()}
    assert set(rows) == {"Chatbot"} and rows["Chatbot"].cycles == 2  # C2, C3
    portfolio.date_to.setDate(QDate(2025, 5, 1))
    (only,) = model.rows()
    assert only.cycles == 1 and only.latest.name == "C2" and only.trend is None
    assert only.overall.score == ScoringService(ctx).score(cycles.ids[1]).score
    portfolio.date_from.setDate(QDate(2025, 6, 1))
    assert model.rowCount() == 0
    assert portfolio.message.isVisible() and "after" in portfolio.message.text()
    qtbot.mouseClick(portfolio.clear_dates, CLICK)
    assert model.rowCount() == 2 and not portfolio.message.isVisible()
    with qtbot.waitSignal(portfolio.open_assessment, timeout=WAIT) as opened:
        portfolio.select_system("Chatbot")
        qtbot.mouseClick(portfolio.open_latest, CLICK)
    assert opened.args == [cycles.ids[2]]


def test_portfolio_empty_state(ctx, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    portfolio = PortfolioView(ctx, background)
    qtbot.addWidget(portfolio)
    with qtbot.waitSignal(portfolio.loaded, timeout=WAIT):
        portfolio.refresh()
    assert portfolio.model.rowCount() == 0
    assert "no assessments yet" in portfolio.message.text()
    assert not portfolio.show_trend.isEnabled() and not portfolio.open_latest.isEnabled()


def test_compare_refuses_different_frameworks(ctx, cycles, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    base = ctx.catalog
    nist = base.framework("nist-ai-rmf-1.0")
    twin = nist.model_copy(update={"id": "other-framework"})
    ctx.catalog = Catalog(
        base.root, {nist.id: nist, twin.id: twin}, {s.id: s for s in base.schemes()}
    )
    foreign = (
        AssessmentService(ctx)
        .create({"name": "Other", "ai_system": "Chatbot", "framework_id": "other-framework"})
        .id
    )
    compare = CompareView(ctx, background)
    qtbot.addWidget(compare)
    compare.show()
    with qtbot.waitSignal(compare.loaded, timeout=WAIT):
        compare.load(cycles.ids[0], foreign)
    assert compare.message.isVisible()
    assert "different frameworks" in compare.message.text()
    assert not compare.splitter.isVisible() and compare.sub_model.rowCount() == 0


def test_trend_of_unknown_system_says_so(ctx, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    trend = SystemTrendView(ctx, background)
    qtbot.addWidget(trend)
    trend.show()
    with qtbot.waitSignal(trend.loaded, timeout=WAIT):
        trend.load("Nope")
    assert "could not be shown" in trend.message.text() and "Nope" in trend.message.text()
    assert not trend.splitter.isVisible() and not trend.compare_button.isEnabled()
    assert trend.chart is None  # nothing drawn, QtCharts not even needed


def test_views_do_not_import_qtcharts_at_start_up() -> None:
    code = (
        "import sys\n"
        "import app.ui.progress.portfolio, app.ui.progress.system_trend, app.ui.progress.compare\n"
        "import app.ui.history.history_view, app.ui.dialogs.finalize, app.ui.dialogs.reopen\n"
        "import app.ui.dialogs.next_cycle\n"
        "print('PySide6.QtCharts' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
