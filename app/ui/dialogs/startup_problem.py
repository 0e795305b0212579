"""Start-up problem box: the database cannot be used; open another, restore a backup, or quit."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class Choice(enum.Enum):
    OPEN_OTHER = "open"
    RESTORE = "restore"
    QUIT = "quit"


def startup_problem_box(message: str, parent: QWidget | None = None) -> QMessageBox:
    """The box (not shown): ``message`` names the file and the problem; the file is untouched."""
    box = QMessageBox(parent)
    box.setObjectName("startupProblemBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("AI RMF Assessor cannot open its database")
    box.setText("The database cannot be used.")
    box.setInformativeText(
        f"{message[:1].upper()}{message[1:]}\n\nThe file has not been changed. You can open "
        "another database, restore a backup, or quit."
    )
    for choice, label in (
        (Choice.OPEN_OTHER, "Open another database…"),
        (Choice.RESTORE, "Restore a backup…"),
    ):
        button = box.addButton(label, QMessageBox.ButtonRole.ActionRole)
        button.setObjectName(f"startup_{choice.value}")
        button.setProperty("choice", choice.value)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    quit_button.setObjectName("startup_quit")
    quit_button.setProperty("choice", Choice.QUIT.value)
    box.setEscapeButton(quit_button)
    return box


def ask_startup_problem(message: str) -> Choice:
    box = startup_problem_box(message)
    box.exec()
    clicked = box.clickedButton()
    value = clicked.property("choice") if clicked is not None else None
    return Choice(value) if value else Choice.QUIT


def ask_other_database(parent: QWidget | None = None) -> str | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Open another database (or name a new one)",
        "",
        "AI RMF Assessor databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return path or None
