"""A value widget changes on the mouse wheel only when the user focused it on purpose.

Qt's combo boxes, spin boxes, date edits and sliders take focus from a wheel turn (their default
focus policy is ``WheelFocus``) and change their value with it: scrolling a form over them
silently edits, and saves, whatever passes under the pointer. ``guard_wheel`` gives such a
widget ``StrongFocus`` (Tab or a click) and ignores wheel events while it has no focus, so the
event goes on to the parent and the page scrolls instead. DESIGN.md, "Background operations
in the window"; issue 11 section 1.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QDial, QSlider, QWidget

# Kinds of widget whose value a wheel turn changes (QDateEdit and QDateTimeEdit are spin boxes;
# a scroll bar is meant to scroll).
WHEEL_VALUE_WIDGETS: tuple[type[QWidget], ...] = (QComboBox, QAbstractSpinBox, QSlider, QDial)
GUARD_PROPERTY = "wheelGuarded"


class _WheelGuard(QObject):
    """Event filter: passes an unfocused widget's wheel events on to its parent."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            # Ignored and filtered: the widget never sees it, and Qt offers it to the parent
            # (the scroll area) as if the widget were not there.
            event.ignore()
            return True
        return False


def guard_wheel(*widgets: QWidget) -> None:
    """Protect value widgets (combo, spin, date, slider) from unintended wheel edits.

    Each widget gets ``Qt.StrongFocus`` (focus by Tab or click, never by the wheel) and an event
    filter, owned by the widget, that ignores wheel events while the widget is not focused.
    The widget's ``wheelGuarded`` property is set, which the tests check across every window.
    Calling it twice on a widget is harmless.
    """
    for widget in widgets:
        if widget.property(GUARD_PROPERTY):
            continue
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_WheelGuard(widget))
        widget.setProperty(GUARD_PROPERTY, True)


def is_guarded(widget: QWidget) -> bool:
    """Whether ``guard_wheel`` protects this widget."""
    return bool(widget.property(GUARD_PROPERTY))


def unguarded(root: QWidget) -> list[QWidget]:
    """The wheel-value widgets under ``root`` (itself included) that lack the guard.

    Widgets that are internal parts of another widget's popup (a calendar's month spin box,
    a combo box's view) are Qt's own and focused while in use; they are left out.
    """
    found = [root, *root.findChildren(QWidget)]
    return [
        w
        for w in found
        if isinstance(w, WHEEL_VALUE_WIDGETS) and not is_guarded(w) and not _qt_internal(w)
    ]


def _qt_internal(widget: QWidget) -> bool:
    # Qt names the parts it builds itself "qt_..." (e.g. the calendar's "qt_calendar_yearedit").
    name = widget.objectName()
    return name.startswith("qt_")
