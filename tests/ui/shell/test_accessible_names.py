"""Every interactive widget of every window and dialog has a name a screen reader can read
(issue 17, WCAG 2.2 SC 4.1.2 Name, Role, Value)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QWidget

from app.services.assessments import AssessmentService
from app.services.backups import BackupService, list_backups
from app.services.lifecycle import LifecycleService
from app.services.sample import create_sample
from tests.ui.shell.a11y_walk import accessible_name, unnamed

pytestmark = pytest.mark.gui

# Subcategories of the sample that show each state of the answer editor: rated with notes and
# evidence, not applicable with its rationale, flagged, and not yet answered.
SUBCATEGORIES = ("GOVERN 1.1", "MEASURE 2.2", "MEASURE 2.7", "MAP 5.2")


def test_walker_finds_an_unnamed_widget(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The walker itself: an icon-only button with no name is reported, a named one is not."""
    from PySide6.QtWidgets import QHBoxLayout, QToolButton

    root = QWidget()
    qtbot.addWidget(root)
    bare, named = QToolButton(root), QToolButton(root)
    bare.setObjectName("bare")
    named.setAccessibleName("Named")
    layout = QHBoxLayout(root)
    layout.addWidget(bare)
    layout.addWidget(named)
    root.show()
    found = unnamed(root)
    assert len(found) == 1 and "'bare'" in found[0]
    assert accessible_name(named) == "Named"


def test_every_page_of_the_main_window_names_its_widgets(qtbot, ctx, make_window, ui) -> None:  # type: ignore[no-untyped-def]
    sample = create_sample(ctx)
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    problems: dict[str, list[str]] = {"home": unnamed(window)}

    window.open_assessment(sample.id)
    qtbot.waitUntil(lambda: window.current is not None)
    page = window.questionnaire
    for sub in SUBCATEGORIES:
        window.show_subcategory(sub)
        qtbot.waitUntil(lambda s=sub: page.current_subcategory() == s)
        problems[f"questionnaire {sub}"] = unnamed(window)

    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.data is not None)
    window.dashboard_view_action.trigger()
    problems["dashboard"] = unnamed(window)

    window.show_progress()
    qtbot.waitUntil(lambda: window.progress.views.currentWidget().isVisible())
    problems["progress"] = unnamed(window)
    window.progress.show_trend(sample.ai_system)
    qtbot.wait(200)
    problems["trend"] = unnamed(window)

    # A finalized assessment: its read-only banner and the disabled form.
    LifecycleService(ctx).finalize(sample.id, "Ann Lee", "CRO")
    window.reload_assessment()
    window.show_questionnaire()
    qtbot.waitUntil(lambda: page.read_only_banner.isVisible())
    problems["questionnaire finalized"] = unnamed(window)

    window.assessment_actions.history.trigger()
    dialog = window.findChild(QDialog, "historyDialog")
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    problems["history"] = unnamed(dialog)
    dialog.reject()

    assert {k: v for k, v in problems.items() if v} == {}


def _dialogs(ctx, tmp_path: Path) -> list[QDialog]:  # type: ignore[no-untyped-def]
    from app.domain.assessment import Answer, EvidenceItem
    from app.domain.system_profile import SystemProfile
    from app.services.actions import ActionService
    from app.services.errors import Conflict
    from app.services.interchange.service import FieldChange, ImportPlan
    from app.ui.actions.dialog import ActionDialog
    from app.ui.dialogs.confirm import TypedNameDialog
    from app.ui.dialogs.edit_assessment import EditAssessmentDialog
    from app.ui.dialogs.finalize import FinalizeDialog
    from app.ui.dialogs.new_assessment import NewAssessmentDialog
    from app.ui.dialogs.next_cycle import NextCycleDialog
    from app.ui.dialogs.preferences import PreferencesDialog
    from app.ui.dialogs.rename import RenameDialog
    from app.ui.dialogs.reopen import ReopenDialog
    from app.ui.dialogs.restore_backup import RestoreBackupDialog
    from app.ui.dialogs.save_conflict import SaveConflictDialog
    from app.ui.interchange.preview import ImportPreviewDialog
    from app.ui.interchange.respondent import RespondentDialog
    from app.ui.report_export import ReportOptionsDialog

    service = AssessmentService(ctx)
    draft = service.create({"name": "Draft one", "ai_system": "Loan scorer"})
    signed = service.create({"name": "Signed one", "ai_system": "Loan scorer"})
    LifecycleService(ctx).finalize(signed.id, "Ann Lee", "CRO")
    BackupService(ctx).create()
    settings = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    return [
        NewAssessmentDialog(ctx),
        EditAssessmentDialog(ctx, draft, SystemProfile(risk_tier="high")),
        RenameDialog(service, draft),
        PreferencesDialog(settings),
        PreferencesDialog(settings, server_login="ann"),
        ReportOptionsDialog(tmp_path / "report.pdf", "A4", "Internal", None),
        RestoreBackupDialog(list_backups(ctx.location), "db"),
        TypedNameDialog(service.delete_plan(signed.id)),
        FinalizeDialog(ctx, draft.id),
        NextCycleDialog(ctx, signed.id),
        ReopenDialog(ctx, signed.id),
        ActionDialog("GOVERN 1.1", [EvidenceItem(title="Policy", url="https://example.org")]),
        ActionDialog(
            "GOVERN 1.1",
            [],
            ActionService(ctx).add(draft.id, "GOVERN 1.1", suggestion="playbook:1"),
        ),
        SaveConflictDialog(
            Conflict(
                "GOVERN 1.1",
                {"notes": ("Their note", "My note"), "owner": ("Legal", "Risk")},
                Answer(subcategory_id="GOVERN 1.1", notes="Their note", owner="Legal"),
                3,
            )
        ),
        ImportPreviewDialog(
            ImportPlan(
                draft.id,
                "returned.xlsx",
                [
                    FieldChange(2, "GOVERN 1.1", "notes", "", "New"),
                    FieldChange(3, "GOVERN 1.2", "owner", "A", "B", True),
                ],
                rows_read=72,
            ),
            draft.name,
        ),
        RespondentDialog({"Function GOVERN": None, "Owner Legal": None}),
    ]


def test_every_dialog_names_its_widgets(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    problems: dict[str, list[str]] = {}
    for dialog in _dialogs(ctx, tmp_path):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        problems[dialog.objectName()] = unnamed(dialog)
        dialog.close()
    from app.ui.dialogs.confirm import confirm_delete_box

    box = confirm_delete_box(None, "Draft one", 3, 5)  # type: ignore[arg-type]
    qtbot.addWidget(box)
    box.show()
    problems[box.objectName()] = unnamed(box)
    box.close()
    assert len(problems) >= 10
    assert {k: v for k, v in problems.items() if v} == {}
