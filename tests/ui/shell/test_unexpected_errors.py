"""A bug in a slot is never silent: the window logs it (to a file) and says so in a dialog."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from app.ui.application import (
    UNEXPECTED_TITLE,
    install_exception_dialog,
    open_window,
    start_log_file,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def restore_hook():  # type: ignore[no-untyped-def]
    """Put back pytest-qt's own hook (it fails a test on an exception in a slot)."""
    saved = sys.excepthook
    yield
    sys.excepthook = saved


@pytest.fixture
def log_path(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "logs" / "airmf-gui.log"
    assert start_log_file(path) == path
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", "") == str(path)]:
        root.removeHandler(handler)
        handler.close()


@pytest.mark.logs_errors
def test_an_uncaught_exception_is_logged_and_shown(  # type: ignore[no-untyped-def]
    qtbot, make_window, restore_hook, log_path
):
    window = make_window(reopen_last=False)
    install_exception_dialog(window, log_path)
    try:
        raise ValueError("a bug in a slot")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
        sys.excepthook(type(exc), exc, exc.__traceback__)  # again: still one box
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    box = boxes[0]
    assert box.windowTitle() == UNEXPECTED_TITLE
    assert str(log_path) in box.informativeText()
    assert "ValueError: a bug in a slot" in box.informativeText()
    box.close()
    text = log_path.read_text(encoding="utf-8")
    assert "unexpected error" in text and "Traceback" in text and "a bug in a slot" in text


def test_the_window_is_opened_with_the_hook_installed(  # type: ignore[no-untyped-def]
    qtbot, ctx, restore_hook, log_path
):
    before = sys.excepthook
    window = open_window(ctx, log_path)
    qtbot.addWidget(window)
    assert sys.excepthook is not before
    assert sys.excepthook.__qualname__.startswith("install_exception_dialog")
    window.close()
    window.background.wait()  # type: ignore[attr-defined]


def test_a_log_file_that_cannot_be_written_is_not_fatal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder would be")
    assert start_log_file(blocker / "airmf-gui.log") is None
