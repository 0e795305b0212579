"""Shared look: level colours (readable in grayscale, colour-blind safe) and text helpers."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

# ColorBrewer YlGnBu (sequential, colour-blind safe); the level number is always printed too.
LEVEL_COLORS: dict[int, str] = {
    1: "#ffffcc",
    2: "#a1dab4",
    3: "#41b6c4",
    4: "#2c7fb8",
    5: "#253494",
}


def level_color(level: int | None) -> QColor | None:
    return None if level is None else QColor(LEVEL_COLORS[level])


def unanswered_color(palette: QPalette | None = None) -> QColor:
    """A neutral grey that works on light and dark windows."""
    pal = palette or QApplication.palette()
    return QColor(128, 128, 128, 90) if is_dark(pal) else QColor("#d9d9d9")


def contrast_text(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return QColor("#000000") if luminance > 0.5 else QColor("#ffffff")


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


def heading(text: str, factor: float = 1.5, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(scaled_font(label, factor, bold=True))
    label.setWordWrap(True)
    return label


def muted(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour, so it follows light and dark themes."""
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(pal)
    return label


def error_color(palette: QPalette | None = None) -> QColor:
    """Red that keeps contrast on light and dark windows (messages also say what is wrong)."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b00020")


def error_label(parent: QWidget | None = None, object_name: str = "") -> QLabel:
    """A hidden message line shown next to a field when its value is refused."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, error_color(pal))
    label.setPalette(pal)
    label.setVisible(False)
    return label
