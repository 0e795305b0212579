"""What a write changed, and the one place where the window's views are refreshed from it.

Every operation of the window that writes (an answer saved, an action changed, a review, an
evidence date, the assessment's details, sign-off, a next cycle, a copy, a deletion, an import,
a restore, another member's commit heard in team mode) describes what it changed as a
``Change``: which kinds of data, of which assessments. Each view declares once, in
``Changes.register``, which kinds it shows and whether it shows one assessment (the open one)
or all of them; ``Changes.publish`` then refreshes exactly the views that show something that
changed: at once when the view is on screen, otherwise the next time it is shown. Views that do
not show what changed are left alone. No view keeps a "dirty" flag of its own.

Refreshes run behind every write queued so far (``Background.after_writes``), so a view reads
what was just written, and a view already waiting for its refresh is not queued twice.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject

from app.ui.workers import Background


class Kind(enum.Flag):
    """The kinds of stored data an operation can change (combine with ``|``)."""

    ANSWERS = enum.auto()  # ratings, notes, N/A, Playbook and AI 600-1 actions in place
    EVIDENCE = enum.auto()  # evidence items and their dates
    REVIEWS = enum.auto()  # review states and comments
    ACTIONS = enum.auto()  # remediation actions (owner, due date, status, carried over)
    DETAILS = enum.auto()  # name, AI system, scope, assessor, target, GenAI risks, profile
    STATUS = enum.auto()  # finalized or reopened (read-only or not)
    ASSESSMENTS = enum.auto()  # assessments added or removed (create, copy, cycle, import)


#: Everything an assessment holds (an assessment opened, re-read, imported into).
ALL = (
    Kind.ANSWERS
    | Kind.EVIDENCE
    | Kind.REVIEWS
    | Kind.ACTIONS
    | Kind.DETAILS
    | Kind.STATUS
    | Kind.ASSESSMENTS
)
#: What the questionnaire's own saves change (an answer with its evidence and review state).
ANSWER_LEVEL = Kind.ANSWERS | Kind.EVIDENCE | Kind.REVIEWS


@dataclass(frozen=True)
class Change:
    """What one operation changed.

    ``kinds``: which kinds of data. ``assessments``: the ids of the assessments changed, or
    None when any may have changed (a restore, a refresh asked for, a notification without an
    id). ``origin``: the key of the view that made the change and already shows it (it is not
    refreshed from its own change), or None.
    """

    kinds: Kind
    assessments: frozenset[int] | None = frozenset()
    origin: str | None = None

    @classmethod
    def of(cls, kinds: Kind, *assessment_ids: int | None, origin: str | None = None) -> Change:
        """A change of ``kinds`` to the given assessments (None ids are dropped)."""
        return cls(kinds, frozenset(a for a in assessment_ids if a is not None), origin)

    @classmethod
    def everything(cls) -> Change:
        """Anything in any assessment may have changed (restore, View > Refresh)."""
        return cls(ALL, None)

    def touches(self, kinds: Kind, assessment_id: int | None) -> bool:
        """Whether this change affects a view showing ``kinds`` of ``assessment_id`` (None: a
        view of every assessment)."""
        if not self.kinds & kinds:
            return False
        if assessment_id is None or self.assessments is None:
            return True
        return assessment_id in self.assessments


@dataclass
class View:
    """One registered view: ``depends`` on these kinds; ``assessment()`` is the id it shows
    (None if it shows every assessment, or when ``per_assessment`` is False); ``shown()`` says
    whether the user sees it now; ``refresh()`` re-reads it."""

    key: str
    depends: Kind
    refresh: Callable[[], None]
    shown: Callable[[], bool]
    assessment: Callable[[], int | None] | None = None  # None: a view of every assessment
    page: str = ""  # the page it is on (``shown(page)`` refreshes it); default: its key
    stale: bool = field(default=False)
    queued: bool = field(default=False)


class Changes(QObject):
    """The dispatcher: views register what they depend on; operations publish what they
    changed. ``refreshes`` counts each view's refreshes (tests and diagnostics)."""

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background = background
        self._views: dict[str, View] = {}
        self.refreshes: Counter[str] = Counter()

    def register(
        self,
        key: str,
        depends: Kind,
        refresh: Callable[[], None],
        shown: Callable[[], bool],
        assessment: Callable[[], int | None] | None = None,
        *,
        page: str | None = None,
    ) -> None:
        """Declare view ``key``: it shows ``depends`` of the assessment ``assessment()``
        returns (omit for a view of every assessment; a view of the open assessment with none
        open is never refreshed). ``page``: the page it is part of, when not a page of its
        own. Raises ValueError for a key registered twice."""
        if key in self._views:
            raise ValueError(f"a view named {key!r} is already registered")
        self._views[key] = View(key, depends, refresh, shown, assessment, page or key)

    def publish(self, change: Change) -> None:
        """Refresh (or mark for refresh when next shown) every view ``change`` affects."""
        for view in self._views.values():
            if view.key == change.origin:
                continue
            aid = view.assessment() if view.assessment is not None else None
            if view.assessment is not None and aid is None:
                continue  # a view of the open assessment, and none is open
            if change.touches(view.depends, aid):
                view.stale = True
                if view.shown():
                    self._refresh(view)

    def switched(self, *origins: str, read_now: Iterable[str] = ()) -> None:
        """Another assessment was opened (no data changed): every view of the open assessment
        reads it when shown (at once if on screen), except ``origins``, which already did;
        ``read_now``: views read at once even if hidden, so they are ready when shown."""
        eager = set(read_now)
        for view in self._views.values():
            if view.assessment is None or view.key in origins:
                continue
            view.stale = True
            if view.key in eager or view.shown():
                self._refresh(view)

    def stale(self, key: str) -> None:
        """View ``key`` must re-read before it is next seen (it was just built, or the window
        starts); ``shown(key)`` then refreshes it."""
        self._views[key].stale = True

    def shown(self, page: str) -> None:
        """Page ``page`` came on screen: refresh its views that something changed meanwhile."""
        for view in self._views.values():
            if view.page == page and view.stale:
                self._refresh(view)

    def is_stale(self, key: str) -> bool:
        return self._views[key].stale

    def _refresh(self, view: View) -> None:
        view.stale = False
        if view.queued:
            return  # the refresh already queued reads after this write too
        view.queued = True

        def run() -> None:
            view.queued = False
            self.refreshes[view.key] += 1
            view.refresh()

        self._background.after_writes(run)
