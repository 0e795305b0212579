"""Background work off the UI thread, with results delivered back on it (never touching widgets
from a worker). Writes go through one serial queue so that saves land in the order they were made.

The one helper for every operation the window runs off its thread (anki's CollectionOp/QueryOp
is the model): success and failure callbacks, a default error dialog, optional progress and
cancel (``Job``), one write queue, and ``after_writes`` for work that must see every save made
so far.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from app.services.errors import ServiceError

log = logging.getLogger(__name__)

Callback = Callable[[Any], None] | None
Progress = Callable[[int, int, str], None]  # done, total, message (on the UI thread)


class Cancelled(Exception):
    """Raised in a worker by ``Job.check()`` once the user cancelled; not an error to show."""


class _Relay(QObject):
    """Lives on the UI thread; its queued signals carry each outcome and progress back to it."""

    finished = Signal(int, bool, object)  # ticket, succeeded, result (or the exception)
    progressed = Signal(int, int, int, str)  # ticket, done, total, message


class Job:
    """A running operation as its worker function sees it (``Background.run_job``): report
    progress from the worker thread, and check whether the user cancelled.

    ``report`` and ``check`` are safe on any thread; ``cancel`` is called on the UI thread
    (a dialog's Cancel button).
    """

    def __init__(self, ticket: int, relay: _Relay) -> None:
        self._ticket = ticket
        self._relay = relay
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the worker to stop at its next ``check()``; its failure callback then gets
        ``Cancelled`` (no error dialog is shown for it)."""
        self._cancel.set()

    def check(self) -> None:
        """Raise ``Cancelled`` if the user cancelled (call between steps of long work)."""
        if self._cancel.is_set():
            raise Cancelled("cancelled")

    def report(self, done: int, total: int, message: str = "") -> None:
        """Progress: ``done`` of ``total`` steps (``total`` 0: unknown), shown on the UI thread."""
        self._relay.progressed.emit(self._ticket, done, total, message)


class Background(QObject):
    """Runs callables on worker threads.

    ``run`` uses a shared pool for reads and slow jobs (imports, exports, hashing); ``write``
    uses a single-thread queue so that autosaves keep their order. One relay object, created
    with the Background, brings every outcome back (a save is on the critical path of each
    click: no per-task QObject, connection or QRunnable subclass to build).

    Failures: ``on_failure`` gets the exception. Without one, a user-facing error
    (``ServiceError``) is shown in an error dialog over ``parent`` (when it is a widget) titled
    ``error_title``; anything else is a bug and is logged with its traceback. ``Cancelled`` is
    never shown.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)  # queued: emitted from worker threads
        self._relay.progressed.connect(self._progressed)
        self._callbacks: dict[int, tuple[Callback, Callback, str | None]] = {}
        self._progress: dict[int, Progress] = {}
        self._pending: dict[int, tuple[QThreadPool, Callable[[], None]]] = {}
        self._tickets = itertools.count(1)

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        *,
        error_title: str | None = None,
    ) -> None:
        """Run ``fn`` on the shared pool (reads, slow jobs); callbacks run on the UI thread."""
        self._submit(self._pool, lambda _ticket: fn(), on_success, on_failure, error_title)

    def write(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        *,
        error_title: str | None = None,
    ) -> None:
        """Run ``fn`` on the one write queue, after every write queued before it."""
        self._submit(self._writes, lambda _ticket: fn(), on_success, on_failure, error_title)

    def after_writes(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on the UI thread once every write queued so far has finished
        (a view re-read after pending saves shows what was just written). Nothing is written."""
        self._submit(self._writes, lambda _ticket: None, lambda _none: callback(), None, None)

    def run_job(
        self,
        fn: Callable[[Job], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        *,
        on_progress: Progress | None = None,
        write: bool = False,
        error_title: str | None = None,
    ) -> Job:
        """Run ``fn(job)`` with progress and cancel: ``job.report(done, total, message)``
        reaches ``on_progress`` on the UI thread, ``job.check()`` raises ``Cancelled`` once
        ``job.cancel()`` was called. ``write``: on the write queue (it changes stored data).
        Returns the job, whose ``cancel`` a dialog's Cancel button calls."""
        holder: list[Job] = []

        def task(_ticket: int) -> Any:
            return fn(holder[0])

        ticket = self._submit(
            self._writes if write else self._pool,
            task,
            on_success,
            on_failure,
            error_title,
            start=False,
        )
        job = Job(ticket, self._relay)
        holder.append(job)
        if on_progress is not None:
            self._progress[ticket] = on_progress
        self._start(ticket)
        return job

    def _submit(
        self,
        pool: QThreadPool,
        fn: Callable[[int], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[Exception], None] | None,
        error_title: str | None,
        *,
        start: bool = True,
    ) -> int:
        ticket = next(self._tickets)
        self._callbacks[ticket] = (on_success, on_failure, error_title)  # UI thread only
        relay = self._relay

        def task() -> None:
            try:
                result = fn(ticket)
            except Exception as exc:  # delivered to on_failure; bugs are logged with a traceback
                log.debug("background task failed: %s", traceback.format_exc())
                relay.finished.emit(ticket, False, exc)
                return
            relay.finished.emit(ticket, True, result)

        self._pending[ticket] = (pool, task)
        if start:
            self._start(ticket)
        return ticket

    def _start(self, ticket: int) -> None:
        pool, task = self._pending.pop(ticket)
        pool.start(task)

    def _progressed(self, ticket: int, done: int, total: int, message: str) -> None:
        callback = self._progress.get(ticket)
        if callback is not None:
            callback(done, total, message)

    def _deliver(self, ticket: int, succeeded: bool, result: Any) -> None:
        on_success, on_failure, title = self._callbacks.pop(ticket, (None, None, None))
        self._progress.pop(ticket, None)
        if succeeded:
            if on_success is not None:
                on_success(result)
        elif on_failure is not None:
            on_failure(result)
        else:
            self.default_failure(result, title)

    def default_failure(self, exc: Exception, title: str | None = None) -> None:
        """What a failure with no ``on_failure`` does: nothing for ``Cancelled``, an error
        dialog for a user-facing ``ServiceError`` (over the parent window), a logged error
        (a bug) otherwise."""
        if isinstance(exc, Cancelled):
            return
        parent = self.parent()
        if isinstance(exc, ServiceError) and isinstance(parent, QWidget) and isValid(parent):
            from app.ui.dialogs.messages import show_error

            show_error(parent, title or "The operation failed", str(exc))
            return
        log.error("background task failed: %s", exc)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work is done (used at close and in tests)."""
        return self._writes.waitForDone(msecs) and self._pool.waitForDone(msecs)


class LatestLoad:
    """One view's background loads: only the newest one delivers its result, and nothing is
    delivered once the view is gone (a view reloaded or closed while a load was running)."""

    def __init__(self, owner: QObject, background: Background) -> None:
        self._owner = owner
        self._background = background
        self._generation = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        self._generation += 1
        generation = self._generation

        def current() -> bool:
            return generation == self._generation and isValid(self._owner)

        self._background.run(
            fn,
            lambda result: on_success(result) if current() else None,
            lambda exc: on_failure(exc) if current() else None,
        )

    def cancel(self) -> None:
        """Nothing started so far delivers its result (the view moved on)."""
        self._generation += 1
