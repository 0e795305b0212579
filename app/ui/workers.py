"""Background work off the UI thread, with results delivered back on it (never touching widgets
from a worker). Writes go through one serial queue so that saves land in the order they were made.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from shiboken6 import isValid

log = logging.getLogger(__name__)

Callback = Callable[[Any], None] | None


class _Relay(QObject):
    """Lives on the UI thread; its queued signal carries each outcome back to it."""

    finished = Signal(int, bool, object)  # ticket, succeeded, result (or the exception)


class Background(QObject):
    """Runs callables on worker threads.

    ``run`` uses a shared pool for reads and slow jobs (imports, exports, hashing); ``write``
    uses a single-thread queue so that autosaves keep their order. One relay object, created
    with the Background, brings every outcome back (a save is on the critical path of each
    click: no per-task QObject, connection or QRunnable subclass to build).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)  # queued: emitted from worker threads
        self._callbacks: dict[int, tuple[Callback, Callback]] = {}
        self._tickets = itertools.count(1)

    def run(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> None:
        self._submit(self._pool, fn, on_success, on_failure)

    def write(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> None:
        self._submit(self._writes, fn, on_success, on_failure)

    def _submit(
        self,
        pool: QThreadPool,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[Exception], None] | None,
    ) -> None:
        ticket = next(self._tickets)
        self._callbacks[ticket] = (on_success, on_failure)  # touched on the UI thread only
        relay = self._relay

        def task() -> None:
            try:
                result = fn()
            except Exception as exc:  # delivered to on_failure; bugs are logged with a traceback
                log.debug("background task failed: %s", traceback.format_exc())
                relay.finished.emit(ticket, False, exc)
                return
            relay.finished.emit(ticket, True, result)

        pool.start(task)

    def _deliver(self, ticket: int, succeeded: bool, result: Any) -> None:
        on_success, on_failure = self._callbacks.pop(ticket, (None, None))
        if succeeded:
            if on_success is not None:
                on_success(result)
        elif on_failure is not None:
            on_failure(result)
        else:
            log.error("background task failed: %s", result)

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
