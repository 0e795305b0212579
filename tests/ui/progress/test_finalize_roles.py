"""The finalize dialog's three roles and four-eyes setting: a violation is refused inside the
dialog naming who made the last change (nothing written); relaxing it is recorded; the
assessor and reviewer are stored beside the approver."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.assessment import Status
from app.domain.review import RoleKind
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.ui.dialogs.finalize import FinalizeDialog, finalize_dialog

pytestmark = pytest.mark.gui
CLICK = Qt.MouseButton.LeftButton
M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Q4", "ai_system": "Claims triage"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M)  # by "tester"
    return a.id


def test_four_eyes_refusal_then_relaxed_sign_off(ctx, aid, qtbot, modal, background) -> None:  # type: ignore[no-untyped-def]
    def sign(dialog: FinalizeDialog) -> None:
        assert "tester (1 answer)" in dialog.changers.text()
        assert not dialog.relax.isChecked()
        qtbot.keyClicks(dialog.role, "Owner")  # the approver defaults to the actor: tester
        qtbot.mouseClick(dialog.ok_button, CLICK)
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
        assert "approver tester made the last change to GOVERN 1.1" in dialog.error.text()
        assert AssessmentService(ctx).get(aid).status is Status.DRAFT
        qtbot.keyClicks(dialog.role_fields["reviewer"][1], "Audit")
        qtbot.mouseClick(dialog.ok_button, CLICK)  # a reviewer's role without their name
        assert "reviewer's name" in dialog.error.text()
        qtbot.keyClicks(dialog.role_fields["reviewer"][0], "Sam")
        dialog.relax.setChecked(True)
        qtbot.mouseClick(dialog.ok_button, CLICK)

    assert modal(lambda: finalize_dialog(None, ctx, aid), sign) is True
    life = LifecycleService(ctx)
    block = life.signoff(aid)
    assert block.four_eyes_relaxed
    assert [(r.kind, r.name, r.title) for r in block.roles] == [
        (RoleKind.REVIEWER, "Sam", "Audit"),
        (RoleKind.APPROVER, "tester", "Owner"),
    ]
    assert [e.field for e in AnswerService(ctx).history(aid)[-3:]] == [
        "four_eyes",
        "signoff_reviewer",
        "status",
    ]
    assert life.verify(aid).matches
