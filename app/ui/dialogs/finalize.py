"""Finalize (sign off) an assessment: signer, role, optional statement; locks it read-only.

Public API::

    finalize_dialog(parent, ctx, assessment_id) -> bool   # True once finalized

The dialog asks for the signer's name (default: ``ctx.actor``), their role (required) and an
optional statement; it explains that finalizing locks the assessment read-only and stores a
SHA-256 fingerprint of its answers. ``LifecycleService.finalize`` runs off the UI thread;
refusals (an empty role, an assessment already finalized...) are shown inside the dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Assessment, Status
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import ServiceError
from app.services.lifecycle import LifecycleService
from app.services.scoring import ScoringService
from app.ui.progress.service_dialog import ServiceDialog, clean
from app.ui.style import heading, muted


class FinalizeDialog(ServiceDialog):
    """After ``accepted``, ``finalized`` is the locked assessment (with its fingerprint)."""

    def __init__(
        self, ctx: ServiceContext, assessment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, "finalizeDialog", "&Finalize and sign off")
        self.ctx = ctx
        self.assessment_id = assessment_id
        self.finalized: Assessment | None = None
        self.setWindowTitle("Finalize and sign off")
        self.ok_button.setToolTip("Sign off and lock the assessment read-only")

        self.heading = heading("Finalize and sign off", factor=1.3, parent=self)
        self.explain = QLabel(
            "Finalizing locks this assessment read-only: no answer, rating, note or piece of "
            "evidence can be changed until someone reopens it, which needs a reason and is "
            "recorded in the change history. A SHA-256 fingerprint of its answers, its change "
            "history and your sign-off is stored with it, so anyone can later verify that "
            "nothing was altered.",
            self,
        )
        self.explain.setObjectName("finalizeExplanation")
        self.explain.setWordWrap(True)
        self.state = QLabel(self)
        self.state.setObjectName("finalizeState")
        self.state.setWordWrap(True)
        note = muted(QLabel("A self-assessment is not a certification.", self))

        self.signer = QLineEdit(ctx.actor, self)
        self.signer.setObjectName("finalizeSigner")
        self.signer.setAccessibleName("Signer's name")
        self.signer.setMaxLength(200)
        self.role = QLineEdit(self)
        self.role.setObjectName("finalizeRole")
        self.role.setAccessibleName("Signer's role")
        self.role.setPlaceholderText("Required, e.g. Chief Risk Officer")
        self.role.setMaxLength(200)
        self.statement = QPlainTextEdit(self)
        self.statement.setObjectName("finalizeStatement")
        self.statement.setAccessibleName("Sign-off statement (optional)")
        self.statement.setPlaceholderText(
            "Optional, e.g. Reviewed with the AI governance board on …"
        )
        self.statement.setTabChangesFocus(True)
        self.statement.setFixedHeight(self.fontMetrics().lineSpacing() * 5)
        form = QFormLayout()
        form.addRow("Signer's &name", self.signer)
        form.addRow("Signer's &role", self.role)
        form.addRow("&Statement", self.statement)
        for w in (self.signer, self.role):
            w.textEdited.connect(lambda _t: self.clear_error())

        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.explain)
        column.addWidget(self.state)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(note)
        column.addWidget(self.buttons)
        self._describe()
        self.fit()
        (self.role if self.signer.text() else self.signer).setFocus()

    def _describe(self) -> None:
        try:
            a = AssessmentService(self.ctx).get(self.assessment_id)
            overall = ScoringService(self.ctx).score(self.assessment_id)
        except ServiceError as exc:
            self.state.setVisible(False)
            self.disable(str(exc))
            return
        self.heading.setText(f"Finalize and sign off “{a.name}”")
        if a.status is Status.FINALIZED:
            self.state.setVisible(False)
            self.disable(
                f"“{a.name}” is already finalized (signed off by {a.finalized_by}, "
                f"{a.finalized_role}); reopen it first to sign it off again."
            )
            return
        if overall.unanswered:
            self.state.setText(
                f"{overall.answered} of {overall.total} subcategories are answered: "
                f"{overall.unanswered} are still unanswered, so the scores you sign off are "
                "provisional."
            )
        else:
            self.state.setText(f"All {overall.total} subcategories are answered.")
        if overall.unreviewed:  # signing off answers nobody looked at in this cycle
            n = overall.unreviewed
            self.state.setText(
                f"{self.state.text()} {n} carried-over answer{' is' if n == 1 else 's are'} not "
                "yet reviewed in this cycle: you would sign them off as they were carried over."
            )

    def accept(self) -> None:
        signer, role = clean(self.signer.text()), clean(self.role.text())
        if not signer:
            self.refuse("Enter the signer's name.", self.signer)
            return
        if not role:
            self.refuse(
                "Enter the signer's role: the sign-off records who signed and as what.", self.role
            )
            return
        statement = clean(self.statement.toPlainText())
        ctx, aid = self.ctx, self.assessment_id
        self.submit(
            lambda: LifecycleService(ctx).finalize(aid, signer, role, statement),
            lambda done: setattr(self, "finalized", done),
        )


def finalize_dialog(parent: QWidget | None, ctx: ServiceContext, assessment_id: int) -> bool:
    """Ask for the sign-off and finalize; True if the assessment was finalized."""
    dialog = FinalizeDialog(ctx, assessment_id, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted and dialog.finalized is not None
    finally:
        dialog.deleteLater()
