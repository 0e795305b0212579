"""How a change between two scores is shown: glyph, word and colour (never colour alone)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from app.domain.comparison import Change
from app.ui.style import is_dark

# Okabe-Ito bluish green and vermillion, darkened/lightened to keep text contrast on each theme.
_COLORS_LIGHT = {"up": "#00785a", "down": "#b34700"}
_COLORS_DARK = {"up": "#4fd1a5", "down": "#ff9b5e"}

GLYPHS: dict[Change, str] = {
    Change.IMPROVED: "▲",
    Change.REGRESSED: "▼",
    Change.SAME: "▶",
    Change.NEWLY_RATED: "●",
    Change.NO_LONGER_RATED: "○",
    Change.NOT_RATED: "◌",
}

EXPLANATIONS: dict[Change, str] = {
    Change.IMPROVED: "The score went up",
    Change.REGRESSED: "The score went down",
    Change.SAME: "The score did not change",
    Change.NEWLY_RATED: "Rated now, not rated before (was N/A or unanswered)",
    Change.NO_LONGER_RATED: "Rated before, not rated now (now N/A or unanswered)",
    Change.NOT_RATED: "Not rated in either assessment",
}


def change_text(change: Change) -> str:
    """'▲ improved', '▼ regressed', '▶ same', ..."""
    return f"{GLYPHS[change]} {change.value}"


def change_color(change: Change, palette: QPalette | None = None) -> QColor | None:
    """Foreground colour for improvements and regressions (None: the palette's text colour)."""
    colors = _COLORS_DARK if is_dark(palette) else _COLORS_LIGHT
    if change is Change.IMPROVED:
        return QColor(colors["up"])
    if change is Change.REGRESSED:
        return QColor(colors["down"])
    return None
