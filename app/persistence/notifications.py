"""Change notifications between the members of a shared PostgreSQL database (team mode).

Every write transaction on a server sends ``NOTIFY airmf_changes`` with a small JSON payload
(``{"origin": <token of the writing Database>, "assessment": <id or null>}``); PostgreSQL
delivers it to every listener when, and only if, the transaction commits. A ChangeListener holds
its own connection in autocommit mode, LISTENs on that channel in a thread, and calls back with
the assessment id (None: "anything may have changed"). Notifications a Database sent itself are
skipped. After a dropped connection it reconnects (backing off up to 10 s) and calls back with
None, since what was written meanwhile was not announced to it.

SQLite files have no such channel: an instance sees another's writes when it re-reads.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

CHANNEL = "airmf_changes"
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)
log = logging.getLogger(__name__)


def payload(origin: str, assessment_id: int | None) -> str:
    """The NOTIFY payload of a write (well under PostgreSQL's 8,000-byte limit)."""
    return json.dumps({"origin": origin, "assessment": assessment_id})


def parse(text: str) -> tuple[str | None, int | None]:
    """(origin, assessment id) of a payload; (None, None) for anything unexpected."""
    try:
        data = json.loads(text)
        origin, aid = data.get("origin"), data.get("assessment")
    except (ValueError, AttributeError):
        return None, None
    return (
        origin if isinstance(origin, str) else None,
        aid if isinstance(aid, int) and not isinstance(aid, bool) else None,
    )


class ChangeListener:
    """Listen for other members' writes on ``conninfo`` (a libpq connection string).

    ``on_change(assessment_id | None)`` runs on the listener's thread: hand it to your own
    thread (the window posts it to the UI thread). ``ignore_origin`` is the token of the
    Database whose own writes are not reported back. Call ``stop()`` to end it.
    """

    def __init__(
        self,
        conninfo: str,
        on_change: Callable[[int | None], None],
        ignore_origin: str | None = None,
    ) -> None:
        self._conninfo = conninfo
        self._on_change = on_change
        self._ignore = ignore_origin
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._thread = threading.Thread(target=self._run, name="airmf-listen", daemon=True)
        self._connection: object | None = None
        self._lock = threading.Lock()

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def wait_connected(self, timeout: float) -> bool:
        """True once the listener is LISTENing (for tests and start-up ordering)."""
        return self._connected.wait(timeout)

    @property
    def backend_pid(self) -> int | None:
        """The server process of the listening connection (None while disconnected)."""
        with self._lock:
            connection = self._connection
        return getattr(connection, "info", None) and connection.info.backend_pid  # type: ignore[union-attr]

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        first = True
        while not self._stop.is_set():
            try:
                self._listen(announce=not first)
                failures = 0
            except Exception as exc:  # a dropped or refused connection: try again later
                self._connected.clear()
                log.info("change listener disconnected: %s", type(exc).__name__)
                delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                if self._stop.wait(delay):
                    return
            first = False

    def _listen(self, announce: bool) -> None:
        import psycopg

        with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as connection:
            with self._lock:
                self._connection = connection
            try:
                connection.execute(f"LISTEN {CHANNEL}")
                self._connected.set()
                if announce:  # writes made while disconnected were not announced
                    self._on_change(None)
                while not self._stop.is_set():
                    for note in connection.notifies(timeout=0.5):
                        origin, aid = parse(note.payload)
                        if origin is not None and origin == self._ignore:
                            continue
                        self._on_change(aid)
                    if connection.closed or connection.broken:
                        raise psycopg.OperationalError("the listening connection was closed")
            finally:
                with self._lock:
                    self._connection = None
