"""The suite's own rules hold: a Qt warning, or an exception raised in a slot, fails the test
that caused it (run in a separate pytest on the project's configuration)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBES = """
from PySide6.QtCore import QObject, Signal, qWarning


class Emitter(QObject):
    fired = Signal()


def test_a_qt_warning(qtbot):
    qWarning("something Qt warns about")


def test_an_exception_in_a_slot(qtbot):
    emitter = Emitter()

    def slot():
        raise RuntimeError("a bug in a slot")

    emitter.fired.connect(slot)
    emitter.fired.emit()


def test_the_offscreen_plugin_notice_is_ignored(qtbot):
    qWarning("This plugin does not support propagateSizeHints()")
"""


@pytest.mark.gui
@pytest.mark.slow
def test_warnings_and_slot_exceptions_fail_their_test(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBES, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "-q",
            str(probe),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    out = result.stdout
    assert "FAILED test_probe.py::test_a_qt_warning" in out, out
    assert "FAILED test_probe.py::test_an_exception_in_a_slot" in out, out
    assert "2 failed, 1 passed" in out, out
