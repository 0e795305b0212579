"""Menu actions declared as a table: one row per action (attribute, object name, text, tip,
shortcut, slot, menu role), built by one loop. The window's menus (``shell.menus``) and the
File menu's interchange entries (``interchange.actions``) are declared this way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.ui.home.page import make_action


@dataclass(frozen=True)
class ActionSpec:
    """One action. ``attr``: the attribute it is stored in on the owner; ``name``: its Qt
    object name (tests and accessibility find it by this); ``text`` with its mnemonic;
    ``tip``: tooltip and status tip (the shortcut is appended to the tooltip); ``slot``: the
    name of the method of the slot owner that ``triggered`` calls (None: connected elsewhere);
    ``role``: the macOS application-menu role."""

    attr: str
    name: str
    text: str
    tip: str
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
    slot: str | None = None
    role: QAction.MenuRole | None = None


def build_actions(
    owner: object, parent: QWidget, specs: Iterable[ActionSpec], slots: object
) -> list[QAction]:
    """Create each action of ``specs`` with ``parent`` as its parent, store it on ``owner``
    as ``spec.attr``, connect it to ``getattr(slots, spec.slot)``; return them in order.
    Raises AttributeError when a named slot does not exist (a typo is found at start-up)."""
    built = []
    for spec in specs:
        action = make_action(parent, spec.name, spec.text, spec.tip, spec.shortcut)
        if spec.role is not None:
            action.setMenuRole(spec.role)
        if spec.slot is not None:
            action.triggered.connect(getattr(slots, spec.slot))
        setattr(owner, spec.attr, action)
        built.append(action)
    return built
