"""A message strip across the top of a panel (read-only notice, save failures, integrity)."""

from __future__ import annotations

import html
import logging

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QWidget

from app.services.context import ServiceContext
from app.ui.workers import Background, LatestLoad

log = logging.getLogger(__name__)
INTEGRITY_SHOWN = 5  # problems listed in the banner


class Banner(QFrame):
    """Coloured from the palette (alternate base), so it reads in light and dark themes."""

    def __init__(self, object_name: str, warning: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"#{object_name} {{ background: palette(alternate-base); "
            "border: 1px solid palette(mid); border-radius: 4px; }"
        )
        self.icon = QLabel(self)
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxWarning
            if warning
            else QStyle.StandardPixmap.SP_MessageBoxInformation
        )
        self.icon.setPixmap(self.style().standardIcon(pixmap).pixmap(20, 20))
        self.label = QLabel(self)
        self.label.setObjectName(f"{object_name}Text")
        self.label.setWordWrap(True)
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(8, 6, 8, 6)
        self.layout_.addWidget(self.icon)
        self.layout_.addWidget(self.label, 1)
        self.setVisible(False)

    def add_button(self, text: str, object_name: str, tooltip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(object_name)
        button.setAccessibleName(text.replace("&", ""))
        if tooltip:
            button.setToolTip(tooltip)
        self.layout_.addWidget(button)
        return button

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()


class IntegrityBanner(Banner):
    """A warning shown while the open assessment fails its integrity check.

    ``check`` runs ``IntegrityService.verify`` (history, head, replay, evidence files,
    fingerprint) on the background pool; only the newest check of a still-open page shows.
    """

    def __init__(self, ctx: ServiceContext, background: Background, parent: QWidget | None = None):
        super().__init__("integrityBanner", warning=True, parent=parent)
        # A warning-coloured frame that reads on light and dark windows alike.
        self.setStyleSheet(
            "#integrityBanner { background: palette(alternate-base); "
            "border: 2px solid #d9622b; border-radius: 4px; }"
        )
        self._ctx = ctx
        self._load = LatestLoad(self, background)
        self.problems: list[str] = []

    def check(self, assessment_id: int) -> None:
        """Clear the banner and check the assessment again off the UI thread."""
        self.clear()
        ctx = self._ctx

        def work() -> list[str]:
            from app.services.integrity import IntegrityService  # no SQLAlchemy on SQLite

            return IntegrityService(ctx).verify(assessment_id).problems()

        self._load.run(work, self._show, lambda exc: log.warning("integrity check: %s", exc))

    def clear(self) -> None:
        self._load.cancel()
        self.problems = []
        self.show_text("")

    def _show(self, problems: list[str]) -> None:
        self.problems = problems
        if not problems:
            self.show_text("")
            return
        shown = "".join(f"<br>• {html.escape(p)}" for p in problems[:INTEGRITY_SHOWN])
        more = len(problems) - INTEGRITY_SHOWN
        tail = (
            f"<br>… and {more} more: run <i>airmf verify</i> for the full list" if more > 0 else ""
        )
        self.show_text(
            "<b>Integrity check failed:</b> this assessment's stored data was changed outside "
            f"the app. Do not rely on it until the cause is known.{shown}{tail}"
        )
