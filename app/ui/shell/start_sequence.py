"""The window's start-up as a sequence of two stages, instead of flags spread over the window.

1. First screen: the assessment used last is reopened (its question is what the user waits
   for), or Home is shown and its list read.
2. Deferred work, once the first screen is up (the reopened question painted, or Home shown),
   or after ``START_WORK_DELAY_MS`` at the latest: the steps given (reading the hidden list,
   the daily backup). They run once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer

START_WORK_DELAY_MS = 3000  # the latest the deferred start-up work waits for the first screen
AFTER_FIRST_SCREEN_MS = 50  # then the deferred start-up work begins


class StartSequence(QObject):
    """Runs ``deferred`` steps once, after the first screen (see the module docstring)."""

    def __init__(self, parent: QObject, deferred: Sequence[Callable[[], None]]) -> None:
        super().__init__(parent)
        self._deferred = list(deferred)
        self._done = False
        # The timer is this object's child, so nothing fires after the window is gone.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.finish)

    @property
    def running(self) -> bool:
        """Whether the deferred steps have not run yet."""
        return not self._done

    def wait_for_first_screen(self, signalled: bool) -> None:
        """Stage 1 is under way: run the deferred steps when ``first_screen_shown`` is called,
        or after START_WORK_DELAY_MS at the latest (at once when ``signalled`` is False: the
        first screen cannot tell when it is up)."""
        if not self._done:
            self._timer.start(START_WORK_DELAY_MS if signalled else 0)

    def first_screen_shown(self) -> None:
        """The first screen is painted: the deferred steps follow shortly (not in the same
        event-loop turn, so the frame reaches the screen first)."""
        if not self._done:
            self._timer.start(AFTER_FIRST_SCREEN_MS)

    def finish(self) -> None:
        """Run the deferred steps now, if they have not run yet."""
        if self._done:
            return
        self._done = True
        self._timer.stop()
        for step in self._deferred:
            step()
