"""File > Export > Respondent workbook: choose whose subcategories the workbook holds (one
function, or one owner named in the answers)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.ui.wheel_guard import guard_wheel


class RespondentDialog(QDialog):
    """``choices``: label -> subset (see ``actions.respondent_subsets``). After ``accepted``,
    ``chosen`` is the label picked."""

    def __init__(self, choices: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("respondentDialog")
        self.setWindowTitle("Export respondent workbook")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.choices = choices
        label = QLabel(
            "A workbook of these subcategories only, to send to the people who answer them. "
            "Import it back with File > Import changes from workbook.",
            self,
        )
        label.setWordWrap(True)
        self.combo = QComboBox(self)
        self.combo.setObjectName("respondentSubset")
        self.combo.setAccessibleName("Subcategories of")
        self.combo.addItems(list(choices))
        guard_wheel(self.combo)
        label.setBuddy(self.combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Export…")
        ok.setObjectName("respondentExportButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(label)
        column.addWidget(self.combo)
        column.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    @property
    def chosen(self) -> str:
        return self.combo.currentText()
