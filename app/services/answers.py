"""Answer use cases: record a change (validated, historised, durable), evidence, history."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.domain.answer_rules import InvalidAnswer, consequences, validate_answer
from app.domain.assessment import (
    ANSWER_FIELDS,
    Answer,
    EvidenceItem,
    HistoryEntry,
    blank_answer,
    validated_changes,
)
from app.domain.framework import Framework
from app.domain.history import (
    GENESIS,
    chain,
    diff_answers,
    first_broken,
    new_entries,
    with_old_values,
)
from app.domain.limits import MAX_EVIDENCE_BYTES, NAME_MAX
from app.domain.rating import RatingScheme
from app.domain.review_state import edit_moves
from app.persistence.errors import DatabaseError
from app.persistence.store import AnswerVersion, AssessmentSaves, StoreSaving
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import Conflict, InvalidInput, NotFound, StorageError
from app.services.validation import describe_validation_error

if TYPE_CHECKING:
    from app.domain.history_check import HistoryCheck

URL_RE = re.compile(r"^(https?|ftp|file|mailto):\S+$", re.IGNORECASE)
# "Leave this date as it is" in ``update_evidence_dates`` (None clears a date).
KEEP = object()
# Set by the store as a consequence of any change, never typed: a stale save that clears it
# again is no conflict (see answer_rules.consequences).
_NEVER_CONFLICTS = frozenset({"carried_over", "updated_at"})


class AnswerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)
        # The version of the answer the last save of this service left (or found unchanged):
        # the base of the next save of that answer (see ``record``).
        self.last_version: int | None = None

    def resolve_subcategory(self, framework: Framework, text: str) -> str:
        resolved = framework.resolve_subcategory_id(text)
        if resolved is None:
            raise InvalidInput(
                f"unknown subcategory {text!r}: use an official id such as 'GOVERN 1.1' "
                "(or 'GV-1.1')"
            )
        return resolved

    def get(self, assessment_id: int, subcategory: str) -> Answer:
        assessment = self.assessments.get(assessment_id)
        sub = self.resolve_subcategory(self.assessments.outline_for(assessment), subcategory)
        with self.ctx.reading() as unit:
            found = unit.answers.get(assessment_id, sub)
        return found or blank_answer(sub)

    def record(
        self,
        assessment_id: int,
        subcategory: str,
        base_version: int | None = None,
        **changes: Any,
    ) -> Answer:
        """Apply ``changes`` (answer field -> value) to one answer and commit them durably.

        Rules beyond the field types: choosing a rating clears N/A, choosing N/A clears the rating
        (and needs a rationale), and any change confirms an answer carried over from an earlier
        cycle. Returns the stored answer.

        ``base_version``: the answer's version the changes were made on (None: the current
        one, as the CLI does). When the answer has had saves since, the fields nobody else
        changed after the base merge; a field another save changed after it, which this save
        would set to a different value, raises Conflict naming the fields (nothing written).
        After each save ``last_version`` holds the answer's version. Raises InvalidInput
        (nothing written), Conflict or AssessmentLocked.
        """
        return self._record(assessment_id, subcategory, changes, base_version=base_version)

    def versions(self, assessment_id: int) -> dict[str, int]:
        """Subcategory id -> version of each stored answer (a subcategory absent: version 0).

        Read these before the answers they belong to (as the window does), so that a version
        is never newer than the answer shown: a save is then at worst reported as a conflict,
        never applied over a change the user did not see. An unknown assessment has none ({}).
        Read like ``AssessmentService.open``: without SQLAlchemy on an SQLite file.
        """
        with self.ctx.reading() as unit:
            return unit.answers.versions(assessment_id)

    def _record(
        self,
        assessment_id: int,
        subcategory: str,
        changes: dict[str, Any],
        edit: Callable[[Answer], dict[str, Any]] | None = None,
        *,
        base_version: int | None = None,
    ) -> Answer:
        """``record``, where ``edit`` (if given) computes further changes from the answer as
        stored, read inside the same write transaction: an edit of a list (evidence) is then
        made to the current list, never to a copy another writer has changed meanwhile (so
        the fields it sets are never a conflict)."""
        unknown = set(changes) - set(Answer.model_fields) - {"updated_at"}
        if unknown:
            raise InvalidInput(f"unknown answer field(s): {', '.join(sorted(unknown))}")
        if base_version is not None and (
            isinstance(base_version, bool) or not isinstance(base_version, int) or base_version < 0
        ):
            raise InvalidInput(f"base version {base_version!r}: give a whole number from 0")
        with self.ctx.saving(assessment_id) as unit:
            assessments = unit.assessments
            head, framework, scheme, whole = self._editable(assessments, assessment_id)
            sub = self.resolve_subcategory(framework, subcategory)
            repo = unit.answers
            old = repo.get(assessment_id, sub)
            version = repo.version(assessment_id, sub)  # read by get: no extra round trip
            base = old or blank_answer(sub)
            if base_version is not None and base_version > version.number:
                raise InvalidInput(
                    f"{sub}: base version {base_version} is ahead of the stored answer "
                    f"(version {version.number}); nothing was saved"
                )
            edited: dict[str, Any] = edit(base) if edit is not None else {}
            new = self._merge(framework, scheme, sub, base, {**changes, **edited}, whole)
            diffs = diff_answers(old, new)
            self.last_version = version.number
            if not diffs:
                return base
            if base_version is not None and base_version < version.number:
                self._check_conflicts(sub, base, new, diffs, version, base_version, edited)
            self._check_files_stored(unit, base, new)
            now = self.ctx.clock()
            new = new.model_copy(update={"updated_at": now})
            number = version.number + 1
            fields = {**version.fields, **{f: number for f, _o, _n in diffs}}
            repo.put(assessment_id, new, AnswerVersion(number, fields))
            head = self._append_history(unit, assessment_id, sub, diffs, now, head)
            _moved_by_edit(unit, assessment_id, sub, head, self.ctx.actor, now)
            assessments.touch(assessment_id, now)
        self.last_version = number
        return new

    @staticmethod
    def _check_conflicts(
        sub: str,
        stored: Answer,
        new: Answer,
        diffs: list[tuple[str, str, str]],
        version: Any,
        base_version: int,
        edited: dict[str, Any],
    ) -> None:
        """Raise Conflict if this save (based on ``base_version``, older than the stored
        ``version``) changes a field that a later save changed too. Fields the other writer
        did not touch merge; a field both set to the same value is no conflict."""
        clashes = {
            f: (getattr(stored, f), getattr(new, f))
            for f, _o, _n in diffs
            if f not in _NEVER_CONFLICTS
            and f not in edited
            and version.fields.get(f, 0) > base_version
        }
        if clashes:
            ordered = {f: clashes[f] for f in ANSWER_FIELDS if f in clashes}
            raise Conflict(sub, ordered, stored, version.number)

    def record_many(
        self,
        assessment_id: int,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
        *,
        base_versions: Mapping[str, int] | None = None,
        source: str = "",
        also: Callable[[Any, tuple[int, str] | None, Any], tuple[int, str] | None] | None = None,
    ) -> list[Answer]:
        """Record several answers' changes in one transaction: all of them or none.

        ``rows``: (label naming the row in messages, subcategory, changes as for ``record``),
        applied in order (a subcategory given twice gets both, the later winning). Every row
        is checked before anything is written; each changed field gets its own history entry,
        as with ``record``. Returns the stored answers in row order. Raises InvalidInput
        prefixed with the row's label (nothing written), NotFound or AssessmentLocked.

        ``base_versions``: subcategory id -> the answer's version the changes were made on (a
        workbook's export); a field changed after it raises Conflict as in ``record``
        (nothing written). ``source``: the file the changes come from, named in each history
        entry's actor ("alice (from answers.xlsx)"). ``also(unit, head, now)``: more writes
        in the same transaction (then a full write unit), after the answers' (a workbook's
        action edits); it returns the new head of the history chain.
        """
        for label, _sub, changes in rows:
            unknown = set(changes) - set(Answer.model_fields) - {"updated_at"}
            if unknown:
                raise InvalidInput(
                    f"{label}: unknown answer field(s): {', '.join(sorted(unknown))}"
                )
        opened = (
            self.ctx.saving(assessment_id)
            if also is None
            else self.ctx.writing(assessment_id=assessment_id)
        )
        with opened as unit:
            assessments = unit.assessments
            head, framework, scheme, whole = self._editable(assessments, assessment_id)
            repo = unit.answers
            stored: dict[str, Answer | None] = {}  # as in the database before this batch
            current: dict[str, Answer] = {}  # with the rows so far applied
            versions: dict[str, Any] = {}  # each answer's stored version
            order: list[str] = []
            for label, subcategory, changes in rows:  # every row checked first: no writes
                try:
                    sub = self.resolve_subcategory(framework, subcategory)
                    if sub not in stored:
                        stored[sub] = repo.get(assessment_id, sub)
                        versions[sub] = repo.version(assessment_id, sub)  # read by get
                    base = current.get(sub) or stored[sub] or blank_answer(sub)
                    current[sub] = self._merge(framework, scheme, sub, base, changes, whole)
                except InvalidInput as exc:
                    raise InvalidInput(f"{label}: {exc}") from None
                order.append(sub)
            now = self.ctx.clock()
            for sub in dict.fromkeys(order):
                old = stored[sub]
                new = current[sub]
                diffs = diff_answers(old, new)
                if not diffs:
                    current[sub] = old or new
                    continue
                base_version = (base_versions or {}).get(sub)
                if base_version is not None and base_version < versions[sub].number:
                    self._check_conflicts(
                        sub, old or new, new, diffs, versions[sub], base_version, {}
                    )
                self._check_files_stored(unit, old or blank_answer(sub), new)
                current[sub] = new = new.model_copy(update={"updated_at": now})
                number = versions[sub].number + 1
                fields = {**versions[sub].fields, **{f: number for f, _o, _n in diffs}}
                repo.put(assessment_id, new, AnswerVersion(number, fields))
                head = self._append_history(unit, assessment_id, sub, diffs, now, head, source)
                head = _moved_by_edit(unit, assessment_id, sub, head, self.ctx.actor, now)
            if also is not None:
                head = also(unit, head, now)
            assessments.touch(assessment_id, now)
        return [current[sub] for sub in order]

    def _editable(
        self, assessments: AssessmentSaves, assessment_id: int
    ) -> tuple[tuple[int, str] | None, Framework, RatingScheme, Callable[[], Framework]]:
        """In a save's transaction: the head of the assessment's history chain (None: empty),
        the outline of its framework (``Catalog.outline``), its rating scheme and a function
        that returns the whole framework. Raises NotFound or AssessmentLocked."""
        found = assessments.get_with_history_head(assessment_id)
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        assessment, head = found
        self.assessments.ensure_editable(assessment)
        return (
            head,
            self.assessments.outline_for(assessment),
            self.assessments.scheme_for(assessment),
            lambda: self.assessments.framework_for(assessment),
        )

    def _check_files_stored(self, unit: StoreSaving, base: Answer, new: Answer) -> None:
        """A newly cited file must be in the store. Checked in the save's transaction
        (``unit``) with the store's hold on the file, which the evidence clean-up waits
        for, so a file cannot be removed between this check and the commit (see
        app.services.evidence)."""
        before = {e.sha256 for e in base.evidence}
        cited = [item for item in new.evidence if item.sha256 and item.sha256 not in before]
        if not cited:
            return  # the usual save: no store opened (nor its module imported)
        store = self.ctx.evidence
        for item in cited:
            if not store.hold(unit.connection, item.sha256):
                raise StorageError(
                    f"{item.file_name or item.title}: the file is no longer in the evidence store "
                    "(removed as unused meanwhile); attach it again"
                )

    @staticmethod
    def _merge(
        framework: Framework,
        scheme: RatingScheme,
        sub: str,
        base: Answer,
        changes: dict[str, Any],
        whole: Callable[[], Framework] | None = None,
    ) -> Answer:
        """``base`` (as stored, so valid) with ``changes`` applied, checked by every rule.

        Only the changed fields go through field validation (the stored ones passed it when they
        were saved), which keeps a save from re-checking every character of long notes.
        ``framework``: the whole framework, or its outline (``Catalog.outline``) with ``whole``
        returning the whole one, which an answer with actions in place is checked against (its
        Playbook actions, its profiles' actions).
        """
        try:
            update = validated_changes(sub, changes)
        except ValidationError as exc:
            raise InvalidInput(f"{sub}: {describe_validation_error(exc)}") from exc
        update.update(consequences(changes))
        merged = base.model_copy(update=update)
        if whole is not None and (merged.actions_in_place or merged.genai_actions_in_place):
            framework = whole()
        try:
            return validate_answer(framework, scheme, merged)
        except InvalidAnswer as exc:
            raise InvalidInput(f"{sub}: {exc}") from exc

    def _append_history(
        self,
        unit: StoreSaving,
        assessment_id: int,
        sub: str,
        diffs: list[tuple[str, str, str]],
        now: Any,
        head: tuple[int, str] | None,
        source: str = "",
    ) -> tuple[int, str]:
        """Chain entries for ``diffs`` after ``head`` (seq, hash of the last entry; read in
        this same write transaction). Returns the new head. ``source``: a file the changes
        came from, named after the actor."""
        # The field names and the texts come from the validated answers, so long notes are
        # not scanned again for each entry (new_entries checks the subcategory, actor, time).
        # Compact: only the new text is stored (the old one is the previous entry's new text).
        actor = self.ctx.actor
        if source:
            actor = f"{actor} (from {source})"
            if len(actor) > NAME_MAX:  # a long file name is shortened, the actor kept whole
                actor = actor[: NAME_MAX - 2] + "…)"
        entries = new_entries(sub, actor, now, [(f, n) for f, _o, n in diffs])
        prev, seq = (head[1], head[0] + 1) if head else (GENESIS, 1)
        chained = chain(entries, prev, seq)
        unit.history.append(assessment_id, chained)
        return chained[-1].seq, chained[-1].entry_hash

    def tick_actions(
        self, assessment_id: int, subcategory: str, ticked: Mapping[int, bool]
    ) -> Answer:
        """Mark suggested actions (index -> in place or not) on the list as stored now.

        Only the actions named change: one another program ticked meanwhile stays ticked.
        Raises InvalidInput for an index outside the subcategory's suggested actions.
        """

        def ticking(current: Answer) -> dict[str, Any]:  # the list as stored, under the lock
            in_place = set(current.actions_in_place)
            in_place |= {i for i, on in ticked.items() if on}
            in_place -= {i for i, on in ticked.items() if not on}
            return {"actions_in_place": sorted(in_place)}

        return self._record(assessment_id, subcategory, {}, ticking)

    def tick_genai_actions(
        self, assessment_id: int, subcategory: str, ticked: Mapping[str, bool]
    ) -> Answer:
        """Mark AI 600-1 actions (stable action id -> in place or not) on the list as stored
        now, as ``tick_actions`` does for the Playbook's. Raises InvalidInput for an id that
        is not an AI 600-1 action of the subcategory (nothing written)."""

        def ticking(current: Answer) -> dict[str, Any]:  # the list as stored, under the lock
            in_place = set(current.genai_actions_in_place)
            in_place |= {a for a, on in ticked.items() if on}
            in_place -= {a for a, on in ticked.items() if not on}
            return {"genai_actions_in_place": sorted(in_place)}

        return self._record(assessment_id, subcategory, {}, ticking)

    # -- evidence -----------------------------------------------------------------------------
    def add_link(
        self,
        assessment_id: int,
        subcategory: str,
        title: str,
        url: str,
        *,
        as_of: dt.date | str | None = None,
        valid_until: dt.date | str | None = None,
    ) -> Answer:
        """Cite a link; a blank ``title`` is the link itself. ``as_of``/``valid_until``: the
        evidence dates (a date, ``YYYY-MM-DD`` text or None). Raises InvalidInput for a text
        that is not a link, a bad date, or a link the answer cites already (nothing written)."""
        url = url.strip()
        if not URL_RE.match(url):
            raise InvalidInput(f"{url!r} is not a link: start it with https://, http:// or file://")
        item = _evidence_item(
            title=title.strip() or url,
            url=url,
            added_at=self.ctx.clock(),
            as_of=as_of,
            valid_until=valid_until,
        )
        return self._record(assessment_id, subcategory, {}, _appending(item))

    def attach_file(
        self,
        assessment_id: int,
        subcategory: str,
        source: Path,
        title: str = "",
        *,
        as_of: dt.date | str | None = None,
        valid_until: dt.date | str | None = None,
    ) -> Answer:
        """Copy a file into the managed store (hashing it) and cite it. Slow: not on a UI thread."""
        return self.attach_files(
            assessment_id, subcategory, [source], title, as_of=as_of, valid_until=valid_until
        )

    def attach_files(
        self,
        assessment_id: int,
        subcategory: str,
        sources: Sequence[Path],
        title: str = "",
        *,
        as_of: dt.date | str | None = None,
        valid_until: dt.date | str | None = None,
    ) -> Answer:
        """Copy several files into the managed store and cite them all in one save (one history
        entry): all of them or none. ``title`` names a single file (several are titled by their
        names); the dates apply to each. Slow: not on a UI thread. Raises InvalidInput (a file
        missing, too large, given twice or cited already; a bad date) or StorageError; files
        copied before a failure and cited by nothing are removed again."""
        self.get(assessment_id, subcategory)  # an unknown assessment or subcategory: no copy
        self.assessments.ensure_editable(self.assessments.get(assessment_id))
        if not sources:
            raise InvalidInput("no file to attach")
        # The dates are checked before any copy: a bad date copies nothing.
        _evidence_item(title="dates", as_of=as_of, valid_until=valid_until)
        now = self.ctx.clock()
        items: list[EvidenceItem] = []
        copied: dict[str, tuple[str, int]] = {}
        try:
            for raw in sources:
                source = Path(raw)
                sha, size = self._copy_in(source)
                if sha in copied:
                    raise InvalidInput(
                        f"{source}: the same file is given twice (the same content as "
                        f"{copied[sha][0]})"
                    )
                copied[sha] = (source.name, size)
                item = _evidence_item(
                    title=(title.strip() if len(sources) == 1 else "") or source.name,
                    file_name=source.name,
                    sha256=sha,
                    size=size,
                    added_at=now,
                    as_of=as_of,
                    valid_until=valid_until,
                )
                items.append(item)
            return self._record(assessment_id, subcategory, {}, _appending(*items))
        except BaseException:
            if copied:  # a file this save would have cited and nothing else cites
                # The first error is the one to report; a failed clean-up leaves an orphan
                # that the daily clean-up removes.
                with contextlib.suppress(StorageError, DatabaseError):
                    from app.services.evidence import EvidenceService

                    EvidenceService(self.ctx).clean(copied)
            raise

    def _copy_in(self, source: Path) -> tuple[str, int]:
        """Copy one file into the evidence store: (sha256, size in bytes)."""
        try:
            if not source.is_file():
                raise InvalidInput(f"{source}: no such file")
            if source.stat().st_size > MAX_EVIDENCE_BYTES:
                raise InvalidInput(
                    f"{source}: the file is larger than {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB, "
                    "the limit for one evidence file; cite it by link instead"
                )
            return self.ctx.evidence.add_file(source, max_bytes=MAX_EVIDENCE_BYTES)
        except (OSError, DatabaseError) as exc:
            raise StorageError(
                f"{source}: cannot be copied into the evidence store: {exc}"
            ) from exc
        except ValueError as exc:  # grew past the limit while being copied
            raise InvalidInput(f"{source}: {exc}") from exc

    def update_evidence_dates(
        self,
        assessment_id: int,
        subcategory: str,
        index: int,
        *,
        as_of: Any = KEEP,
        valid_until: Any = KEEP,
        expected: EvidenceItem | None = None,
    ) -> Answer:
        """Set or clear (None or "") the as-of and valid-until dates of one evidence item of
        the answer as stored when the save runs; ``KEEP`` leaves a date as it is. ``index``
        counts from 0; with ``expected`` (the item the user saw) that item is changed wherever
        it now is. One history entry (the evidence field). Raises InvalidInput for a bad date,
        valid until before as of, or no such item (nothing written)."""
        changes = {
            name: value
            for name, value in (("as_of", as_of), ("valid_until", valid_until))
            if value is not KEEP
        }

        def dated(current: Answer) -> dict[str, Any]:
            at = _find_item(current, index, expected)
            old = current.evidence[at]
            try:
                new = EvidenceItem.model_validate(
                    {
                        **old.model_dump(),
                        "as_of": old.as_of,
                        "valid_until": old.valid_until,
                        **changes,
                    }
                )
            except ValidationError as exc:
                raise InvalidInput(
                    f"{current.subcategory_id}: evidence {at + 1}: {describe_validation_error(exc)}"
                ) from exc
            return {"evidence": [new if i == at else e for i, e in enumerate(current.evidence)]}

        return self._record(assessment_id, subcategory, {}, dated)

    def remove_evidence(
        self,
        assessment_id: int,
        subcategory: str,
        index: int,
        expected: EvidenceItem | None = None,
        *,
        keep_file: bool = False,
    ) -> Answer:
        """Stop citing one evidence item of the answer as stored when the save runs (read in the
        save's transaction); the others are kept.

        ``index`` counts from 0. With ``expected`` (the item the user saw), that item is
        removed wherever it now is, so that items another program added or removed meanwhile
        are untouched. A stored file nothing cites any more is removed after the commit,
        unless ``keep_file`` (the window keeps it while Undo can cite it again; the daily
        clean-up removes it later). Raises InvalidInput when there is no such item (nothing
        written).
        """
        gone: list[EvidenceItem] = []

        def without(current: Answer) -> dict[str, Any]:
            at = _find_item(current, index, expected)
            gone.append(current.evidence[at])
            return {"evidence": [e for i, e in enumerate(current.evidence) if i != at]}

        answer = self._record(assessment_id, subcategory, {}, without)
        item = gone[-1]
        if item.sha256 and not keep_file:  # after the commit; a file cited elsewhere stays
            from app.services.evidence import EvidenceService

            EvidenceService(self.ctx).clean({item.sha256: (item.file_name, item.size)})
        return answer

    def evidence_file(self, item: EvidenceItem) -> tuple[Path | None, str]:
        """Where a stored file is (None when the store is the database: open a copy with
        ``EvidenceService.viewing_copy``), and its integrity: "ok", "missing" or "changed"
        (re-hashed). Raises StorageError."""
        from app.persistence.evidence_store import EvidenceStore

        store = self.ctx.evidence
        try:
            state = store.check(item.sha256)
        except (OSError, DatabaseError) as exc:
            raise StorageError(f"{item.file_name}: cannot be checked: {exc}") from exc
        return (store.path_for(item.sha256) if isinstance(store, EvidenceStore) else None), state

    # -- history ------------------------------------------------------------------------------
    def history(self, assessment_id: int, subcategory: str | None = None) -> list[HistoryEntry]:
        """The history in chain order, each entry with its old value (derived for compact
        entries from the previous entry of the same field), for display and ``--json``."""
        assessment = self.assessments.get(assessment_id)
        sub = None
        if subcategory is not None:
            sub = self.resolve_subcategory(self.assessments.outline_for(assessment), subcategory)
        with self.ctx.reading() as unit:
            return with_old_values(unit.history.list(assessment_id, sub))

    def verify_history(self, assessment_id: int) -> HistoryEntry | None:
        """The first broken entry of the assessment's history chain, or None if it verifies
        (links and hashes only; ``check_history`` also finds deleted entries and edits)."""
        self.assessments.get(assessment_id)  # NotFound
        with self.ctx.reading() as unit:
            return first_broken(unit.history.list(assessment_id))

    def check_history(self, assessment_id: int) -> HistoryCheck:
        """The whole history check: chain links and hashes, the chain's end against the head
        stored with the assessment (deleted newest entries), and a replay of the history
        against the stored answers (answers edited outside the app). Read in one transaction.
        Raises NotFound."""
        # Imported here: the integrity checks (and the export model they read) are no part
        # of a save, which a script runs once per process.
        from app.services.integrity import IntegrityService

        return IntegrityService(self.ctx).check_history(assessment_id)


def _evidence_item(**values: Any) -> EvidenceItem:
    """An evidence item checked by the field rules (title and link lengths, characters)."""
    try:
        return EvidenceItem(**values)
    except ValidationError as exc:
        raise InvalidInput(f"evidence: {describe_validation_error(exc)}") from exc


def _appending(*items: EvidenceItem) -> Callable[[Answer], dict[str, Any]]:
    """An edit that adds ``items`` after the evidence the answer cites when the save runs;
    a link or a file the answer cites already is refused (InvalidInput)."""

    def append(current: Answer) -> dict[str, Any]:
        for item in items:
            _refuse_duplicate(current.subcategory_id, current.evidence, item)
        return {"evidence": [*current.evidence, *items]}

    return append


def _refuse_duplicate(sub: str, cited: Sequence[EvidenceItem], item: EvidenceItem) -> None:
    """Raise InvalidInput when ``cited`` has ``item``'s link (the same URL) or file (the same
    content) already, naming the item cited."""
    for e in cited:
        if item.url and e.url == item.url:
            titled = "" if e.untitled else f" (“{e.title}”)"  # an untitled link named once
            raise InvalidInput(f"{sub} cites the link {item.url} already{titled}")
        if item.sha256 and e.sha256 == item.sha256:
            raise InvalidInput(
                f"{sub} cites this file already (“{e.title}”, the same content as {item.file_name})"
            )


def _find_item(current: Answer, index: int, expected: EvidenceItem | None) -> int:
    """Where the item to change is in the answer as stored: ``expected`` wherever it now is,
    else position ``index`` (from 0). Raises InvalidInput when it is not there."""
    at = index
    if expected is not None:
        at = next((i for i, e in enumerate(current.evidence) if e == expected), -1)
        if at < 0:
            raise InvalidInput(
                f"{current.subcategory_id}: “{expected.title}” is no longer in its evidence"
            )
    if not 0 <= at < len(current.evidence):
        raise InvalidInput(f"{current.subcategory_id} has no evidence item {at + 1}")
    return at


def _moved_by_edit(
    unit: StoreSaving, assessment_id: int, sub: str, head: tuple[int, str], actor: str, now: Any
) -> tuple[int, str]:
    """``services.review.moved_by_edit``, imported only when the edit moves the answer's
    review state (an answer ready for review or reviewed): the usual save, of a draft, needs
    none of the review models (a command-line process then defines none)."""
    stored = unit.answers.review_state(assessment_id, sub)
    if not edit_moves(stored):
        return head
    from app.services.review import moved_by_edit

    return moved_by_edit(unit, assessment_id, sub, head, actor, now, stored=stored)
