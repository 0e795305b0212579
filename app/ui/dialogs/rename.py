"""Rename an assessment: one field, validated inline; the dialog stays open on a refused name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.assessment import Assessment, AssessmentMeta
from app.services.assessments import AssessmentService
from app.services.errors import InvalidInput
from app.ui.dialogs.new_assessment import friendly, split_errors
from app.ui.style import error_label


class RenameDialog(QDialog):
    """After ``accepted``, ``new_name`` holds the validated name."""

    def __init__(
        self, service: AssessmentService, assessment: Assessment, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.assessment = assessment
        self.new_name = ""
        self.setObjectName("renameDialog")
        self.setWindowTitle("Rename assessment")
        self.setModal(True)
        label = QLabel(f"New name for “{assessment.name}”:", self)
        label.setWordWrap(True)
        self.edit = QLineEdit(assessment.name, self)
        self.edit.setObjectName("renameEdit")
        self.edit.setAccessibleName("New name")
        self.edit.selectAll()
        label.setBuddy(self.edit)
        self.error = error_label(self, "renameError")
        self.edit.textEdited.connect(lambda _t: self.error.setVisible(False))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Rename")
        ok.setObjectName("renameButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(label)
        column.addWidget(self.edit)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def accept(self) -> None:
        meta = AssessmentMeta.model_validate(
            self.assessment.model_dump(include=set(AssessmentMeta.model_fields))
        )
        try:
            checked = self.service.validate_meta({**meta.model_dump(), "name": self.edit.text()})
        except InvalidInput as exc:
            field, message = split_errors(str(exc))[0]
            self.error.setText(friendly(field, message))
            self.error.setVisible(True)
            self.edit.setFocus()
            return
        self.new_name = checked.name
        super().accept()
