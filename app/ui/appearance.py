"""Colour scheme (light, dark or the system's) and text size, chosen in Edit > Preferences.

Kept in QSettings (``SCHEME_KEY``, ``TEXT_SIZE_KEY``), applied to the whole application at
start-up and at once when changed. Widgets that set their own colour or font from the palette
or font of the moment (``style.muted``, ``style.error_label``, ``style.scaled_font``) are marked
there and recomputed here, so that they follow a change too.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.style import readable_palette, restyle

SCHEME_KEY = "appearance/scheme"
TEXT_SIZE_KEY = "appearance/text_size"
SCHEMES = {"system": "Same as the system", "light": "Light", "dark": "Dark"}
# Percent of the system's text size; WCAG 2.2 SC 1.4.4 asks that text can be resized to 200%.
TEXT_SIZES = (100, 115, 130, 150, 175, 200)


def saved_scheme(settings: QSettings) -> str:
    """ "system", "light" or "dark" ("system" for a missing or unknown value)."""
    value = settings.value(SCHEME_KEY, "system")
    return value if isinstance(value, str) and value in SCHEMES else "system"


def saved_text_size(settings: QSettings) -> int:
    """One of TEXT_SIZES, in percent (100 for a missing or unknown value)."""
    try:
        value = int(settings.value(TEXT_SIZE_KEY, 100))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 100
    return value if value in TEXT_SIZES else 100


def qt_fusion_palette(dark: bool) -> QPalette:
    """The palette Qt's Fusion style uses for the light or the dark scheme (qtbase
    src/gui/kernel/qplatformtheme.cpp, qt_fusionPalette), disabled colours included."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    window_text = QColor(240, 240, 240) if dark else QColor(0, 0, 0)
    background = QColor(50, 50, 50) if dark else QColor(239, 239, 239)
    base = background.darker(140) if dark else QColor(255, 255, 255)
    pal = QPalette(
        window_text,
        background,
        background.lighter(150),
        background.darker(150),
        background.darker(130),
        window_text,
        base,
    )
    pal.setColor(role.Button, background)
    pal.setColor(role.Highlight, QColor(48, 140, 198))
    pal.setColor(role.HighlightedText, window_text if dark else QColor(255, 255, 255))
    disabled_text = QColor(130, 130, 130) if dark else QColor(190, 190, 190)
    for text_role in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(group.Disabled, text_role, disabled_text)
    pal.setColor(group.Disabled, role.Base, background)
    return pal


def fusion_palette(dark: bool) -> QPalette:
    """The app's light or dark scheme: Qt's Fusion palette (so an explicit choice looks the
    same on every platform) with opaque secondary-text, link, tooltip and alternate-row
    colours that keep their contrast (4.5:1 for text, WCAG 2.2 SC 1.4.3)."""
    role = QPalette.ColorRole
    pal = qt_fusion_palette(dark)
    background = pal.color(role.Window)
    window_text = pal.color(role.WindowText)
    pal.setColor(role.AlternateBase, background.darker(110) if dark else QColor(247, 247, 247))
    pal.setColor(role.ToolTipBase, QColor(255, 255, 220) if not dark else background.lighter(130))
    pal.setColor(role.ToolTipText, QColor(0, 0, 0) if not dark else window_text)
    pal.setColor(role.PlaceholderText, QColor(200, 200, 200) if dark else QColor(95, 95, 95))
    pal.setColor(role.Link, QColor(110, 180, 255) if dark else QColor(0, 80, 190))
    return pal


class Appearance(QObject):
    """Holds the system's own style and font (read once, at the first use) so that "Same as
    the system" and 100% can be gone back to. One per application: use ``of(app)``."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("airmfAppearance")
        self.app = app
        self.system_style = app.style().name()
        self.system_font = QFont(app.font())
        self.scheme = "system"
        self.text_size = 100

    @staticmethod
    def of(app: QApplication) -> Appearance:
        found = app.findChild(Appearance, "airmfAppearance")
        return found if found is not None else Appearance(app)

    def apply(self, scheme: str, text_size: int) -> None:
        """Use ``scheme`` ("system", "light", "dark") and ``text_size`` (percent) everywhere.
        Unknown values fall back to "system" and 100."""
        scheme = scheme if scheme in SCHEMES else "system"
        text_size = text_size if text_size in TEXT_SIZES else 100
        hints = self.app.styleHints()
        if scheme == "system":
            hints.unsetColorScheme()
            if self.app.style().name() != self.system_style:
                self.app.setStyle(self.system_style)
            # An empty palette puts back the platform's own, as it is now (the system may have
            # switched between light and dark since the start).
            self.app.setPalette(QPalette())
            palette = self.app.palette()
        else:
            dark = scheme == "dark"
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
            if self.app.style().name().lower() != "fusion":
                self.app.setStyle("Fusion")  # honours the palette on every platform
            palette = fusion_palette(dark)
        readable = readable_palette(palette)
        self.app.setPalette(readable)
        checks = readable
        if self.app.style().name().lower() == "fusion":  # the outline rule is Fusion's
            from app.ui.readable_checks import check_box_palette

            checks = check_box_palette(readable)
        self.app.setPalette(checks, "QCheckBox")  # replaces the previous scheme's
        font = QFont(self.system_font)
        size = self.system_font.pointSizeF()
        if size > 0:
            font.setPointSizeF(size * text_size / 100)
        else:
            font.setPixelSize(max(1, round(self.system_font.pixelSize() * text_size / 100)))
        self.app.setFont(font)
        self.scheme, self.text_size = scheme, text_size
        for widget in self.app.allWidgets():
            if isinstance(widget, QWidget):
                restyle(widget)


def apply_saved(settings: QSettings, app: QApplication | None = None) -> Appearance:
    """Apply the scheme and text size kept in ``settings`` (at start-up, after a change)."""
    application = app or QApplication.instance()
    assert isinstance(application, QApplication)
    appearance = Appearance.of(application)
    appearance.apply(saved_scheme(settings), saved_text_size(settings))
    return appearance
