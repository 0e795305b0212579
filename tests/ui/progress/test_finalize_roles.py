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


def test_the_dialog_names_the_work_still_open(ctx, aid, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Before signing, the approver reads what is unfinished, in the dashboard's words: an
    answer returned by a reviewer, an overdue action, an unsupported rating."""
    import datetime as dt

    from app.domain.review import ReviewAction
    from app.services.actions import ActionService
    from app.services.review import ReviewService

    clean = FinalizeDialog(ctx, aid)  # one answer, rated 3, nothing open
    qtbot.addWidget(clean)
    assert "Still open" not in clean.state.text()
    answers, review = AnswerService(ctx), ReviewService(ctx)
    answers.record(
        aid, "GOVERN 1.2", metrics={"coverage": "H", "robustness": "H", "input_diversity": "H"}
    )
    review.act(aid, "GOVERN 1.1", ReviewAction.READY)
    review.act(aid, "GOVERN 1.1", ReviewAction.RETURN, "Cite the policy")
    ActionService(ctx).add(aid, "GOVERN 1.1", title="Cite it", due_date=dt.date(2020, 1, 31))
    dialog = FinalizeDialog(ctx, aid)
    qtbot.addWidget(dialog)
    text = dialog.state.text()
    assert "Still open: 1 answer returned by a reviewer" in text
    assert "1 open remediation action (1 overdue)" in text
    assert "1 unsupported rating (Advanced or Leading without current evidence): GOVERN 1.2" in text
