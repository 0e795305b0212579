"""The "Edit assessment details" dialog and the dashboard's AI-system profile panel (issue 14):
reached from the Assessment menu, Home and the dashboard; what is saved is stored with one
history entry per field; bad input keeps the dialog open and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.domain.system_profile import LifecycleStage, RiskTier
from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService

pytestmark = pytest.mark.gui


def _open(qtbot, window, assessment_id: int) -> None:  # type: ignore[no-untyped-def]
    window.open_assessment(assessment_id)
    qtbot.waitUntil(lambda: window.current is not None and window.current.id == assessment_id)


def _dialog(qtbot, window):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.edit_dialog is not None and window.edit_dialog.isVisible())
    return window.edit_dialog


def _save(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_edit_from_the_assessment_menu_saves_and_reloads(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"})
    window = make_window(reopen_last=False)
    _open(qtbot, window, created.id)
    window.assessment_actions.edit_details.trigger()
    dialog = _dialog(qtbot, window)
    assert dialog.name.text() == "Q1" and not dialog.framework_combo.isEnabled()
    dialog.ai_system.clear()
    qtbot.keyClicks(dialog.ai_system, "Credit scorer")
    dialog.risk_tier.setCurrentIndex(dialog.risk_tier.findData("high"))
    dialog.stage.setCurrentIndex(dialog.stage.findData("deploy_and_use"))
    qtbot.keyClicks(dialog.data_categories, "Credit history; Income")
    _save(dialog)
    qtbot.waitUntil(lambda: window.current.ai_system == "Credit scorer")
    profile = AssessmentEditor(ctx).profile(created.id)
    assert profile.risk_tier is RiskTier.HIGH
    assert profile.deployment_status is LifecycleStage.DEPLOY_AND_USE
    assert profile.data_categories == ["Credit history", "Income"]
    assert "Saved: AI system, AI system: Risk tier" in window.statusBar().currentMessage()

    # The dashboard's panel shows it, and its button opens the dialog again.
    window.show_dashboard()
    page = window.dashboard
    qtbot.waitUntil(lambda: page.data is not None and page.data.profile == profile)
    assert page.system_profile.text.text() == (
        "Risk tier: High · Lifecycle stage: Deploy and Use · "
        "Data categories: Credit history; Income"
    )
    window.edit_dialog = None
    page.system_profile.edit_button.click()
    again = _dialog(qtbot, window)
    assert again.risk_tier.currentData() == "high"
    again.reject()


def test_bad_input_keeps_the_dialog_open_and_changes_nothing(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"})
    window = make_window(reopen_last=False)
    _open(qtbot, window, created.id)
    window.assessment_actions.edit_details.trigger()
    dialog = _dialog(qtbot, window)
    dialog.name.clear()
    qtbot.keyClicks(dialog.affected, "Applicants; applicants")
    _save(dialog)
    assert dialog.isVisible()
    assert dialog.errors["name"].text() == "A name is required."
    assert dialog.errors["system.affected_populations"].isVisible()
    dialog.reject()
    window.background.wait()
    assert AssessmentService(ctx).get(created.id).history_count == 0
    assert AssessmentEditor(ctx).profile(created.id).is_empty


def test_home_edits_the_selected_draft_and_not_a_finalized_one(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    draft = service.create({"name": "Draft", "ai_system": "Scorer"})
    signed = service.create({"name": "Signed", "ai_system": "Scorer"})
    LifecycleService(ctx).finalize(signed.id, "Ana", "Risk lead")
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    home = window.home
    names = [r[0] for r in ui.home_rows(window)]
    home.table.selectRow(names.index("Signed"))
    assert not home.edit_action.isEnabled()
    home.table.selectRow(names.index("Draft"))
    assert home.edit_action.isEnabled()
    home.edit_action.trigger()
    dialog = _dialog(qtbot, window)
    qtbot.keyClicks(dialog.model_vendor, "In-house")
    _save(dialog)
    qtbot.waitUntil(lambda: AssessmentEditor(ctx).profile(draft.id).model_vendor == "In-house")


def test_the_menu_item_is_disabled_for_a_finalized_assessment(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"})
    AssessmentEditor(ctx).edit(created.id, AssessmentEdit(system={"model_type": "LLM"}))
    LifecycleService(ctx).finalize(created.id, "Ana", "Risk lead")
    window = make_window(reopen_last=False)
    _open(qtbot, window, created.id)
    assert not window.assessment_actions.edit_details.isEnabled()
    window.show_dashboard()
    page = window.dashboard
    qtbot.waitUntil(lambda: page.data is not None)
    assert page.system_profile.text.text() == "Model type: LLM"
    assert not page.system_profile.edit_button.isEnabled()


def test_an_empty_profile_shows_guidance(qtbot, ctx, make_window) -> None:  # type: ignore[no-untyped-def]
    created = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"})
    window = make_window(reopen_last=False)
    _open(qtbot, window, created.id)
    window.show_dashboard()
    page = window.dashboard
    qtbot.waitUntil(lambda: page.data is not None)
    assert page.system_profile.empty.isVisible() and not page.system_profile.text.isVisible()
    assert "Edit details" in page.system_profile.empty.text()
    assert page.system_profile.edit_button.isEnabled()
    assert "&" in page.system_profile.edit_button.text()


def test_the_dialog_mnemonics_are_unique(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Each label's Alt+letter reaches one field (a repeated letter would cycle between
    fields and leave some unreachable in one key press)."""
    from PySide6.QtWidgets import QLabel

    from app.domain.system_profile import SystemProfile
    from app.ui.dialogs.edit_assessment import EditAssessmentDialog

    created = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"})
    dialog = EditAssessmentDialog(ctx, created, SystemProfile())
    qtbot.addWidget(dialog)
    letters = []
    for label in dialog.findChildren(QLabel):
        text = label.text()
        if "&" in text and label.buddy() is not None and label.buddy().isEnabled():
            letters.append(text[text.index("&") + 1].lower())
    assert len(letters) >= 10
    assert len(letters) == len(set(letters)), sorted(letters)
