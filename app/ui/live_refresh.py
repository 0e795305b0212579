"""Team mode: re-read what the window shows soon after another member commits a write.

The store's change listener (persistence/notifications.py) calls back on a thread of its own;
this object carries each call to the UI thread through a queued signal and gathers a burst of
them into one refresh, ``DELAY_MS`` after the last. An SQLite file has no listener and this does
nothing there (View > Refresh re-reads it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.services.context import ServiceContext
from app.services.errors import ServiceError

DELAY_MS = 300


class LiveRefresh(QObject):
    """Calls ``refresh(assessment ids | None)`` on the UI thread after other members' writes:
    the ids written since the last call, or None when anything may have changed."""

    heard = Signal(object)  # int | None, emitted from the listener's thread

    def __init__(
        self,
        ctx: ServiceContext,
        refresh: Callable[[set[int] | None], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._refresh = refresh
        self._pending: set[int] | None = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._fire)
        self.heard.connect(self._gather, Qt.ConnectionType.QueuedConnection)
        try:
            self.listener = ctx.listen_for_changes(self.heard.emit)
        except ServiceError:  # the window works without live refresh; F5 still re-reads
            self.listener = None

    @property
    def active(self) -> bool:
        return self.listener is not None

    def stop(self) -> None:
        self._timer.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _gather(self, assessment_id: int | None) -> None:
        if assessment_id is None:
            self._pending = None
        elif self._pending is not None:
            self._pending.add(assessment_id)
        self._timer.start()

    def _fire(self) -> None:
        pending, self._pending = self._pending, set()
        self._refresh(pending)
