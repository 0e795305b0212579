"""Preferences: the name recorded in the change history (a UI preference kept in QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.context import default_actor

ACTOR_KEY = "preferences/actor"


def preferred_actor(settings: QSettings) -> str | None:
    """The name chosen in Preferences, if any."""
    value = settings.value(ACTOR_KEY, "")
    return value.strip() if isinstance(value, str) and value.strip() else None


def saved_actor(settings: QSettings) -> str:
    """The name chosen in Preferences, else $AIRMF_ACTOR or the OS user name."""
    return preferred_actor(settings) or default_actor()


class PreferencesDialog(QDialog):
    """Edit the name recorded in the change history.

    ``server_login``: in team mode, the database login the server records instead; the name is
    then shown read-only, with the reason, and accepting the dialog stores nothing.
    """

    def __init__(
        self, settings: QSettings, parent: QWidget | None = None, server_login: str | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.server_login = server_login
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.resize(520, 200)
        if server_login:
            text = (
                "In team mode the shared database records every change you make under your "
                f"database login (“{server_login}”), so that the history says who changed "
                "what as the server knows them. It cannot be changed here."
            )
        else:
            text = (
                "Your name is recorded with every change you make, in the tamper-evident "
                "change history that auditors read. Leave it empty to use your user name "
                f"(“{default_actor()}”)."
            )
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        self.actor = QLineEdit(self)
        self.actor.setObjectName("actorEdit")
        self.actor.setAccessibleName("Your name in the change history")
        self.actor.setMaxLength(200)
        current = settings.value(ACTOR_KEY, "")
        self.actor.setText(current if isinstance(current, str) else "")
        self.actor.setPlaceholderText(default_actor())
        if server_login:
            self.actor.setText(server_login)
            self.actor.setReadOnly(True)
        form = QFormLayout()
        form.addRow("&Your name:", self.actor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.server_login:
            super().accept()
            return
        name = " ".join(self.actor.text().split())
        if name:
            self.settings.setValue(ACTOR_KEY, name)
        else:
            self.settings.remove(ACTOR_KEY)
        self.settings.sync()
        super().accept()
