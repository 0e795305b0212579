"""Background work: the writer queue keeps order; a view's loads deliver only the newest."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject

from app.ui.workers import Background, LatestLoad

pytestmark = pytest.mark.gui


def test_writes_run_in_order_off_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    background = Background()
    ui = threading.get_ident()
    ran: list[tuple[int, bool]] = []
    delivered: list[int] = []
    for i in range(20):
        background.write(
            lambda i=i: ran.append((i, threading.get_ident() != ui)) or i,
            delivered.append,
        )
    qtbot.waitUntil(lambda: len(delivered) == 20)
    assert delivered == list(range(20))
    assert ran == [(i, True) for i in range(20)]


def test_a_failure_reaches_on_failure(qtbot) -> None:  # type: ignore[no-untyped-def]
    background = Background()
    failures: list[Exception] = []

    def boom() -> None:
        raise ValueError("disk on fire")

    background.run(boom, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert str(failures[0]) == "disk on fire"


def test_only_the_newest_load_delivers_and_cancel_drops_all(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    background = Background()
    loads = LatestLoad(owner, background)
    gate = threading.Event()
    got: list[str] = []
    loads.run(lambda: gate.wait(5) and "old", got.append, lambda e: got.append(f"error {e}"))
    loads.run(lambda: "new", got.append, lambda e: got.append(f"error {e}"))
    gate.set()
    background.wait()
    qtbot.waitUntil(lambda: got == ["new"])
    qtbot.wait(50)  # the old one, finished later, was not delivered either
    assert got == ["new"]

    loads.run(lambda: "dropped", got.append, lambda e: got.append(f"error {e}"))
    loads.cancel()
    background.wait()
    qtbot.wait(50)
    assert got == ["new"]
