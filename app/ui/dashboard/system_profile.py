"""The dashboard's compact AI-system profile panel: the profile kept across cycles on one or two
lines, with a button to edit it (or guidance when it is empty)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.domain.system_profile import PROFILE_FIELDS, SystemProfile
from app.ui.style import muted

EMPTY_TEXT = (
    "No AI-system profile yet: record the system's risk tier, lifecycle stage, intended use, "
    "model, data and the people it affects with Edit details… (kept across cycles)."
)


VALUE_LIMIT = 90  # characters of one value on the panel (a long intended use is shortened)


def profile_summary(profile: SystemProfile, limit: int | None = None) -> str:
    """The profile's filled-in fields as "Label: value" joined by " · " ("" when empty); with
    ``limit``, a longer value is cut to ``limit`` characters ending in "…"."""
    parts = []
    for name, label in PROFILE_FIELDS:
        text = " ".join(profile.field_text(name).split())
        if limit is not None and len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        if text:
            parts.append(f"{label}: {text}")
    return " · ".join(parts)


class SystemProfilePanel(QFrame):
    """Shows a ``SystemProfile``; ``edit_requested`` when the user asks to edit it (the button
    is disabled for a finalized, read-only assessment)."""

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("systemProfilePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("AI-system profile")
        title = QLabel("<b>AI system</b>", self)
        title.setObjectName("systemProfileTitle")
        self.text = QLabel(self)
        self.text.setObjectName("systemProfileText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = muted(QLabel(EMPTY_TEXT, self))
        self.empty.setObjectName("systemProfileEmpty")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.edit_button = QPushButton("Edit detai&ls…", self)
        self.edit_button.setObjectName("systemProfileEditButton")
        self.edit_button.setAccessibleName("Edit the assessment details and AI-system profile")
        self.edit_button.clicked.connect(self.edit_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(title, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        row.addWidget(self.empty, 1)
        row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)

    def set_profile(self, profile: SystemProfile, editable: bool) -> None:
        """Show ``profile`` (or the guidance when it is empty); ``editable``: the assessment
        is a draft."""
        summary = profile_summary(profile, VALUE_LIMIT)
        self.text.setText(summary)
        self.text.setAccessibleName(summary)
        self.text.setToolTip(profile_summary(profile) if summary else "")
        self.text.setVisible(bool(summary))
        self.empty.setVisible(not summary)
        self.edit_button.setEnabled(editable)
        self.edit_button.setToolTip(
            "Change the assessment's details and the AI-system profile"
            if editable
            else "A finalized assessment is read-only; reopen it to edit its details"
        )
