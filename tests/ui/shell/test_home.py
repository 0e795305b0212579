"""The home list: columns, filters, and its actions (rename, duplicate, delete, import, export)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.exchange import ExchangeService
from app.services.lifecycle import LifecycleService
from app.ui.home.model import (
    COMPLETION_ROLE,
    ID_ROLE,
    AssessmentFilterModel,
    AssessmentListModel,
    Column,
)

pytestmark = pytest.mark.gui
HML = {"coverage": "H", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def three(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    """Three assessments of two AI systems; the first partly rated, the third finalized."""
    service, answers = AssessmentService(ctx), AnswerService(ctx)
    a = service.create({"name": "Loan scorer 2025", "ai_system": "Loan scorer", "assessor": "Ana"})
    b = service.create({"name": "Chatbot Q1", "ai_system": "Support chatbot", "assessor": "Bo"})
    c = service.create({"name": "Loan scorer 2024", "ai_system": "Loan scorer", "assessor": "Ana"})
    answers.record(a.id, "GOVERN 1.1", metrics=HML)  # 7 points -> 3
    answers.record(a.id, "GOVERN 1.2", metrics={**HML, "coverage": "L"})  # 5 -> 2
    answers.record(a.id, "MAP 1.1", not_applicable=True, na_rationale="No external users")
    answers.record(c.id, "GOVERN 1.1", metrics={k: "H" for k in HML})
    LifecycleService(ctx).finalize(c.id, "Ana", "Risk lead")
    return [a.id, b.id, c.id]


def _row(window, ui, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    [row] = [r for r in ui.home_rows(window) if r[Column.NAME] == name]
    return row


def test_list_shows_score_completion_status(qtbot, make_window, ui, three) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    home = window.home
    assert home.stack.currentWidget() is home.list_panel
    assert len(ui.home_rows(window)) == 3
    rated = _row(window, ui, "Loan scorer 2025")
    assert rated[Column.SCORE] == "2.5 Developing (provisional)"
    assert rated[Column.COMPLETION] == "4%"  # 3 of 72
    assert rated[Column.STATUS] == "Draft"
    assert _row(window, ui, "Chatbot Q1")[Column.SCORE] == "–"
    final = _row(window, ui, "Loan scorer 2024")
    assert final[Column.STATUS] == "Finalized"
    assert final[Column.SCORE] == "5.0 Leading (provisional)"
    assert home.footer.text().startswith("3 assessments")

    # Filter by AI system, then by text.
    systems = [home.system_filter.itemText(i) for i in range(home.system_filter.count())]
    assert systems == ["All AI systems", "Loan scorer", "Support chatbot"]
    home.system_filter.setCurrentIndex(1)
    assert sorted(r[Column.NAME] for r in ui.home_rows(window)) == [
        "Loan scorer 2024",
        "Loan scorer 2025",
    ]
    qtbot.keyClicks(home.search, "2024")
    assert [r[Column.NAME] for r in ui.home_rows(window)] == ["Loan scorer 2024"]
    home.search.clear()
    home.system_filter.setCurrentIndex(0)
    assert len(ui.home_rows(window)) == 3


def test_models_pass_qtmodeltester(qtmodeltester, ctx, three) -> None:  # type: ignore[no-untyped-def]
    model = AssessmentListModel()
    model.set_rows(AssessmentService(ctx).list())
    qtmodeltester.check(model)
    index = model.index(model.row_of(three[0]), Column.COMPLETION)
    assert model.data(index, COMPLETION_ROLE) == pytest.approx(3 / 72)
    assert model.data(index, ID_ROLE) == three[0]
    proxy = AssessmentFilterModel()
    proxy.setSourceModel(model)
    proxy.set_system("Loan scorer")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2


def test_rename_stays_open_on_empty_name(qtbot, ctx, make_window, ui, three) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    home = window.home
    home.select(three[1])
    home.table.setFocus()
    qtbot.keyClick(home.table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: home.rename_dialog is not None and home.rename_dialog.isVisible())
    dialog = home.rename_dialog
    dialog.edit.clear()
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text() == "A name is required."
    qtbot.keyClicks(dialog.edit, "Chatbot Q1 (support)")
    with qtbot.waitSignal(home.loaded):
        dialog.accept()
    assert AssessmentService(ctx).get(three[1]).name == "Chatbot Q1 (support)"
    assert _row(window, ui, "Chatbot Q1 (support)")[Column.SYSTEM] == "Support chatbot"
    # A finalized assessment cannot be renamed: the action says why.
    home.select(three[2])
    assert not home.rename_action.isEnabled()
    assert "finalized" in home.rename_action.toolTip()


def test_duplicate(qtbot, ctx, make_window, ui, three) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    home = window.home
    home.select(three[0])
    home.table.setFocus()
    with qtbot.waitSignal(home.loaded):
        qtbot.keyClick(home.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    copy = _row(window, ui, "Loan scorer 2025 (copy)")
    assert copy[Column.SCORE] == "2.5 Developing (provisional)"
    assert home.selected_summary().assessment.name == "Loan scorer 2025 (copy)"
    # Issue 11: marked as a copy where the status is shown, and why it matters in the tooltip.
    assert copy[Column.STATUS] == "Draft (copy)"
    row = home.proxy.index(home.table.currentIndex().row(), Column.STATUS)
    assert "not counted as a cycle of Loan scorer" in row.data(Qt.ItemDataRole.ToolTipRole)


def test_new_cycle_is_not_complete_until_reviewed(qtbot, ctx, make_window, ui, three) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: a new cycle read "100% complete" before anyone had reviewed it."""
    new = LifecycleService(ctx).start_next_cycle(three[2], "Loan scorer 2026")  # finalized
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    row = _row(window, ui, "Loan scorer 2026")
    assert row[Column.COMPLETION] == "0% · 1 to review"
    assert row[Column.SCORE] == "5.0 Leading (provisional)"
    index = window.home.proxy.index(
        [r[Column.NAME] for r in ui.home_rows(window)].index("Loan scorer 2026"), Column.SCORE
    )
    assert "1 not yet reviewed" in index.data(Qt.ItemDataRole.ToolTipRole)
    LifecycleService(ctx).mark_reviewed(new.id, ["GOVERN 1.1"])
    ui.reload_home(window)
    assert _row(window, ui, "Loan scorer 2026")[Column.COMPLETION] == "1%"


