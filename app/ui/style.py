"""Shared look: level colours (readable in grayscale, colour-blind safe) and text helpers."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

# ColorBrewer YlGnBu (sequential, colour-blind safe); the level number is always printed too.
# Level 4 is a shade darker than YlGnBu's #2c7fb8 (4.34:1 with white) so that the white level
# number on it has the 4.5:1 of WCAG 2.2 SC 1.4.3 (4.58:1; tests/ui/shell/test_text_contrast.py).
LEVEL_COLORS: dict[int, str] = {
    1: "#ffffcc",
    2: "#a1dab4",
    3: "#41b6c4",
    4: "#2b7bb3",
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


# Contrast of the disabled text colour against the disabled base. Styles draw the mark of a
# checked radio button, check box or list item in that colour (Fusion: darkened and partly
# transparent), so a read-only assessment's ratings need more than the 2:1 Qt's palettes give
# to stay visible (WCAG 2.1 SC 1.4.11 asks 3:1 of the mark; measured in the tests).
DISABLED_TEXT_CONTRAST = 7.0


def relative_luminance(color: QColor) -> float:
    """WCAG 2.x relative luminance of an opaque colour, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2.x contrast ratio of two opaque colours, 1.0 (same) to 21.0 (black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """The colour ``t`` of the way from ``a`` to ``b`` (0 <= t <= 1), per RGB channel."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def readable_palette(palette: QPalette) -> QPalette:
    """``palette`` with a disabled text colour that keeps checked states visible.

    The disabled Text colour is moved towards the active one until it has
    DISABLED_TEXT_CONTRAST against the disabled Base (unchanged when it already has). Labels
    (WindowText, ButtonText) keep their dimmed look. Works for light and dark palettes alike.
    """
    disabled = QPalette.ColorGroup.Disabled
    role = QPalette.ColorRole.Text
    background = palette.color(disabled, QPalette.ColorRole.Base)
    start = palette.color(disabled, role)
    goal = palette.color(QPalette.ColorGroup.Active, role)
    result = QPalette(palette)
    for step in range(11):
        candidate = mix(start, goal, step / 10)
        if contrast_ratio(candidate, background) >= DISABLED_TEXT_CONTRAST:
            break
    else:  # even the active colour falls short: go to black or white, whichever reads
        candidate = contrast_text(background)
    result.setColor(disabled, role, candidate)
    return result


def hatch_color(palette: QPalette | None = None) -> QColor:
    """Lines of the "not applicable" hatching: between the base and the text colour, so they
    show on light and dark bases alike (the palette's Mid nearly equals a dark Base)."""
    pal = palette or QApplication.palette()
    return mix(pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), 0.45)


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


# Dynamic properties that mark a widget whose colour or font is derived from the palette or font
# of the moment, so that ``restyle`` can derive it again when the scheme or text size changes.
_FONT_FACTOR, _FONT_BOLD, _COLOUR = "airmfFontFactor", "airmfFontBold", "airmfColour"


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    """``factor`` times the size of the application's font (bold if asked). The widget is
    marked so that ``restyle`` scales it again after a change of text size."""
    widget.setProperty(_FONT_FACTOR, factor)
    widget.setProperty(_FONT_BOLD, bold)
    # From the application's font, not the widget's (which may be an earlier scaled one, and
    # follows a change of the application's font only later, through posted events).
    font = QFont(QApplication.font(widget))
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
    label.setProperty(_COLOUR, "muted")
    _colour(label, QApplication.palette())
    return label


def error_color(palette: QPalette | None = None) -> QColor:
    """Red that keeps contrast on light and dark windows (messages also say what is wrong)."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b00020")


def error_label(parent: QWidget | None = None, object_name: str = "") -> QLabel:
    """A hidden message line shown next to a field when its value is refused."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setProperty(_COLOUR, "error")
    _colour(label, QApplication.palette())
    label.setVisible(False)
    return label


# WCAG 2.2 SC 1.4.3: text, secondary text included, has 4.5:1 against its background.
TEXT_CONTRAST = 4.5


def muted_color(palette: QPalette) -> QColor:
    """Secondary text: the palette's placeholder colour (composited over the window colour, as
    Qt draws its partly transparent default), moved towards the normal text colour until it
    has TEXT_CONTRAST against the window (Qt's default placeholder has about 4:1)."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    start = mix(window, placeholder, placeholder.alphaF())
    for step in range(11):
        candidate = mix(start, text, step / 10)
        if contrast_ratio(candidate, window) >= TEXT_CONTRAST + 0.1:  # margin for rounding
            return candidate
    return text


def _colour(widget: QWidget, palette: QPalette) -> None:
    kind = widget.property(_COLOUR)
    if kind not in ("muted", "error"):
        return
    pal = QPalette(widget.palette())
    colour = muted_color(palette) if kind == "muted" else error_color(palette)
    pal.setColor(QPalette.ColorRole.WindowText, colour)
    widget.setPalette(pal)


def restyle(widget: QWidget) -> None:
    """Derive again the colour (``muted``, ``error_label``) and font size (``scaled_font``) of
    ``widget`` from the application's current palette and font; nothing for other widgets."""
    _colour(widget, QApplication.palette())
    factor = widget.property(_FONT_FACTOR)
    if isinstance(factor, float | int):
        widget.setFont(scaled_font(widget, float(factor), bool(widget.property(_FONT_BOLD))))
