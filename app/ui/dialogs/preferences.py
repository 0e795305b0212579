"""Preferences: the name recorded in the change history, the colour scheme and the text size
(UI preferences kept in QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.context import default_actor
from app.ui.appearance import (
    SCHEME_KEY,
    SCHEMES,
    TEXT_SIZE_KEY,
    TEXT_SIZES,
    Appearance,
    saved_scheme,
    saved_text_size,
)
from app.ui.wheel_guard import guard_wheel

ACTOR_KEY = "preferences/actor"


def preferred_actor(settings: QSettings) -> str | None:
    """The name chosen in Preferences, if any."""
    value = settings.value(ACTOR_KEY, "")
    return value.strip() if isinstance(value, str) and value.strip() else None


def saved_actor(settings: QSettings) -> str:
    """The name chosen in Preferences, else $AIRMF_ACTOR or the OS user name."""
    return preferred_actor(settings) or default_actor()


class PreferencesDialog(QDialog):
    """Edit the name recorded in the change history, the colour scheme and the text size.

    A scheme or size chosen applies to the whole application at once (so it can be judged);
    OK keeps it for the next start, Cancel puts back what was in use.

    ``server_login``: in team mode, the database login the server records instead; the name is
    then shown read-only, with the reason, and accepting the dialog stores only the scheme and
    the text size.
    """

    def __init__(
        self, settings: QSettings, parent: QWidget | None = None, server_login: str | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.server_login = server_login
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.resize(560, 260)
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
        self.scheme_combo = QComboBox(self)
        guard_wheel(self.scheme_combo)
        self.scheme_combo.setObjectName("schemeCombo")
        self.scheme_combo.setAccessibleName("Colour scheme")
        for key, text in SCHEMES.items():
            self.scheme_combo.addItem(text, key)
        self.scheme_combo.setCurrentIndex(self.scheme_combo.findData(saved_scheme(settings)))
        self.size_combo = QComboBox(self)
        guard_wheel(self.size_combo)
        self.size_combo.setObjectName("textSizeCombo")
        self.size_combo.setAccessibleName("Text size")
        self.size_combo.setAccessibleDescription("Size of all text, in percent of the system's")
        for size in TEXT_SIZES:
            self.size_combo.addItem(f"{size}%" + (" (the system's)" if size == 100 else ""), size)
        self.size_combo.setCurrentIndex(self.size_combo.findData(saved_text_size(settings)))
        self._applied = (saved_scheme(settings), saved_text_size(settings))
        self.scheme_combo.currentIndexChanged.connect(self._preview)
        self.size_combo.currentIndexChanged.connect(self._preview)
        form = QFormLayout()
        form.addRow("&Your name:", self.actor)
        form.addRow("Colour &scheme:", self.scheme_combo)
        form.addRow("&Text size:", self.size_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen_appearance(self) -> tuple[str, int]:
        """The scheme key and text size (percent) now chosen in the dialog."""
        return str(self.scheme_combo.currentData()), int(self.size_combo.currentData())

    def _preview(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            Appearance.of(app).apply(*self.chosen_appearance())

    def reject(self) -> None:
        if self.chosen_appearance() != self._applied:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                Appearance.of(app).apply(*self._applied)
        super().reject()

    def accept(self) -> None:
        scheme, size = self.chosen_appearance()
        self.settings.setValue(SCHEME_KEY, scheme)
        self.settings.setValue(TEXT_SIZE_KEY, size)
        if self.server_login:
            self.settings.sync()
            super().accept()
            return
        name = " ".join(self.actor.text().split())
        if name:
            self.settings.setValue(ACTOR_KEY, name)
        else:
            self.settings.remove(ACTOR_KEY)
        self.settings.sync()
        super().accept()
