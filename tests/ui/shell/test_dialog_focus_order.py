"""In every dialog, Tab follows the visual order: left to right within a row, top to bottom,
column after column (issue 17, WCAG 2.2 SC 2.4.3 Focus Order)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.shell.a11y_walk import focus_chain, out_of_reading_order
from tests.ui.shell.test_accessible_names import _dialogs

pytestmark = pytest.mark.gui


def test_every_dialog_tabs_in_reading_order(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    problems: dict[str, list[str]] = {}
    for dialog in _dialogs(ctx, tmp_path):
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()  # as the window manager does for a new dialog
        qtbot.waitUntil(lambda d=dialog: QApplication.activeWindow() is d)
        chain = focus_chain(QApplication.focusWidget() or dialog)
        # Start the walk at the top-left-most widget of the cycle, so the wrap is not a step.
        first = min(chain, key=lambda w: (w.mapTo(dialog, w.rect().topLeft()).y(), w.x()))
        chain = focus_chain(first)
        assert len(chain) >= 2, dialog.objectName()
        problems[dialog.objectName()] = out_of_reading_order(chain, dialog)
        dialog.close()
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_check_finds_a_tab_order_against_the_layout(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    root = QWidget()
    qtbot.addWidget(root)
    top, middle, bottom = (QLineEdit(root) for _ in range(3))
    for name, edit in (("top", top), ("middle", middle), ("bottom", bottom)):
        edit.setObjectName(name)
    layout = QVBoxLayout(root)
    for edit in (top, middle, bottom):
        layout.addWidget(edit)
    QWidget.setTabOrder(top, bottom)  # skips down, then back up: against the visual order
    QWidget.setTabOrder(bottom, middle)
    root.show()
    root.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is root)
    chain = focus_chain(top)
    assert [w.objectName() for w in chain] == ["top", "bottom", "middle"]
    wrong = out_of_reading_order(chain, root)
    assert len(wrong) == 1 and wrong[0].startswith("bottom")
