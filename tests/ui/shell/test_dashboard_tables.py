"""The dashboard's chart and heat map have the same figures as tables, switched on with the
keyboard and read by screen readers (issue 17, WCAG 2.2 SC 1.1.1)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.shell.a11y_walk import accessible_name

pytestmark = pytest.mark.gui


def _rows(view) -> list[list[str]]:  # type: ignore[no-untyped-def]
    model = view.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_chart_and_heat_map_as_tables_by_keyboard(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    window, page = ui.sample_dashboard(ctx, make_window)
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() is not None)

    # The chart: Space on "Show as table" puts the table in its place.
    chart = page.chart_figure
    assert not chart.showing_table()
    chart.toggle.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(chart.toggle, Qt.Key.Key_Space)
    assert chart.showing_table() and chart.table.isVisible() and not page.chart.isVisible()
    assert accessible_name(chart.table) == "Function scores and targets"
    rows = {row[0]: row for row in _rows(chart.table)}
    assert list(rows) == [*page.chart.categories, "Overall"]
    for node_id, row in rows.items():
        card = page.cards["OVERALL" if node_id == "Overall" else node_id]
        assert row[1] == card.score_label.text(), node_id  # the same figure, printed the same
        assert row[2].endswith(card.level_label.text()), node_id
        assert card.detail_label.text().startswith(f"Target {row[3]} · gap {row[4]}"), node_id
    # Tab goes from the switch to the table.
    qtbot.keyClick(chart.toggle, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is chart.table

    # The heat map: every cell, in words.
    heat = page.heat_figure
    heat.toggle.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(heat.toggle, Qt.Key.Key_Space)
    assert heat.showing_table() and not page.heat_map.isVisible()
    table_rows = _rows(heat.table)
    cells = page.heat_map.cells()
    assert [r[0] for r in table_rows] == [c.node.id for c in cells] and len(cells) == 72
    for row, cell in zip(table_rows, cells, strict=True):
        expected = {"N/A": "Not applicable", "–": "Not answered"}.get(cell.label)
        assert row[1] == expected if expected else row[1].startswith(f"{cell.label} "), row

    # Enter on a row opens its subcategory, as a click on the cell does.
    heat.table.setFocus(Qt.FocusReason.TabFocusReason)
    heat.table.setCurrentIndex(heat.table.model().index(5, 0))
    qtbot.keyClick(heat.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.questionnaire)
    assert window.questionnaire.current_subcategory() == table_rows[5][0]

    # The choice is remembered: a new dashboard starts with the tables.
    again = make_window(reopen_last=False)
    assert again.dashboard.chart_figure.toggle.isChecked()
    assert again.dashboard.heat_figure.showing_table()
