"""The dashboard shows the numbers of `airmf score --json`; each cell and gap opens its question."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.cli.main import main as cli
from app.domain.numbers import format_percent, format_score, percent_of
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.sample import create_sample
from app.services.scoring import ScoringService
from app.ui.dashboard.gaps import GapColumn, GapsModel, largest_gaps

pytestmark = pytest.mark.gui


def _open_dashboard(qtbot, window, assessment_id: int):  # type: ignore[no-untyped-def]
    window.open_assessment(assessment_id)
    qtbot.waitUntil(lambda: window.current is not None and window.current.id == assessment_id)
    page = window.dashboard
    qtbot.waitUntil(lambda: page.data is not None and page.data.assessment.id == assessment_id)
    window.dashboard_view_action.trigger()
    assert window.tabs.currentWidget() is page and page.chart is not None
    # The questionnaire too has loaded before a cell is clicked (as a user would see).
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() is not None)
    return page


def _percent(completion: float) -> str:
    return format_percent(completion)


def test_dashboard_numbers_equal_cli_json(qtbot, ctx, db_path, make_window, capsys) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    window = make_window(reopen_last=False)
    page = _open_dashboard(qtbot, window, sample.id)

    capsys.readouterr()
    assert cli(["--db", str(db_path), "score", str(sample.id), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    nodes = {"OVERALL": data["overall"], **{f["id"]: f for f in data["functions"]}}
    assert set(nodes) == set(page.cards)
    for node_id, node in nodes.items():
        card = page.cards[node_id]
        assert card.score_label.text() == format_score(node["score"]), node_id
        assert card.level_label.text() == node["level_name"], node_id
        assert card.provisional_label.isVisibleTo(card) == node["provisional"], node_id
        assert card.completion.value() == percent_of(node["completion"]), node_id
        assert card.completion_label.text().startswith(_percent(node["completion"]))
        assert f"({node['rated'] + node['not_applicable']} of {node['total']})" in (
            card.completion_label.text()
        )
        below = f" · {node['below_target']} below target" if node["below_target"] else ""
        assert card.detail_label.text() == (
            f"Target {format_score(node['target'])} · gap {format_score(node['gap'])}{below}"
        )
    # The chart plots the same function scores and targets.
    chart = page.chart.series_values()
    assert chart["categories"] == [f["id"] for f in data["functions"]]
    assert chart["current"] == pytest.approx([f["score"] or 0 for f in data["functions"]], abs=1e-4)
    assert chart["targets"] == pytest.approx([f["target"] for f in data["functions"]], abs=1e-4)
    # The heat map has all 72 subcategories, with the level (or N/A, or a dash) in each.
    subs = {
        s["id"]: s for f in data["functions"] for c in f["categories"] for s in c["subcategories"]
    }
    cells = page.heat_map.cells()
    assert len(cells) == len(subs) == 72
    for cell in cells:
        expected = subs[cell.node.id]
        if expected["not_applicable"]:
            assert cell.label == "N/A"
        elif expected["score"] is None:
            assert cell.label == "–"
        else:
            assert cell.label == str(expected["level"])
    # The gap list: the rated subcategories below target, largest first.
    shown = [
        page.gaps_model.index(r, GapColumn.GAP).data() for r in range(page.gaps_model.rowCount())
    ]
    expected_gaps = sorted((s["gap"] for s in subs.values() if s["gap"]), reverse=True)
    assert shown == [format_score(g) for g in expected_gaps]


def test_heat_map_and_gaps_open_the_question(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    window = make_window(reopen_last=False)
    page = _open_dashboard(qtbot, window, sample.id)
    asked: list[str] = []
    page.subcategory_requested.connect(asked.append)

    cell = page.heat_map.cell_for("MEASURE 2.7")
    assert cell is not None and cell.label == "2"
    qtbot.mouseClick(
        page.heat_map, Qt.MouseButton.LeftButton, pos=page.heat_map.cell_rect(cell).center()
    )
    assert asked == ["MEASURE 2.7"]
    assert window.tabs.currentWidget() is window.questionnaire
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() == "MEASURE 2.7")

    # From the keyboard: focus the map, move right, Enter.
    window.dashboard_view_action.trigger()
    page.heat_map.setFocus()
    first = page.heat_map.current_subcategory()
    qtbot.keyClick(page.heat_map, Qt.Key.Key_Right)
    qtbot.keyClick(page.heat_map, Qt.Key.Key_Return)
    assert asked[-1] != first and asked[-1] == page.heat_map.current_subcategory()

    # The largest gap, a click away.
    window.dashboard_view_action.trigger()
    top = page.gaps_model.index(0, GapColumn.SUBCATEGORY)
    rect = page.gaps.visualRect(top)
    qtbot.mouseClick(page.gaps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked[-1] == top.data() == largest_gaps(ScoringService(ctx).score(sample.id))[0].id
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() == top.data())


def test_dashboard_follows_answers(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Fresh", "ai_system": "Scorer"})
    window = make_window(reopen_last=False)
    page = _open_dashboard(qtbot, window, created.id)
    assert page.cards["OVERALL"].score_label.text() == "–"
    assert page.cards["OVERALL"].level_label.text() == "Not rated yet"
    assert page.gaps_empty.isVisible() and "Nothing is rated yet" in page.gaps_empty.text()
    AnswerService(ctx).record(
        created.id, "MAP 1.1", metrics={"coverage": "L", "robustness": "L", "input_diversity": "L"}
    )
    with qtbot.waitSignal(page.loaded):
        window.questionnaire.answers_changed.emit()
    assert page.cards["OVERALL"].score_label.text() == "1.0"
    assert page.cards["MAP"].level_label.text() == "Minimal"
    assert page.gaps_model.rowCount() == 1


def test_complete_assessment_is_not_provisional(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create(
        {"name": "Complete", "ai_system": "Scorer", "scheme_id": "direct"}
    )
    framework = ctx.catalog.framework("nist-ai-rmf-1.0")
    answers = AnswerService(ctx)
    for i, sub in enumerate(framework.subcategory_ids()):
        answers.record(created.id, sub, level=1 + i % 5)
    window = make_window(reopen_last=False)
    page = _open_dashboard(qtbot, window, created.id)
    overall = page.cards["OVERALL"]
    assert overall.completion.value() == 100
    assert not overall.provisional_label.isVisibleTo(overall)
    assert all(c.label in "12345" for c in page.heat_map.cells())


def test_gaps_model(qtmodeltester, ctx) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    model = GapsModel()
    model.set_tree(ScoringService(ctx).score(sample.id))
    assert model.rowCount() > 3
    qtmodeltester.check(model)


def test_qtcharts_not_loaded_at_start_up(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["AIRMF_DATA_DIR"] = {str(tmp_path)!r}
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from app.services.bootstrap import open_services
        from app.ui.main_window import MainWindow
        ctx = open_services({str(tmp_path / "db.sqlite3")!r})
        w = MainWindow(ctx, QSettings({str(tmp_path / "ui.ini")!r}, QSettings.Format.IniFormat))
        w.show()
        app.processEvents()
        print("QtCharts" in " ".join(sys.modules), "reportlab" in sys.modules)
        w.close()
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert out.stdout.split()[-2:] == ["False", "False"]
