"""Remediation actions in the window (issue 14): the questionnaire's Remediation tab (one-click
creation from a suggestion, the dialog's refusals, read-only when finalized) and the Actions
view (filters, sorting, bulk change, double-click to the subcategory), with qtmodeltester and
screenshots at 1366x768 in light and dark."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget

from app.domain.actions import ActionStatus
from app.persistence.action_values import read_actions
from app.services.actions import ActionService
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.ui.actions.model import SECTION_COLUMNS, ActionsTableModel
from app.ui.questionnaire.guidance_panel import BASE_TEXT_ROLE
from app.ui.style import readable_palette

pytestmark = pytest.mark.gui
SHOTS = Path("/tmp")


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "2026 cycle", "ai_system": "Claims triage"})
    service = ActionService(ctx)
    service.add(
        aid := a.id,
        "GOVERN 1.1",
        title="Write the AI policy",
        owner="Dana",
        due_date="2020-01-31",
        priority="high",
    )
    service.add(aid, "MAP 1.1", suggestion="playbook:1", owner="Sam", due_date="2031-06-30")
    done = service.add(aid, "MEASURE 2.1", title="Bias test report", owner="Dana", priority="low")
    service.update(aid, done.uid, status="done")
    service.add(aid, "GOVERN 1.2", title="Define key terms", due_date="2030-01-01")
    return aid


def _texts(page, column: str) -> list[str]:  # type: ignore[no-untyped-def]
    col = page.model.keys.index(column)
    return [page.proxy.index(r, col).data() for r in range(page.proxy.rowCount())]


def _shot(qtbot, window, name: str, dark: bool) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    original = app.palette()
    if dark:
        from app.ui.appearance import qt_fusion_palette

        app.setPalette(readable_palette(qt_fusion_palette(True)))
    try:
        window.resize(1366, 768)
        qtbot.wait(150)
        window.grab().save(str(SHOTS / f"actions-{name}-{'dark' if dark else 'light'}.png"))
    finally:
        app.setPalette(original)


def test_model_passes_qtmodeltester(qtmodeltester, ctx, aid) -> None:  # type: ignore[no-untyped-def]
    listed = ActionService(ctx).listed(aid)
    for columns in (None, SECTION_COLUMNS):
        model = ActionsTableModel() if columns is None else ActionsTableModel(columns)
        model.set_rows(listed)
        qtmodeltester.check(model)


def test_snapshot_read_equals_the_repository(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    from app.persistence.actions import ActionRepository

    with ctx.reading() as unit:
        stored = unit.part(ActionRepository).list(aid)
    with ctx.db.snapshot() as con:
        assert read_actions(con, aid) == stored
        assert read_actions(con, aid, "MAP 1.1") == [
            a for a in stored if a.subcategory_id == "MAP 1.1"
        ]


def test_actions_view_filters_sorts_bulk_changes_and_opens(
    qtbot, make_window, ctx, aid, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.open_assessment(aid)
    qtbot.waitUntil(lambda: window.current is not None)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # View > Actions
    page = window.actions_page
    assert window.tabs.currentWidget() is page and window.actions_view_action.isChecked()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 4)
    # Sorted by due date, none last; overdue said in words.
    assert _texts(page, "due") == ["2020-01-31", "2030-01-01", "2031-06-30", "–"]
    assert _texts(page, "status")[0] == "Planned (overdue)"
    assert page.count.text() == "4 of 4 actions shown · 3 open · 1 overdue"
    _shot(qtbot, window, "view", dark=False)
    _shot(qtbot, window, "view", dark=True)

    page.overdue.setChecked(True)
    assert _texts(page, "title") == ["Write the AI policy"]
    page.overdue.setChecked(False)
    page.owner.setCurrentIndex(page.owner.findData("Dana"))
    assert sorted(_texts(page, "title")) == ["Bias test report", "Write the AI policy"]
    page.owner.setCurrentIndex(0)
    page.function.setCurrentIndex(page.function.findData("MAP"))
    assert _texts(page, "subcategory") == ["MAP 1.1"]
    page.function.setCurrentIndex(0)
    page.status.setCurrentIndex(page.status.findData(ActionStatus.DONE))
    assert _texts(page, "title") == ["Bias test report"]
    page.status.setCurrentIndex(page.status.findData("open"))
    assert len(_texts(page, "title")) == 3
    page.status.setCurrentIndex(0)
    page.priority.setCurrentIndex(page.priority.findData("low"))
    assert _texts(page, "title") == ["Bias test report"]
    page.priority.setCurrentIndex(0)
    page.status.setCurrentIndex(0)
    page.table.sortByColumn(page.model.keys.index("subcategory"), Qt.SortOrder.AscendingOrder)
    assert _texts(page, "subcategory") == ["GOVERN 1.1", "GOVERN 1.2", "MAP 1.1", "MEASURE 2.1"]

    # Bulk change of owner on a multi-selection: one transaction, one entry per action.
    page.table.selectRow(0)
    page.table.selectionModel().select(
        page.proxy.index(1, 0),
        page.table.selectionModel().SelectionFlag.Select
        | page.table.selectionModel().SelectionFlag.Rows,
    )
    assert len(page.selected()) == 2 and page.set_owner.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Risk office", True))
    page.set_owner.click()
    qtbot.waitUntil(lambda: _texts(page, "owner")[:2] == ["Risk office", "Risk office"])
    stored = {a.subcategory_id: a.owner for a in ActionService(ctx).list(aid)}
    assert stored["GOVERN 1.1"] == stored["GOVERN 1.2"] == "Risk office"
    assert stored["MAP 1.1"] == "Sam"
    # Bulk "risk accepted" with an empty rationale is refused whole: one message, nothing saved.
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("", True))
    page.bulk_status(ActionStatus.RISK_ACCEPTED)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    box = QApplication.activeModalWidget()
    assert "rationale" in box.informativeText()
    box.close()
    assert all(a.status is not ActionStatus.RISK_ACCEPTED for a in ActionService(ctx).list(aid))

    # Enter on a row (keyboard) and double-click go to the subcategory in the questionnaire.
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() == "GOVERN 1.1")
    window.show_actions()
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 4)
    index = page.proxy.index(2, 0)
    page.table.doubleClicked.emit(index)
    assert window.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: window.questionnaire.current_subcategory() == "MAP 1.1")


def test_remediation_tab_creates_from_a_suggestion_and_edits(
    qtbot, make_window, ctx, modal
) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create(
        {
            "name": "Empty",
            "ai_system": "Chatbot",
            "profiles": [{"profile_id": "nist-ai-600-1", "risks": []}],
        }
    )
    AnswerService(ctx).add_link(a.id, "GOVERN 1.1", "Policy", "https://example.org/policy")
    window = make_window()
    window.open_assessment(a.id)
    page = window.questionnaire
    qtbot.waitUntil(lambda: page.current_subcategory() == "GOVERN 1.1")
    section = page.remediation
    page.guidance.setCurrentIndex(page._remediation_tab)
    qtbot.waitUntil(lambda: section.empty.isVisible())
    assert "No remediation actions" in section.empty.text()
    _shot(qtbot, window, "section-empty", dark=False)

    # One click on a Playbook suggestion: an action with its verbatim text and reference.
    page.guidance.setCurrentIndex(1)
    page.guidance.actions.setCurrentRow(1)
    _shot(qtbot, window, "playbook", dark=False)
    qtbot.mouseClick(page.guidance.create_from_playbook, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.model.rowCount() == 1)
    assert page.guidance.currentIndex() == page._remediation_tab
    assert page.guidance.tabText(page._remediation_tab) == "Plan (1)"
    created = ActionService(ctx).list(a.id)[0]
    suggestion = page.guidance.actions.item(1).data(BASE_TEXT_ROLE)  # verbatim, as listed
    assert created.source == "playbook:2" and created.description == suggestion
    # The suggestion now names its open action, and is not planned a second time.
    planned = page.guidance.actions.item(1)
    qtbot.waitUntil(lambda: "Planned: action" in planned.text())
    assert planned.text() == f"{suggestion}\n→ Planned: action {created.uid[:8]}, planned"
    assert not page.guidance.create_from_playbook.isEnabled()
    assert "already" in page.guidance.create_from_playbook.toolTip()
    page.guidance.actions.setCurrentRow(0)
    assert page.guidance.create_from_playbook.isEnabled()
    page.guidance.actions.setCurrentRow(1)
    # The AI 600-1 tab's "Create action from selected" (the list of ticks, issue 14).
    profile_action = (
        ctx.catalog.framework("nist-ai-rmf-1.0").profiles[0].actions_for("GOVERN 1.1")[0]
    )
    genai = page.guidance.genai
    ids = [genai.item(r).data(Qt.ItemDataRole.UserRole) for r in range(genai.count())]
    assert profile_action.id in ids
    page.guidance.setCurrentIndex(page.guidance.indexOf(genai.parentWidget()))
    genai.setCurrentRow(-1)
    assert not page.guidance.create_from_genai.isEnabled()  # nothing selected
    genai.setCurrentRow(ids.index(profile_action.id))
    _shot(qtbot, window, "genai", dark=True)
    qtbot.mouseClick(page.guidance.create_from_genai, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.model.rowCount() == 2)
    assert ActionService(ctx).list(a.id)[1].source == f"ai600-1:{profile_action.id}"

    # Add through the dialog: a refused due date keeps it open and names the field.
    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        dialog.title.setText("Review the policy yearly")
        dialog.owner.setText("Dana")
        dialog.due.edit.setText("2027-02-31")
        dialog.accept()
        assert dialog.isVisible() and "no day 31" in dialog.error.text()
        dialog.due.edit.setText("2027-03-31")
        dialog.links.item(0).setCheckState(Qt.CheckState.Checked)
        _shot(qtbot, dialog, "dialog", dark=False)
        dialog.accept()

    section.add()
    qtbot.waitUntil(lambda: section.dialog is not None and section.dialog.isVisible())
    fill(section.dialog)
    qtbot.waitUntil(lambda: section.model.rowCount() == 3)
    added = ActionService(ctx).list(a.id)[2]
    assert (added.owner, added.due_date) == ("Dana", dt.date(2027, 3, 31))
    assert [e.title for e in added.evidence] == ["Policy"]
    _shot(qtbot, window, "section", dark=False)
    _shot(qtbot, window, "section", dark=True)

    # Status from the menu; "risk accepted" opens the dialog for its rationale.
    section.table.selectRow(2)
    section.set_status(ActionStatus.IN_PROGRESS)
    qtbot.waitUntil(lambda: ActionService(ctx).list(a.id)[2].status is ActionStatus.IN_PROGRESS)
    section.set_status(ActionStatus.RISK_ACCEPTED)
    qtbot.waitUntil(
        lambda: section.dialog is not None and section.dialog.windowTitle().startswith("Edit")
    )
    assert section.dialog.chosen_status() is ActionStatus.RISK_ACCEPTED
    section.dialog.accept()
    assert "rationale" in section.dialog.error.text().lower()
    section.dialog.rationale.setPlainText("The system is retired in March")
    section.dialog.accept()
    qtbot.waitUntil(lambda: ActionService(ctx).list(a.id)[2].status is ActionStatus.RISK_ACCEPTED)

    # Finalized: read-only, nothing can be added or created.
    window.questionnaire.flush()
    LifecycleService(ctx).finalize(a.id, "Ann Lee", "CRO")
    window.reload_assessment()
    qtbot.waitUntil(lambda: section.read_only and not section.add_button.isEnabled())
    assert not page.guidance.create_from_playbook.isEnabled()
    assert not page.guidance.create_from_genai.isEnabled()
    section.create_from_suggestion("playbook:1")
    window.background.wait()
    assert len(ActionService(ctx).list(a.id)) == 3


def test_the_dialog_keeps_a_link_to_removed_evidence_unless_unticked(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.domain.actions import EvidenceRef, RemediationAction
    from app.domain.assessment import EvidenceItem
    from app.ui.actions.dialog import ActionDialog

    gone = EvidenceRef(title="Old policy", url="https://example.org/old")
    action = RemediationAction(
        uid="a" * 32, subcategory_id="GOVERN 1.1", title="Fix", evidence=[gone]
    )
    current = [EvidenceItem(title="New policy", url="https://example.org/new")]
    dialog = ActionDialog("GOVERN 1.1", current, action)
    qtbot.addWidget(dialog)
    texts = [dialog.links.item(r).text() for r in range(dialog.links.count())]
    assert texts == ["New policy", "Old policy (no longer in the evidence)"]
    dialog.accept()
    assert dialog.values() == {}  # nothing changed without the user's tick
    dialog = ActionDialog("GOVERN 1.1", current, action)
    qtbot.addWidget(dialog)
    dialog.links.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.links.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    assert [r.title for r in dialog.values()["evidence"]] == ["New policy"]


def test_the_dialog_opens_within_a_1366x768_screen(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Its three text boxes would like 886 pixels: it opens no taller than the screen leaves
    (a 768-pixel laptop screen with a task bar), Save and Cancel in reach."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    from app.domain.actions import RemediationAction
    from app.domain.assessment import EvidenceItem
    from app.ui.actions.dialog import ActionDialog
    from app.ui.screen_fit import FRAME_ROOM

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1366, 728))
    action = RemediationAction(
        uid="b" * 32,
        subcategory_id="GOVERN 1.1",
        title="Maintain awareness of the applicable legal and regulatory considerations " * 2,
        description="Maintain awareness of the applicable legal considerations. " * 4,
        source="playbook:1",
    )
    evidence = [EvidenceItem(title=f"Item {n}", url=f"https://x.org/{n}") for n in range(3)]
    dialog = ActionDialog("GOVERN 1.1", evidence, action)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.sizeHint().height() > 728 - FRAME_ROOM  # what it would open at before
    assert dialog.height() <= 728 - FRAME_ROOM
    save = dialog.findChild(QWidget, "actionSave")
    bottom = save.mapTo(dialog, save.rect().bottomLeft()).y()
    assert save.isVisible() and bottom < dialog.height()
    assert not dialog.description.visibleRegion().isEmpty()  # the boxes shrink, still shown
    assert dialog.title.cursorPosition() == 0  # a long title shows its start