def test_delete_names_what_is_lost(qtbot, ctx, make_window, ui, three) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    home = window.home
    home.select(three[0])
    history = len(AnswerService(ctx).history(three[0]))
    home.table.setFocus()
    qtbot.keyClick(home.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: home.delete_box is not None and home.delete_box.isVisible())
    box = home.delete_box
    text = box.text()
    assert "“Loan scorer 2025”" in text
    assert "3 answers" in text
    assert f"{history} history entries" in text
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    # Cancel keeps it.
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: home.delete_box is None)
    assert len(AssessmentService(ctx).list()) == 3
    # Delete removes it.
    home.delete_action.trigger()
    qtbot.waitUntil(lambda: home.delete_box is not None and home.delete_box.isVisible())
    with qtbot.waitSignal(home.loaded):
        home.delete_box.findChild(object, "confirmDeleteButton").click()
    assert sorted(s.assessment.id for s in AssessmentService(ctx).list()) == three[1:]
    assert "Loan scorer 2025" not in [r[Column.NAME] for r in ui.home_rows(window)]


def test_import_refuses_bad_file_and_takes_a_good_one(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_window, ui, three, tmp_path, monkeypatch
) -> None:
    good = tmp_path / "loan.json"
    ExchangeService(ctx).export_json(three[0], good)
    bad = tmp_path / "broken.json"
    doc = json.loads(good.read_text())
    doc["answers"][0]["metrics"]["coverage"] = "X"
    bad.write_text(json.dumps(doc))
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    home = window.home

    chosen: list[Path] = [bad]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(chosen[0]), ""))
    )
    home.import_action.trigger()
    qtbot.waitUntil(lambda: _error_box(window) is not None)
    box = _error_box(window)
    assert "broken.json" in box.text()
    assert "broken.json" in box.informativeText() and "answers.0" in box.informativeText()
    box.button(QMessageBox.StandardButton.Ok).click()
    assert len(AssessmentService(ctx).list()) == 3  # nothing written

    chosen[0] = good
    with qtbot.waitSignal(home.loaded, timeout=10_000):
        home.import_action.trigger()
    assert len(AssessmentService(ctx).list()) == 4
    selected = home.selected_summary()
    assert selected is not None and selected.assessment.id not in three
    assert selected.assessment.name == "Loan scorer 2025 (imported copy)"  # same uid: a copy
    assert not selected.assessment.is_cycle


def test_export_json_of_selected(qtbot, ctx, make_window, ui, three, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "out" / "chatbot.json"
    target.parent.mkdir()
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    seen: list[str] = []

    def save(parent, title, name, filters):  # type: ignore[no-untyped-def]
        seen.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    window.home.select(three[1])
    window.export_json_action.trigger()
    qtbot.waitUntil(target.exists)
    assert seen == ["chatbot-q1.json"]
    assert json.loads(target.read_text())["assessment"]["name"] == "Chatbot Q1"


def test_new_assessment_dialog_fields(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    ui.home_loaded(window)
    window.home.new_action.trigger()
    qtbot.waitUntil(lambda: window.home.new_dialog is not None)
    dialog = window.home.new_dialog
    schemes = [dialog.scheme_combo.itemData(i) for i in range(dialog.scheme_combo.count())]
    assert schemes[0] == "rubric" and "direct" in schemes
    levels = [dialog.target_combo.itemText(i) for i in range(dialog.target_combo.count())]
    assert levels == [
        "1 – Minimal",
        "2 – Developing",
        "3 – Established",
        "4 – Advanced",
        "5 – Leading",
    ]
    assert dialog.target_combo.currentIndex() == 2
    profile = ctx.catalog.framework("nist-ai-rmf-1.0").profile("nist-ai-600-1")
    assert dialog.risks.count() == len(profile.risks) == 12
    assert [dialog.risks.item(i).text() for i in range(12)] == [r.title for r in profile.risks]
    assert not dialog.risks.isEnabled()  # overlay off by default
    # An overlong name is refused next to the field, the dialog stays open.
    dialog.name.setText("x" * 201)
    dialog.ai_system.setText("Loan scorer")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "200 characters" in dialog.errors["name"].text()
    # Direct scheme, target 4: stored as chosen.
    dialog.name.setText("Direct one")
    dialog.scheme_combo.setCurrentIndex(schemes.index("direct"))
    dialog.target_combo.setCurrentIndex(3)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.current is not None)
    created = AssessmentService(ctx).get(window.current.id)
    assert (created.scheme_id, created.default_target, created.profiles) == ("direct", 4, [])


def _error_box(window) -> QMessageBox | None:  # type: ignore[no-untyped-def]
    for box in window.findChildren(QMessageBox, "errorBox"):
        if box.isVisible():
            return box
    return None
