"""Background work off the UI thread, with results delivered back on it (never touching widgets
from a worker). Writes go through one serial queue so that saves land in the order they were made.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; queued signals carry the worker's outcome back to it."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to on_failure; bugs are logged with a traceback
            log.debug("background task failed: %s", traceback.format_exc())
            self.relay.failed.emit(exc)
            return
        self.relay.succeeded.emit(result)


class Background(QObject):
    """Runs callables on worker threads.

    ``run`` uses a shared pool for reads and slow jobs (imports, exports, hashing); ``write``
    uses a single-thread queue so that autosaves keep their order.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()

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
        relay = _Relay()  # created on the UI thread, so its slots run there
        self._relays.add(relay)

        def done_ok(result: Any) -> None:
            self._relays.discard(relay)
            if on_success is not None:
                on_success(result)

        def done_err(exc: Exception) -> None:
            self._relays.discard(relay)
            if on_failure is not None:
                on_failure(exc)
            else:
                log.error("background task failed: %s", exc)

        relay.succeeded.connect(done_ok)
        relay.failed.connect(done_err)
        pool.start(_Task(fn, relay))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work is done (used at close and in tests)."""
        return self._writes.waitForDone(msecs) and self._pool.waitForDone(msecs)
