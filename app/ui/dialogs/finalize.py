"""Finalize (sign off) an assessment: up to three roles; locks it read-only.

Public API::

    finalize_dialog(parent, ctx, assessment_id) -> bool   # True once finalized

The dialog asks for the approver's name (default: ``ctx.actor``), their role (required) and an
optional statement; optionally the assessor and the reviewer who sign beside them (name, role,
statement); and shows the four-eyes setting with who made the last changes to answers. It
explains that finalizing locks the assessment read-only and stores a SHA-256 fingerprint.
``LifecycleService.finalize`` runs off the UI thread; refusals (an empty role, a four-eyes
violation naming who made the last change, an assessment already finalized...) are shown
inside the dialog.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Assessment, Status
from app.domain.review import last_changers
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import ServiceError
from app.services.lifecycle import LifecycleService, RoleInput
from app.services.review import ReviewService
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
        self.signer.setAccessibleName("Approver's name")
        self.signer.setMaxLength(200)
        self.role = QLineEdit(self)
        self.role.setObjectName("finalizeRole")
        self.role.setAccessibleName("Approver's role")
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
        form.addRow("Approver's &name", self.signer)
        form.addRow("Approver's &role", self.role)
        form.addRow("&Statement", self.statement)

        # The assessor and the reviewer sign beside the approver (optional): a row each.
        self.others = QGridLayout()
        self.others.addWidget(muted(QLabel("Also signing (optional)", self)), 0, 0)
        for col, text in enumerate(("Name", "Role", "Statement"), start=1):
            self.others.addWidget(muted(QLabel(text, self)), 0, col)
        self.role_fields: dict[str, tuple[QLineEdit, QLineEdit, QLineEdit]] = {}
        for row, kind in enumerate(("assessor", "reviewer"), start=1):
            label = QLabel(f"{kind.capitalize()}", self)
            fields = []
            for col, (part, limit) in enumerate(
                (("name", 200), ("role", 200), ("statement", 5000)), start=1
            ):
                edit = QLineEdit(self)
                edit.setObjectName(f"finalize{kind.capitalize()}{part.capitalize()}")
                edit.setAccessibleName(f"{kind.capitalize()}'s {part}")
                edit.setMaxLength(limit)
                edit.textEdited.connect(lambda _t: self.clear_error())
                self.others.addWidget(edit, row, col)
                fields.append(edit)
            label.setBuddy(fields[0])
            self.others.addWidget(label, row, 0)
            self.role_fields[kind] = (fields[0], fields[1], fields[2])
        self.others.setColumnStretch(3, 1)

        self.relax = QCheckBox("Re&lax the four-eyes rule for this assessment", self)
        self.relax.setObjectName("finalizeRelaxFourEyes")
        self.relax.setAccessibleName("Relax the four-eyes rule")
        self.relax.setToolTip(
            "Four eyes: the approver may not be the person who made the last change to any "
            "answer. Relaxing it is recorded in the change history and in the sign-off."
        )
        self.relax.toggled.connect(lambda _on: self.clear_error())
        self.changers = muted(QLabel(self))
        self.changers.setObjectName("finalizeLastChanges")
        self.changers.setWordWrap(True)
        for w in (self.signer, self.role):
            w.textEdited.connect(lambda _t: self.clear_error())

        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.explain)
        column.addWidget(self.state)
        column.addLayout(form)
        column.addLayout(self.others)
        column.addWidget(self.relax)
        column.addWidget(self.changers)
        column.addWidget(self.error)
        column.addWidget(note)
        column.addWidget(self.buttons)
        self._describe()
        self.fit(680)
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
        self._describe_four_eyes()
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
        if open_work := self._open_work():
            self.state.setText(f"{self.state.text()} Still open: {open_work}.")

    def _open_work(self) -> str:
        """What the approver would sign off unfinished (``LifecycleService.open_work``), ""
        when there is none."""
        try:
            return "; ".join(LifecycleService(self.ctx).open_work(self.assessment_id))
        except ServiceError:
            return ""

    def _describe_four_eyes(self) -> None:
        """The stored setting, and who made the last change to how many answers (the people
        the four-eyes rule keeps from approving)."""
        try:
            relaxed = ReviewService(self.ctx).four_eyes_relaxed(self.assessment_id)
            changers = last_changers(AnswerService(self.ctx).history(self.assessment_id))
        except ServiceError:
            return
        self.relax.setChecked(relaxed)
        counts = Counter(changers.values()).most_common()
        if not counts:
            self.changers.setText("No answer has been changed yet.")
            return
        people = ", ".join(f"{who} ({n} answer{'s' if n != 1 else ''})" for who, n in counts)
        self.changers.setText(
            f"Last changes to answers were made by: {people}. Unless the rule is relaxed, "
            "the approver must be someone else."
        )

    def accept(self) -> None:
        signer, role = clean(self.signer.text()), clean(self.role.text())
        if not signer:
            self.refuse("Enter the approver's name.", self.signer)
            return
        if not role:
            self.refuse(
                "Enter the approver's role: the sign-off records who signed and as what.",
                self.role,
            )
            return
        others: dict[str, RoleInput | None] = {}
        for kind, (name, title, said) in self.role_fields.items():
            given = RoleInput(clean(name.text()), clean(title.text()), clean(said.text()))
            if not given.name and (given.title or given.statement):
                self.refuse(f"Enter the {kind}'s name, or clear their role and statement.", name)
                return
            others[kind] = given if given.name else None
        statement = clean(self.statement.toPlainText())
        relax = self.relax.isChecked()
        ctx, aid = self.ctx, self.assessment_id
        self.submit(
            lambda: LifecycleService(ctx).finalize(
                aid,
                signer,
                role,
                statement,
                assessor=others["assessor"],
                reviewer=others["reviewer"],
                relax_four_eyes=relax,
            ),
            lambda done: setattr(self, "finalized", done),
        )


def finalize_dialog(parent: QWidget | None, ctx: ServiceContext, assessment_id: int) -> bool:
    """Ask for the sign-off and finalize; True if the assessment was finalized."""
    dialog = FinalizeDialog(ctx, assessment_id, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted and dialog.finalized is not None
    finally:
        dialog.deleteLater()
