"""Confirmation boxes that say exactly what an action will lose."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.services.assessments import DeletePlan

# How many file names a confirmation lists before "and N more".
FILES_LISTED = 8


def delete_message(name: str, answers: int, history: int, files: str = "") -> str:
    """The text of the delete confirmation. ``files``: what happens to its evidence files
    (``files_message``); without it, the files are not mentioned."""
    a = "1 answer" if answers == 1 else f"{answers} answers"
    h = "1 history entry" if history == 1 else f"{history} history entries"
    return (
        f"Delete the assessment “{name}”?\n\n"
        f"This permanently removes its {a} (ratings, notes, evidence links, owners and due "
        f"dates) and its change history ({h}). "
        + (f"{files} " if files else "")
        + "This cannot be undone except by restoring a backup; export it first if you may need "
        "it again."
    )


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:FILES_LISTED])
    more = len(names) - FILES_LISTED
    return f"{shown} and {more} more" if more > 0 else shown


def files_message(plan: DeletePlan) -> str:
    """What deleting does to the evidence files, in one paragraph."""
    parts = []
    removed = [f.name or f.sha256[:12] for f in plan.files.removed]
    if removed:
        parts.append(f"These evidence files are removed from the store: {_names(removed)}.")
    kept = [f.name or f.sha256[:12] for f in plan.files.kept_for_backups]
    if kept:
        parts.append(f"Kept because a backup cites them (removed once none does): {_names(kept)}.")
    if plan.shared:
        parts.append(f"Kept because other assessments cite them: {_names(plan.shared)}.")
    if plan.files.problem:
        parts.append(plan.files.problem[:1].upper() + plan.files.problem[1:] + ".")
    return " ".join(parts) or "It has no evidence files in the store."


def plan_message(plan: DeletePlan) -> str:
    return delete_message(plan.assessment.name, plan.answers, plan.history, files_message(plan))


def confirm_delete_box(
    parent: QWidget, name: str, answers: int, history: int, files: str = ""
) -> QMessageBox:
    """A window-modal box (not yet shown): Delete is destructive, Cancel is the default."""
    box = QMessageBox(parent)
    box.setObjectName("confirmDeleteBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Delete assessment")
    box.setText(delete_message(name, answers, history, files))
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName("confirmDeleteButton")
    delete.setAccessibleName("Delete the assessment")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("cancelDeleteButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


class TypedNameDialog(QDialog):
    """Deleting what others rely on (a finalized assessment, a previous cycle): says why, what
    is lost, and enables Delete only once the assessment's exact name is typed.

    ``typed_name()`` is what was typed (passed on to the service, which checks it again).
    """

    def __init__(self, plan: DeletePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        name = plan.assessment.name
        self.setObjectName("confirmDeleteNameDialog")
        self.setWindowTitle("Delete assessment")
        icon = QLabel(self)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(32, 32)
        )
        why = QLabel(f"<b>“{escape(name)}” {escape(plan.why_confirm)}.</b>", self)
        why.setObjectName("confirmDeleteWhy")
        why.setWordWrap(True)
        self.message = QLabel(plan_message(plan), self)
        self.message.setObjectName("confirmDeleteText")
        self.message.setWordWrap(True)
        prompt = QLabel(f"To delete it, type its name, <b>{escape(name)}</b>:", self)
        prompt.setWordWrap(True)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("confirmNameEdit")
        self.edit.setAccessibleName("Type the assessment's name to confirm")
        prompt.setBuddy(self.edit)
        buttons = QDialogButtonBox(self)
        self.delete_button = buttons.addButton(
            "Delete", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.delete_button.setObjectName("confirmDeleteButton")
        self.delete_button.setAccessibleName("Delete the assessment")
        self.delete_button.setEnabled(False)
        self.delete_button.setAutoDefault(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelDeleteButton")
        # Enter deletes only once the name is typed (it is the confirmation); it never
        # cancels what the user is typing. Escape cancels.
        cancel.setAutoDefault(False)
        self.edit.returnPressed.connect(self._enter)
        self.delete_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(lambda t: self.delete_button.setEnabled(t == name))
        column = QVBoxLayout(self)
        head = QVBoxLayout()
        head.addWidget(why)
        head.addWidget(self.message)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(head, 1)
        column.addLayout(top)
        column.addWidget(prompt)
        column.addWidget(self.edit)
        column.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _enter(self) -> None:
        if self.delete_button.isEnabled():
            self.accept()

    def text(self) -> str:
        """Everything the dialog says (as a message box's ``text()``)."""
        return f"{self.plan.assessment.name} {self.plan.why_confirm}.\n\n{self.message.text()}"

    def typed_name(self) -> str:
        return self.edit.text()
