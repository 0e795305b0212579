"""Background work: the writer queue keeps order; a view's loads deliver only the newest."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.errors import InvalidInput
from app.ui.workers import Background, Cancelled, Job, LatestLoad

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


def test_after_writes_runs_once_every_queued_write_is_done(qtbot) -> None:  # type: ignore[no-untyped-def]
    background = Background()
    gate = threading.Event()
    order: list[str] = []
    background.write(lambda: gate.wait(5) and "saved", lambda _r: order.append("write"))
    background.after_writes(lambda: order.append("after"))
    gate.set()
    qtbot.waitUntil(lambda: len(order) == 2)
    assert order == ["write", "after"]


def test_a_job_reports_progress_and_stops_when_cancelled(qtbot) -> None:  # type: ignore[no-untyped-def]
    background = Background()
    started, go_on = threading.Event(), threading.Event()
    seen: list[tuple[int, int, str]] = []
    failures: list[Exception] = []

    def work(job: Job) -> str:
        job.report(1, 3, "first")
        started.set()
        go_on.wait(5)
        job.check()  # raises: cancelled meanwhile
        return "finished anyway"

    job = background.run_job(
        work,
        lambda _r: failures.append(AssertionError("succeeded")),
        failures.append,
        on_progress=lambda d, t, m: seen.append((d, t, m)),
    )
    assert started.wait(5)
    job.cancel()
    go_on.set()
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], Cancelled)
    assert seen == [(1, 3, "first")]


def test_a_user_facing_failure_without_handler_shows_one_error_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    background = Background(parent)

    def refuse() -> None:
        raise InvalidInput("the name is empty")

    background.write(refuse, error_title="Not saved")
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "errorBox") is not None)
    box = parent.findChild(QMessageBox, "errorBox")
    assert box.windowTitle() == "Not saved"
    assert box.informativeText() == "The name is empty"
    box.close()


def test_a_cancelled_job_without_handler_shows_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    background = Background(parent)
    done: list[bool] = []

    def work(job: Job) -> None:
        job.cancel()
        job.check()

    background.run_job(work)
    background.after_writes(lambda: done.append(True))
    background.wait()
    qtbot.waitUntil(lambda: bool(done))
    qtbot.wait(20)
    assert parent.findChild(QMessageBox) is None
