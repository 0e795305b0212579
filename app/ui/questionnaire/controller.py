"""Behaviour of the questionnaire: loading, selection, autosave through the services, undo.

Every change goes through an undo command whose redo/undo writes the fields through
``AnswerService.record`` on the Background writer queue (never on the UI thread). Typed text is
saved after a pause, when moving to another subcategory, and on ``flush()``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QUndoStack
from shiboken6 import isValid

from app.domain.assessment import ANSWER_FIELDS, Answer, EvidenceItem
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import Conflict, ServiceError
from app.services.evidence import EvidenceService
from app.ui.questionnaire.answer_book import AnswerBook, changed_fields, predict, previous_values
from app.ui.questionnaire.loading import LoadedAssessment, SavedScores, load_assessment
from app.ui.questionnaire.undo import FIELD_LABELS, AnswerEditCommand, describe
from app.ui.workers import Background

log = logging.getLogger(__name__)

TYPING_PAUSE_MS = 700
NA_NEEDS_RATIONALE = (
    "Not applicable needs a rationale: write in the box below why this subcategory does not "
    "apply to the AI system, then tick “Not applicable” again."
)
NA_RATIONALE_EMPTIED = (
    "The rationale of a not-applicable answer cannot be empty; the previous rationale is kept. "
    "Untick “Not applicable” first to remove it."
)
# Fields refreshed in the form after any save: the service may change them as a consequence.
DERIVED_FIELDS = {"not_applicable", "metrics", "level", "carried_over", "evidence"}


def user_message(exc: Exception) -> str:
    """Why a save failed, for the user (the sentence around it says what was not saved)."""
    if isinstance(exc, ServiceError):
        return str(exc)
    return f"unexpected error ({type(exc).__name__}: {exc})"


def not_saved(subcategory_id: str, reason: str) -> str:
    """The one sentence that reports a failed save (status bar, banner, evidence panel)."""
    return f"{subcategory_id} not saved: {reason}"


@dataclass
class FailedSave:
    """What could not be saved for one subcategory, kept so that Retry repeats exactly that.

    ``values``: answer fields whose save failed (the latest value tried for each); ``jobs``:
    evidence operations to run again. The record is dropped when Retry or Dismiss is used,
    and a field leaves it once a later save of that field succeeds.
    """

    message: str
    values: dict[str, Any] = field(default_factory=dict)
    jobs: list[Callable[[], None]] = field(default_factory=list)


@dataclass
class SaveConflict:
    """A save refused because another writer changed the same fields meanwhile.

    ``values``: what the window tried to save (every field of the refused saves, latest value
    each); ``fields``: field -> (stored value, attempted value) of the conflicting ones;
    ``stored``: the answer as stored now, at ``version`` (the base of a save that keeps mine).
    """

    subcategory_id: str
    values: dict[str, Any]
    fields: dict[str, tuple[Any, Any]]
    stored: Answer
    version: int


def _differs(a: Answer, b: Answer, exempt: frozenset[str] = frozenset()) -> set[str]:
    """The answer fields (but ``exempt``) whose values differ between ``a`` and ``b``."""
    return {f for f in ANSWER_FIELDS if f not in exempt and getattr(a, f) != getattr(b, f)}


# What an evidence job or a tick of suggested actions edits on the list as stored (never a
# conflict; see AnswerService._record), besides the "carried over" mark every save clears.
_EVIDENCE_FIELDS = frozenset({"evidence", "carried_over"})
_TICK_FIELDS = frozenset({"actions_in_place", "carried_over"})
_GENAI_TICK_FIELDS = frozenset({"genai_actions_in_place", "carried_over"})


def _track_version(
    versions: dict[str, int],
    sub: str,
    service: AnswerService,
    answer: Answer,
    expected: Answer,
    exempt: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """After a save, on the writer thread: move the base of the window's next save of ``sub``
    to the version this save left, unless the stored answer holds changes by another writer
    that the window has not shown yet (fields where ``answer`` differs from ``expected``, the
    answer the window predicted). Those are shown first (``_show_merged``): a save based on a
    version whose values the user never saw would overwrite them silently.

    Returns {"version": the answer's version, "foreign": the fields another writer changed}.
    """
    foreign = _differs(answer, expected, exempt)
    if not foreign and service.last_version is not None:
        versions[sub] = service.last_version
    return {"version": service.last_version, "foreign": foreign}


class QuestionnaireController(QObject):
    saved = Signal(object)  # a successful save: the (local, aware) datetime of its commit
    save_failed = Signal(str)  # a complete sentence: which subcategory was not saved, and why
    failures_changed = Signal()  # a failed save was recorded, retried, dismissed or superseded
    answers_changed = Signal()
    loaded = Signal(object)  # LoadedAssessment
    opened = Signal(int)  # the assessment is loaded and its start subcategory selected
    load_failed = Signal(str)
    current_changed = Signal(str)
    answer_changed = Signal(object, object)  # Answer (as it will be stored), fields to show
    stored = Signal(object, object, object)  # after a save: Answer, fields to show, NodeScore
    values_applied = Signal(str, dict)  # undo/redo: put these values in the form
    na_error = Signal(str)
    message = Signal(str)
    evidence_busy = Signal(str)
    evidence_error = Signal(str)
    link_added = Signal()
    integrity_checked = Signal(str, str)  # sha256, "ok" | "missing" | "changed"
    conflicted = Signal(object)  # SaveConflict: ask the user to keep theirs or take the stored
    open_url = Signal(QUrl)
    _later = Signal(object)  # a callable, run as a queued event on the UI thread

    def __init__(
        self,
        ctx: ServiceContext,
        background: Background,
        undo_stack: QUndoStack,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.background = background
        self.undo_stack = undo_stack
        self.data: LoadedAssessment | None = None
        self.book = AnswerBook()
        self._scored = SavedScores()
        self.current: str | None = None
        self._generation = 0
        self._in_undo = False
        self._remembered: str | None = None  # the open assessment's stored position
        self._unsaved: dict[str, set[str]] = {}  # fields whose save failed, per subcategory
        self._failed: dict[str, FailedSave] = {}  # what Retry saves again, per subcategory
        self._conflicts: dict[str, SaveConflict] = {}  # awaiting the user's choice
        self._read_typed: Callable[[bool], dict[str, Any]] = lambda _finished: {}
        self._visible_order: Callable[[], list[str]] = list
        self.typing_timer = QTimer(self)
        self.typing_timer.setSingleShot(True)
        self.typing_timer.setInterval(TYPING_PAUSE_MS)
        self.typing_timer.timeout.connect(lambda: self.flush_typing(finished=False))
        self._later.connect(self._run_later, Qt.ConnectionType.QueuedConnection)

    def _run_later(self, fn: Callable[[], None]) -> None:
        fn()

    def bind(
        self,
        read_typed: Callable[[bool], dict[str, Any]],
        visible_order: Callable[[], list[str]],
    ) -> None:
        """How to read the form and the navigator's order (provided by the page).

        ``read_typed(finished)`` returns only the typed fields the user edited since its last
        call (``finished``: the user leaves the answer, so a field saved on completion counts).
        """
        self._read_typed = read_typed
        self._visible_order = visible_order

    @property
    def editable(self) -> bool:
        return self.data is not None and not self.data.read_only

    # -- loading ------------------------------------------------------------------------------
    def load(self, assessment_id: int) -> None:
        self.flush()
        self._generation += 1
        generation = self._generation
        ctx = self.ctx

        def done(loaded: LoadedAssessment) -> None:
            if not isValid(self) or generation != self._generation:
                return
            self.data = loaded
            self._remembered = loaded.start_subcategory()  # where a reopening lands anyway
            self.book = AnswerBook(loaded.answers, loaded.versions)
            self._scored.reset(loaded)
            self._unsaved = {}
            self._failed = {}
            self._conflicts = {}
            self.failures_changed.emit()
            self.current = None
            self.undo_stack.clear()
            self.loaded.emit(loaded)
            self.select(loaded.start_subcategory())
            self.opened.emit(loaded.assessment.id)

        def failed(exc: Exception) -> None:
            if isValid(self) and generation == self._generation:
                self.data, self.book, self.current = None, AnswerBook(), None
                self.undo_stack.clear()
                self.load_failed.emit(f"The assessment cannot be opened: {exc}")

        # On the writer queue: the read then sees every save queued before it.
        self.background.write(lambda: load_assessment(ctx, assessment_id), done, failed)

    # -- selection and navigation -------------------------------------------------------------
    def select(self, subcategory_id: str) -> None:
        data = self.data
        if data is None or subcategory_id == self.current:
            return
        if not data.framework.has_subcategory(subcategory_id):
            return
        self.flush_typing()
        self.current = subcategory_id
        self.current_changed.emit(subcategory_id)
        if self.editable and subcategory_id != self._remembered:
            self._remembered = subcategory_id  # (reopening lands on the stored one: no write)
            ctx, aid = self.ctx, data.assessment.id
            self.background.write(
                lambda: AssessmentService(ctx).remember_position(aid, subcategory_id),
                None,
                lambda exc: log.warning("position not remembered: %s", exc),
            )

    def _neighbour(self, step: int) -> str | None:
        order = self._visible_order()
        if not order and self.data is not None:
            order = self.data.framework.subcategory_ids()
        if not order:
            return None
        if self.current not in order:
            return order[0]
        i = order.index(self.current) + step
        return order[i] if 0 <= i < len(order) else None

    def has_previous(self) -> bool:
        return self._neighbour(-1) is not None

    def has_next(self) -> bool:
        return self._neighbour(1) is not None

    def go_previous(self) -> None:
        if (target := self._neighbour(-1)) is not None:
            self.select(target)

    def go_next(self) -> None:
        if (target := self._neighbour(1)) is not None:
            self.select(target)

    def go_next_unanswered(self) -> None:
        if self.data is None:
            return
        order = self.data.framework.subcategory_ids()
        start = order.index(self.current) + 1 if self.current in order else 0
        for sub in order[start:] + order[:start]:
            if sub != self.current and not self.book.view(sub).is_answered:
                self.select(sub)
                return
        self.message.emit("Every subcategory is answered.")

    # -- edits --------------------------------------------------------------------------------
    def typed(self) -> None:
        if self.editable:
            self.typing_timer.start()

    def flush(self) -> None:
        """Save typed text now (leaving the page, closing the window)."""
        self.flush_typing()

    def flush_typing(self, finished: bool = True) -> None:
        """Save the typed fields the user edited, nothing else.

        A save is a patch of the fields the user changed: the form's copies of the others may
        be stale (another program may have stored a newer value meanwhile) and are not sent.
        ``finished`` is False for a pause in typing: a date being typed is not saved then.
        """
        self.typing_timer.stop()
        if not self.editable or self.current is None:
            return
        # A field whose save failed is not sent again here: Retry re-sends exactly that change
        # (the user's decision), and dismissing it keeps what is stored.
        wanted = self._read_typed(finished)
        view = self.book.view(self.current)
        changes = changed_fields(view, wanted)
        if "na_rationale" in changes and view.not_applicable:
            if not changes["na_rationale"].strip():
                del changes["na_rationale"]
                self.na_error.emit(NA_RATIONALE_EMPTIED)
            else:
                self.na_error.emit("")
        if changes:
            self._push(self.current, changes)

    def change(self, changes: dict[str, Any]) -> None:
        """The user chose something (rating, target, flag…): save it as one undoable step."""
        if not self.editable or self.current is None:
            return
        self.flush_typing()
        changes = changed_fields(self.book.view(self.current), changes)
        if changes:
            self._push(self.current, changes)

    def set_not_applicable(self, wanted: bool) -> None:
        if not self.editable or self.current is None:
            return
        self.flush_typing()
        view = self.book.view(self.current)
        if wanted and not view.na_rationale.strip():
            self.na_error.emit(NA_NEEDS_RATIONALE)
            return
        self.na_error.emit("")
        if view.not_applicable != wanted:
            self._push(self.current, {"not_applicable": wanted})
            self.values_applied.emit(self.current, {"not_applicable": wanted})

    def toggle_not_applicable(self) -> None:
        if self.current is not None:
            self.set_not_applicable(not self.book.view(self.current).not_applicable)

    def toggle_flag(self) -> None:
        if self.current is not None and self.editable:
            flagged = not self.book.view(self.current).flagged
            self.change({"flagged": flagged})
            self.values_applied.emit(self.current, {"flagged": flagged})

    def failure(self, subcategory_id: str | None) -> str:
        """The message of the failed save of a subcategory not yet retried ("" if none)."""
        record = self._failed.get(subcategory_id or "")
        return record.message if record is not None else ""

    def failure_summary(self) -> str:
        """One line about every failed save not yet retried or dismissed ("" if none)."""
        if not self._failed:
            return ""
        latest = list(self._failed.values())[-1].message
        others = len(self._failed) - 1
        if not others:
            return latest
        return f"{latest} (and {others} more {'subcategory' if others == 1 else 'subcategories'})"

    def retry(self) -> None:
        """Save again exactly what failed to save for the current subcategory."""
        if not self.editable or self.current is None:
            return
        sub = self.current
        self.flush_typing()  # newer typing first: it supersedes what failed before
        record = self._failed.pop(sub, None)
        self.failures_changed.emit()
        if record is None:
            return
        values = changed_fields(self.book.view(sub), record.values)
        if values:
            self._write(sub, values)
        for job in record.jobs:
            job()

    def dismiss_failure(self) -> None:
        """The user dismissed the current subcategory's failure: the stored answer stands."""
        if self.current is not None and self._failed.pop(self.current, None) is not None:
            self.failures_changed.emit()

    def _record_failure(
        self,
        sub: str,
        message: str,
        values: dict[str, Any] | None = None,
        job: Callable[[], None] | None = None,
    ) -> None:
        record = self._failed.pop(sub, None) or FailedSave(message)
        record.message = message
        record.values.update(values or {})
        if job is not None:
            record.jobs.append(job)
        self._failed[sub] = record  # (re)inserted last: the latest failure is summarised
        self.failures_changed.emit()

    def _superseded(self, sub: str, fields: set[str]) -> None:
        """A save of these fields succeeded: their earlier failure no longer applies."""
        record = self._failed.get(sub)
        if record is None or not fields & record.values.keys():
            return
        for name in fields:
            record.values.pop(name, None)
        if not record.values and not record.jobs:
            del self._failed[sub]
        self.failures_changed.emit()

    # -- conflicts with another writer -------------------------------------------------------
    def _show_merged(self, sub: str, answer: Answer, merged: dict[str, Any]) -> None:
        """A save merged fields another writer changed: show them (not over the user's own
        unsaved or queued edits of a field), then base the next save on this version."""
        foreign: set[str] = merged.get("foreign") or set()
        version = merged.get("version")
        if not foreign or version is None:
            return
        if sub == self.current:
            self.flush_typing(finished=False)  # text being typed is the user's: queue it first
        busy = self.book.pending_fields(sub) | self._unsaved.get(sub, set())
        shown = {f: getattr(answer, f) for f in foreign - busy}
        if shown:
            self.values_applied.emit(sub, shown)
        if not foreign & busy and not self.book.pending_fields(sub):
            self.book.versions[sub] = version

    def _conflict(self, sub: str, exc: Conflict, values: dict[str, Any]) -> None:
        """A save was refused as a conflict: ask the user (``conflicted``). Conflicts of one
        answer that arrive before the user chose are shown as one."""
        earlier = self._conflicts.get(sub)
        if earlier is not None:
            values = {**earlier.values, **values}
        names = [f for f in ANSWER_FIELDS if f in exc.fields or (earlier and f in earlier.fields)]
        stored = exc.stored
        assert isinstance(stored, Answer)
        fields = {
            f: (getattr(stored, f), values.get(f, exc.fields.get(f, (None, None))[1]))
            for f in names
        }
        conflict = SaveConflict(sub, values, fields, stored, exc.version)
        self._conflicts[sub] = conflict
        self.conflicted.emit(conflict)

    def pending_conflict(self, subcategory_id: str) -> SaveConflict | None:
        """The conflict of this answer awaiting the user's choice, if any."""
        return self._conflicts.get(subcategory_id)

    def keep_mine(self, subcategory_id: str) -> None:
        """The user keeps the values they entered: saved again, based on the version that
        conflicted (the user has now seen the stored values); the other writer's changes to
        other fields are kept and shown."""
        conflict = self._settle(subcategory_id)
        if conflict is None:
            return
        self._adopt(conflict, keep=set(conflict.values))
        values = changed_fields(self.book.view(subcategory_id), conflict.values)
        if values:
            self._write(subcategory_id, values, base_version=conflict.version)

    def take_theirs(self, subcategory_id: str) -> None:
        """The user takes the stored answer: the form shows it; the refused values are
        dropped (still in the undo history, as the change the user made)."""
        conflict = self._settle(subcategory_id)
        if conflict is not None:
            self._adopt(conflict, keep=set())

    def postpone_conflict(self, subcategory_id: str) -> None:
        """The user closed the question unanswered: the refused save stays a failed save
        (banner, Retry asks again); the form keeps the user's values."""
        self._conflicts.pop(subcategory_id, None)

    def _settle(self, sub: str) -> SaveConflict | None:
        conflict = self._conflicts.pop(sub, None)
        if conflict is None or not self.editable:
            return None
        if self._failed.pop(sub, None) is not None:
            self.failures_changed.emit()
        return conflict

    def _adopt(self, conflict: SaveConflict, keep: set[str]) -> None:
        """The stored answer of a conflict becomes the window's, except the fields in
        ``keep`` (and those with queued saves), which the form goes on showing."""
        sub = conflict.subcategory_id
        if sub == self.current:
            self.flush_typing(finished=False)
        before = self.book.stored(sub)
        self.book.replace(sub, conflict.stored)
        changed = (_differs(before, conflict.stored) | set(conflict.fields)) - keep
        busy = self.book.pending_fields(sub)
        unsaved = self._unsaved.setdefault(sub, set())
        unsaved -= changed
        view = self.book.view(sub)
        score = self._scored.after(conflict.stored)
        self.stored.emit(view, (changed | DERIVED_FIELDS) - busy - unsaved, score)
        shown = {f: getattr(view, f) for f in changed - busy}
        if shown:
            self.values_applied.emit(sub, shown)
        self.answers_changed.emit()
        if not keep and not busy:
            self.book.versions[sub] = conflict.version  # the form shows that version now

    def _push(self, sub: str, changes: dict[str, Any]) -> None:
        old = previous_values(self.book.view(sub), changes)
        self._write(sub, changes)  # the save starts now; the undo command only records it
        if self._in_undo:  # pushing while the stack undoes would corrupt it
            return
        self.undo_stack.push(
            AnswerEditCommand(self._apply, sub, old, changes, describe(changes), already_saved=True)
        )

    def _apply(self, sub: str, values: dict[str, Any], show: bool) -> None:
        """Undo command callback: show the values (undo/redo) and write them."""
        if not self.editable:
            return
        if show:
            self._in_undo = True
            try:
                if sub != self.current:
                    self.select(sub)
                else:
                    self.flush_typing()
            finally:
                self._in_undo = False
            self.values_applied.emit(sub, values)
        self._write(sub, values)

    def _write(self, sub: str, values: dict[str, Any], base_version: int | None = None) -> None:
        """Save ``values`` based on the version of the answer the window shows (or on
        ``base_version``: the user chose to keep theirs over a conflict at that version)."""
        data = self.data
        assert data is not None
        expected = predict(self.book.view(sub), values)  # what this save stores if all goes well
        ticket = self.book.begin(sub, values)
        ctx, aid, versions = self.ctx, data.assessment.id, self.book.versions

        merged: dict[str, Any] = {}

        def work() -> Answer:
            # On the writer thread, in queue order: the base is the version the window's
            # previous save of this answer left (see _track_version).
            service = AnswerService(ctx)
            base = versions.get(sub, 0) if base_version is None else base_version
            answer = service.record(aid, sub, base_version=base, **values)
            merged.update(_track_version(versions, sub, service, answer, expected))
            return answer

        # Queued before the form and the navigator show the change: the save starts at once.
        self._submit(
            sub,
            ticket,
            work,
            set(values),
            after_failure=lambda message: self._record_failure(sub, message, values=values),
            after=lambda _before, answer: self._show_merged(sub, answer, merged),
            on_conflict=lambda exc: self._conflict(sub, exc, values),
        )
        self.answer_changed.emit(self.book.view(sub), set())

    def _submit(
        self,
        sub: str,
        ticket: int,
        work: Callable[[], Answer],
        fields: set[str],
        after: Callable[[Answer, Answer], None] | None = None,
        after_failure: Callable[[str], None] | None = None,
        in_form: bool = True,
        on_conflict: Callable[[Conflict], None] | None = None,
    ) -> None:
        """Run a save; ``in_form``: the form already shows the new values (keep them on failure).

        The writer job ends at the commit, which is reported at once; the changed path of the
        score tree is then recomputed here (a fraction of a millisecond), in the order saves
        land, with the form and the navigator brought up to date.
        """
        generation = self._generation
        before = self.book.view(sub)

        def save() -> tuple[Answer, dt.datetime]:
            answer = work()  # returns once the transaction is committed
            return answer, dt.datetime.now().astimezone()

        def done(result: tuple[Answer, dt.datetime]) -> None:
            answer, committed_at = result
            if not isValid(self):
                return
            if generation != self._generation:  # another assessment is open by now
                self.saved.emit(committed_at)
                return
            unsaved = self._unsaved.get(sub, set())
            unsaved -= fields
            self._superseded(sub, fields)
            # The commit is confirmed: say so at once (with its time). The form and the navigator
            # are brought up to date by the next queued event (in order with the other saves'
            # results); the book keeps the save pending until then, so nothing reads a
            # half-updated state.
            self.saved.emit(committed_at)
            self._later.emit(lambda: show(answer))

        def show(answer: Answer) -> None:
            if not isValid(self) or generation != self._generation:
                return
            score = self._scored.after(answer)
            self.book.confirm(sub, ticket, answer)
            unsaved = self._unsaved.get(sub, set())
            # Keep in the form what the user chose but could not be saved (until retried).
            self.stored.emit(self.book.view(sub), (fields | DERIVED_FIELDS) - unsaved, score)
            self.answers_changed.emit()
            if after is not None:
                after(before, answer)

        def failed(exc: Exception) -> None:
            if not isValid(self):
                return
            message = not_saved(sub, user_message(exc))
            if isinstance(exc, Conflict):
                message = str(exc)  # names the subcategory and says nothing was saved
            self.save_failed.emit(message)
            if generation != self._generation:
                return
            self.book.fail(sub, ticket)
            if in_form:
                self._unsaved.setdefault(sub, set()).update(fields)
            self.answer_changed.emit(self.book.view(sub), set())
            if after_failure is not None:
                after_failure(message)  # Retry stays possible until the user chooses
            if isinstance(exc, Conflict) and on_conflict is not None:
                on_conflict(exc)

        self.background.write(save, done, failed)

    def set_actions(self, in_place: list[int]) -> None:
        """The user ticked or unticked suggested actions; ``in_place`` is what the list shows.

        Saved as a patch: only the actions whose tick differs from the answer are sent, and
        applied to the list as stored now (another program's ticks are kept).
        """
        if not self.editable or self.current is None:
            return
        sub = self.current
        shown = set(self.book.view(sub).actions_in_place)
        wanted = set(in_place)
        ticked = {i: True for i in wanted - shown} | {i: False for i in shown - wanted}
        if not ticked:
            return
        self.flush_typing()
        assert self.data is not None
        ctx, aid = self.ctx, self.data.assessment.id
        before = self.book.view(sub)
        ticket = self.book.begin(sub, {"actions_in_place": sorted(wanted)})
        versions, merged = self.book.versions, {}

        def work() -> Answer:
            service = AnswerService(ctx)
            answer = service.tick_actions(aid, sub, ticked)
            merged.update(_track_version(versions, sub, service, answer, before, _TICK_FIELDS))
            return answer

        def after(_pending: Answer, answer: Answer) -> None:
            self._show_merged(sub, answer, merged)
            # Undo takes back this patch from the list as stored (which may hold ticks the
            # window had not seen), and restores the other fields the save touched.
            stored = set(answer.actions_in_place)
            reverted = (stored - {i for i, on in ticked.items() if on}) | {
                i for i, on in ticked.items() if not on
            }
            old = previous_values(before, {"actions_in_place": None})
            old["actions_in_place"] = sorted(reverted)
            new = {f: getattr(answer, f) for f in old}
            self.undo_stack.push(
                AnswerEditCommand(
                    self._apply, sub, old, new, FIELD_LABELS["actions_in_place"], already_saved=True
                )
            )

        self._submit(sub, ticket, work, {"actions_in_place"}, after)
        self.answer_changed.emit(self.book.view(sub), set())

    def set_genai_action(self, action_id: str, on: bool) -> None:
        """The user ticked (``on``) or unticked one AI 600-1 action, by its stable id.

        Saved as a patch of that one action on the list as stored now, like ``set_actions``:
        ticks of actions not shown (other risks) or made by another program are kept.
        """
        if not self.editable or self.current is None:
            return
        sub = self.current
        shown = set(self.book.view(sub).genai_actions_in_place)
        if (action_id in shown) == on:
            return
        self.flush_typing()
        assert self.data is not None
        ctx, aid = self.ctx, self.data.assessment.id
        before = self.book.view(sub)
        wanted = sorted(shown | {action_id} if on else shown - {action_id})
        ticket = self.book.begin(sub, {"genai_actions_in_place": wanted})
        versions, merged = self.book.versions, {}

        def work() -> Answer:
            service = AnswerService(ctx)
            answer = service.tick_genai_actions(aid, sub, {action_id: on})
            merged.update(
                _track_version(versions, sub, service, answer, before, _GENAI_TICK_FIELDS)
            )
            return answer

        def after(_pending: Answer, answer: Answer) -> None:
            self._show_merged(sub, answer, merged)
            # Undo takes back this one tick from the list as stored.
            stored = set(answer.genai_actions_in_place)
            reverted = stored - {action_id} if on else stored | {action_id}
            old = previous_values(before, {"genai_actions_in_place": None})
            old["genai_actions_in_place"] = sorted(reverted)
            new = {f: getattr(answer, f) for f in old}
            self.undo_stack.push(
                AnswerEditCommand(
                    self._apply,
                    sub,
                    old,
                    new,
                    FIELD_LABELS["genai_actions_in_place"],
                    already_saved=True,
                )
            )

        self._submit(sub, ticket, work, {"genai_actions_in_place"}, after)
        self.answer_changed.emit(self.book.view(sub), set())

    # -- evidence -----------------------------------------------------------------------------
    def add_link(self, title: str, url: str) -> None:
        if not self.editable or self.current is None:
            return
        self.flush_typing()
        self._evidence_job(
            self.current,
            "Adding the link…",
            lambda service, aid, sub: service.add_link(aid, sub, title, url),
            on_done=self.link_added.emit,
        )

    def attach_file(self, path: Path) -> None:
        self.attach_files([path])

    def attach_files(self, paths: list[Path]) -> None:
        """Cite several files in one save (all or none; one Undo step)."""
        if not self.editable or self.current is None or not paths:
            return
        self.flush_typing()
        what = paths[0].name if len(paths) == 1 else f"{len(paths)} files"
        self._evidence_job(
            self.current,
            f"Copying {what} into the evidence store and computing SHA-256…",
            lambda service, aid, sub: service.attach_files(aid, sub, paths),
        )

    def set_evidence_date(self, index: int, which: str, value: dt.date | None) -> None:
        """Set (or clear, None) the date ``which`` ("as_of" or "valid_until") of the item at
        ``index``."""
        if not self.editable or self.current is None or which not in ("as_of", "valid_until"):
            return
        items = self.book.view(self.current).evidence
        if not 0 <= index < len(items) or getattr(items[index], which) == value:
            return
        self.flush_typing()
        item = items[index]
        label = "as-of date" if which == "as_of" else "valid-until date"
        self._evidence_job(
            self.current,
            f"Saving the {label} of “{item.title}”…",
            # The item the user saw, wherever it now is (another program may have added some).
            lambda service, aid, sub: service.update_evidence_dates(
                aid, sub, index, expected=item, **{which: value}
            ),
            undo_text="Change evidence dates",
        )

    def _evidence_job(
        self,
        sub: str,
        busy: str,
        job: Callable[[AnswerService, int, str], Answer],
        on_done: Callable[[], None] | None = None,
        undo_text: str = "Add evidence",
    ) -> None:
        assert self.data is not None
        ctx, aid = self.ctx, self.data.assessment.id
        expected = self.book.view(sub)
        ticket = self.book.begin(sub, {})
        self.evidence_busy.emit(busy)
        versions, merged = self.book.versions, {}

        def work() -> Answer:
            service = AnswerService(ctx)
            answer = job(service, aid, sub)
            merged.update(
                _track_version(versions, sub, service, answer, expected, _EVIDENCE_FIELDS)
            )
            return answer

        def after(before: Answer, answer: Answer) -> None:
            self._show_merged(sub, answer, merged)
            self.evidence_busy.emit("")
            self.evidence_error.emit("")
            # Every field the save touched (the "carried over" mark too), so undo restores all.
            touched = [f for f in ANSWER_FIELDS if getattr(before, f) != getattr(answer, f)]
            self.undo_stack.push(
                AnswerEditCommand(
                    self._apply,
                    sub,
                    {f: getattr(before, f) for f in touched},
                    {f: getattr(answer, f) for f in touched},
                    undo_text,
                    already_saved=True,
                )
            )
            if on_done is not None:
                on_done()

        def after_failure(message: str) -> None:
            self.evidence_busy.emit("")
            self.evidence_error.emit(message)
            self._record_failure(
                sub, message, job=lambda: self._evidence_job(sub, busy, job, on_done)
            )

        self._submit(sub, ticket, work, {"evidence"}, after, after_failure, in_form=False)

    def remove_evidence(self, index: int) -> None:
        if not self.editable or self.current is None:
            return
        items = self.book.view(self.current).evidence
        if not 0 <= index < len(items):
            return
        self.flush_typing()
        item = items[index]
        # Removed from the list as stored now (by identity): writing back the list shown here
        # would drop evidence another program added meanwhile.
        self._evidence_job(
            self.current,
            f"Removing “{item.title}”…",
            # The file stays while Undo can cite it again (removed by the next day's clean-up).
            lambda service, aid, sub: service.remove_evidence(
                aid, sub, index, item, keep_file=True
            ),
            undo_text="Remove evidence",
        )

    def open_evidence(self, index: int) -> None:
        if self.current is None:
            return
        items = self.book.view(self.current).evidence
        if not 0 <= index < len(items):
            return
        item = items[index]
        if not item.is_file:
            self.open_url.emit(QUrl(item.url))
            return
        evidence = EvidenceService(self.ctx)

        def work() -> tuple[Path | None, str]:
            # A copy under its own name (the stored file is named by its hash and must not be
            # edited in place), in a folder only this user can read.
            return evidence.viewing_copy(item)

        def done(result: tuple[Path | None, str]) -> None:
            if not isValid(self):
                return
            path, state = result
            self.integrity_checked.emit(item.sha256, state)
            if path is None:
                self.evidence_error.emit(
                    f"“{item.title}” is missing from the evidence store; it cannot be opened."
                )
                return
            if state == "changed":
                self.evidence_error.emit(
                    f"Warning: “{item.title}” has changed since it was attached (its SHA-256 "
                    "no longer matches)."
                )
            self.open_url.emit(QUrl.fromLocalFile(str(path)))

        def failed(exc: Exception) -> None:
            if isValid(self):
                self.evidence_error.emit(f"“{item.title}” cannot be opened: {exc}")

        self.background.run(work, done, failed)

    def check_integrity(self, items: list[EvidenceItem]) -> None:
        """Hash the stored copies of these items (in the background) and report each state."""
        files = [e for e in items if e.is_file]
        if not files:
            return
        answers = AnswerService(self.ctx)

        def work() -> dict[str, str]:
            return {e.sha256: answers.evidence_file(e)[1] for e in files}

        def done(states: dict[str, str]) -> None:
            if isValid(self):
                for sha, state in states.items():
                    self.integrity_checked.emit(sha, state)

        self.background.run(work, done, lambda exc: log.warning("integrity check: %s", exc))
