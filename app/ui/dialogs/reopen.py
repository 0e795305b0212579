"""Reopen a finalized assessment for edits: an explicit action that needs a reason.

Public API::

    reopen_dialog(parent, ctx, assessment_id) -> bool   # True once reopened

The dialog warns that reopening clears the sign-off and its fingerprint and is recorded in the
change history; the reason is required (an empty one is refused inside the dialog). Cancel is
the default button. ``LifecycleService.reopen`` runs off the UI thread.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Assessment, Status
from app.domain.limits import local_text
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import ServiceError
from app.services.lifecycle import LifecycleService
from app.ui.progress.service_dialog import ServiceDialog, clean
from app.ui.style import heading


class ReopenDialog(ServiceDialog):
    """After ``accepted``, ``reopened`` is the assessment, editable again."""

    def __init__(
        self, ctx: ServiceContext, assessment_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, "reopenDialog", "&Reopen for edits")
        self.ctx = ctx
        self.assessment_id = assessment_id
        self.reopened: Assessment | None = None
        self.setWindowTitle("Reopen for edits")
        self.ok_button.setToolTip("Clear the sign-off and make the answers editable again")
        self.ok_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)

        self.heading = heading("Reopen for edits", factor=1.3, parent=self)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        self.warning = QLabel(self)
        self.warning.setObjectName("reopenWarning")
        self.warning.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addWidget(self.warning, 1)

        reason_label = QLabel("&Reason for reopening (required, recorded in the history)", self)
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("reopenReason")
        self.reason.setAccessibleName("Reason for reopening")
        self.reason.setPlaceholderText("e.g. The auditor asked for more evidence on MAP 1.1")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.reason.textChanged.connect(self.clear_error)
        reason_label.setBuddy(self.reason)

        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addLayout(top)
        column.addWidget(reason_label)
        column.addWidget(self.reason)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self._describe()
        self.fit()
        self.reason.setFocus()

    def _describe(self) -> None:
        try:
            a = AssessmentService(self.ctx).get(self.assessment_id)
        except ServiceError as exc:
            self.warning.setText("")
            self.disable(str(exc))
            return
        self.heading.setText(f"Reopen “{a.name}” for edits")
        if a.status is not Status.FINALIZED:
            self.warning.setText(f"“{a.name}” is a draft: it is already editable.")
            self.disable(f"“{a.name}” is not finalized, so there is nothing to reopen.")
            return
        when = local_text(a.finalized_at, "%Y-%m-%d %H:%M") if a.finalized_at else ""
        self.warning.setText(
            f"“{a.name}” was signed off by {a.finalized_by} ({a.finalized_role}) {when}. "
            "Reopening clears this sign-off and its stored fingerprint and makes the answers "
            "editable again. The reopening, your reason and your name are recorded "
            "permanently in the change history; finalize it again when the edits are done."
        )

    def accept(self) -> None:
        reason = clean(self.reason.toPlainText())
        if not reason:
            self.refuse(
                "Give a reason for reopening: it is recorded in the history for auditors.",
                self.reason,
            )
            return
        ctx, aid = self.ctx, self.assessment_id
        self.submit(
            lambda: LifecycleService(ctx).reopen(aid, reason),
            lambda done: setattr(self, "reopened", done),
        )


def reopen_dialog(parent: QWidget | None, ctx: ServiceContext, assessment_id: int) -> bool:
    """Ask for a reason and reopen; True if the assessment was reopened."""
    dialog = ReopenDialog(ctx, assessment_id, parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted and dialog.reopened is not None
    finally:
        dialog.deleteLater()
