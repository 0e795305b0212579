"""Check boxes in item views (lists of suggested actions, GenAI risks, evidence to link) drawn
with an outline that can be seen: 3:1 against the list's background (WCAG 2.2 SC 1.4.11,
non-text contrast of a control's boundary).

Qt's Fusion style outlines an item's check box with the window colour made 40% darker
(qfusionstyle.cpp, ``QFusionStylePrivate::outline``); in the dark scheme that is #272727 on a
#242424 list, and an unticked box is not seen at all (in the light scheme about 1.9:1). The
delegate gives the item's style option a window colour whose outline has the contrast; only
the item is drawn with it, so the list's frame and scroll bars keep the palette's colours.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.style import contrast_ratio, mix

# The outline is computed for this ratio; the anti-aliased pixels drawn then measure above 3:1
# in both schemes (tests/ui/test_readable_checks.py measures them).
OUTLINE_CONTRAST = 3.6
_FUSION_OUTLINE_DARKER = 140  # Fusion's outline: the window colour .darker(140)

Index = QModelIndex | QPersistentModelIndex


def outline_window(palette: QPalette) -> QColor:
    """A window colour for ``palette`` whose Fusion outline (``darker(140)``) has
    OUTLINE_CONTRAST against the palette's Base: the Window colour moved towards the Text
    colour until it has (the Window colour itself when it has already)."""
    role = QPalette.ColorRole
    base, text, window = (
        palette.color(role.Base),
        palette.color(role.Text),
        palette.color(role.Window),
    )
    for step in range(21):
        candidate = mix(window, text, step / 20)
        if contrast_ratio(candidate.darker(_FUSION_OUTLINE_DARKER), base) >= OUTLINE_CONTRAST:
            return candidate
    return text


class ReadableCheckDelegate(QStyledItemDelegate):
    """The default item delegate, drawing an item's check box with a visible outline."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        palette = QPalette(option.palette)  # type: ignore[attr-defined]
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setCurrentColorGroup(group)
            palette.setColor(group, QPalette.ColorRole.Window, outline_window(palette))
        option.palette = palette  # type: ignore[attr-defined]


def check_box_palette(palette: QPalette) -> QPalette:
    """``palette`` for the application's QCheckBox widgets: the same outline rule as the
    lists' (Fusion fills a box with Base and outlines it with Window.darker(140), so an unticked
    box on a dark window is #242424 outlined #242424 on #323232, about 1.3:1). A check box
    paints no background of its own (autoFillBackground is off), so its Window role changes
    the box's outline only; the outline then has OUTLINE_CONTRAST against the box's fill and
    against the window around it (the drawn pixels: at least 3:1, WCAG 2.2 SC 1.4.11)."""
    adjusted = QPalette(palette)
    role = QPalette.ColorRole
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        adjusted.setCurrentColorGroup(group)
        window, text = adjusted.color(role.Window), adjusted.color(role.Text)
        chosen = outline_window(adjusted)
        for step in range(21):
            candidate = mix(chosen, text, step / 20)
            # Fusion draws a lone box's outline a little lighter still (``lighter(110)``):
            # the same margin as the lists' keeps the drawn pixels above 3:1.
            if contrast_ratio(candidate.darker(_FUSION_OUTLINE_DARKER), window) >= OUTLINE_CONTRAST:
                chosen = candidate
                break
        adjusted.setColor(group, role.Window, chosen)
    return adjusted


def readable_checks(view: QAbstractItemView) -> None:
    """Draw the check boxes of ``view``'s items with a visible outline (see the module)."""
    view.setItemDelegate(ReadableCheckDelegate(view))
