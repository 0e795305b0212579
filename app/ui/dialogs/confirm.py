"""Confirmation boxes that say exactly what an action will lose."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def delete_message(name: str, answers: int, history: int) -> str:
    a = "1 answer" if answers == 1 else f"{answers} answers"
    h = "1 history entry" if history == 1 else f"{history} history entries"
    return (
        f"Delete the assessment “{name}”?\n\n"
        f"This permanently removes its {a} (ratings, notes, evidence links, owners and due "
        f"dates) and its change history ({h}). Files in the evidence store are kept. "
        "This cannot be undone; export it first if you may need it again."
    )


def confirm_delete_box(parent: QWidget, name: str, answers: int, history: int) -> QMessageBox:
    """A window-modal box (not yet shown): Delete is destructive, Cancel is the default."""
    box = QMessageBox(parent)
    box.setObjectName("confirmDeleteBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Delete assessment")
    box.setText(delete_message(name, answers, history))
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    delete.setObjectName("confirmDeleteButton")
    delete.setAccessibleName("Delete the assessment")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("cancelDeleteButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box
