"""Remediation action use cases: add, change, remove (each recorded in the assessment's
hash-chained history), list with filters, create from a suggestion, carry open actions over.

Every write runs in one transaction serialised with the assessment's other writers; it is
refused (AssessmentLocked) when the assessment is finalized, and checked whole before anything
is written (InvalidInput names the problem; nothing is stored).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.domain.actions import (
    ACTION_FIELDS,
    PLAYBOOK_SOURCE,
    PROFILE_SOURCE,
    ActionPriority,
    ActionStatus,
    EvidenceRef,
    RemediationAction,
    action_entries,
    matches,
    removal_entry,
    summary_counts,
)
from app.domain.assessment import Answer, Assessment, HistoryEntry
from app.domain.framework import Framework
from app.domain.history import GENESIS, chain
from app.domain.limits import NAME_MAX
from app.persistence.action_values import read_unit_actions
from app.persistence.errors import DatabaseError
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import InvalidInput, NotFound, StorageError
from app.services.validation import describe_validation_error

if TYPE_CHECKING:
    from app.persistence.actions import ActionRepository
    from app.persistence.store import StoreWriting


def _refuse_second_open(actions: Sequence[RemediationAction], source: str) -> None:
    """Raise InvalidInput when one of ``actions`` (a subcategory's) made from the suggestion
    ``source`` is still open: a second click on "Create action" plans nothing twice. A done
    or risk-accepted one does not count (the suggestion may be planned anew), and an action
    typed by hand is never refused."""
    for action in actions:
        if action.source == source and action.is_open:
            raise InvalidInput(
                f"{action.subcategory_id} has an open action from this suggestion already: "
                f"{action.uid[:SHORT_ID]} “{action.title}” ({action.status.label.lower()}); "
                "change that one, or add an action of your own"
            )


def _repo(unit: StoreWriting) -> ActionRepository:
    """The unit's action repository, imported on first use: it brings SQLAlchemy, which the
    window's first screen does without."""
    from app.persistence.actions import ActionRepository

    return unit.part(ActionRepository)


# What ``update`` may change (the rest is set by the app: uid, subcategory, times, carried).
EDITABLE = frozenset(ACTION_FIELDS) - {"source", "carried_over"}
SHORT_ID = 8  # hex digits of the uid lists show; any unique prefix of 4 or more is accepted
_MIN_PREFIX = 4


@dataclass(frozen=True)
class ActionFilter:
    """Which actions a list shows (each field None or empty: any). See ``actions.matches``."""

    owner: str | None = None
    statuses: tuple[ActionStatus, ...] = ()
    priorities: tuple[ActionPriority, ...] = ()
    overdue: bool = False
    function: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A suggested action an action can be created from: its reference and verbatim text."""

    source: str
    text: str
    label: str  # how a message names it ("Playbook action 3", "AI 600-1 action GV-1.1-001")


@dataclass
class ListedAction:
    """An action as a list shows it, with what the list derives (function, overdue; ``extra``
    holds "order", the subcategory's position in the framework, for sorting)."""

    action: RemediationAction
    function: str
    overdue: bool
    extra: dict[str, Any] = field(default_factory=dict)


def title_from(text: str) -> str:
    """A title for an action made from a suggestion: its verbatim text, cut at the title limit
    with an ellipsis when longer (the whole text goes into the description)."""
    text = " ".join(text.split())
    return text if len(text) <= NAME_MAX else text[: NAME_MAX - 1].rstrip() + "…"


def _enum(kind: type[ActionStatus] | type[ActionPriority], value: object, what: str) -> Any:
    if isinstance(value, kind):
        return value
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return kind(text)
    except ValueError:
        names = ", ".join(k.value for k in kind)
        raise InvalidInput(f"{what} {str(value)[:40]!r} is not one of: {names}") from None


def parse_status(value: object) -> ActionStatus:
    """A status as typed ("in_progress", "in-progress", "In progress"). Raises InvalidInput."""
    return _enum(ActionStatus, value, "status")  # type: ignore[no-any-return]


def parse_priority(value: object) -> ActionPriority:
    """A priority as typed ("high", "High"). Raises InvalidInput."""
    return _enum(ActionPriority, value, "priority")  # type: ignore[no-any-return]


class ActionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.assessments = AssessmentService(ctx)
        self._answers = AnswerService(ctx)

    # -- reading --------------------------------------------------------------------------------
    def _read(
        self, assessment_id: int, subcategory_id: str | None = None
    ) -> list[RemediationAction]:
        try:
            with self.ctx.reading() as unit:  # SQLite: no SQLAlchemy (the first screen)
                return read_unit_actions(unit, assessment_id, subcategory_id)
        except DatabaseError as exc:
            raise StorageError(str(exc)) from exc

    def list(
        self,
        assessment_id: int,
        subcategory: str | None = None,
        filters: ActionFilter | None = None,
    ) -> list[RemediationAction]:
        """The assessment's actions (of one subcategory, when given) passing ``filters``, in
        order of creation. Raises NotFound, InvalidInput (unknown subcategory or function)."""
        return [x.action for x in self.listed(assessment_id, subcategory, filters)]

    def listed(
        self,
        assessment_id: int,
        subcategory: str | None = None,
        filters: ActionFilter | None = None,
    ) -> list[ListedAction]:
        """``list`` with each action's function id and whether it is overdue now."""
        assessment = self.assessments.get(assessment_id)
        framework = self.assessments.framework_for(assessment)
        sub = None if subcategory is None else self.resolve_subcategory(framework, subcategory)
        function_of = {
            s.id: f.id for f in framework.functions for c in f.categories for s in c.subcategories
        }
        f = filters or ActionFilter()
        if f.function is not None and f.function.strip().casefold() not in {
            x.id.casefold() for x in framework.functions
        }:
            names = ", ".join(x.id for x in framework.functions)
            raise InvalidInput(f"unknown function {f.function!r}: use one of {names}")
        order = {sub_id: i for i, sub_id in enumerate(function_of)}  # framework order
        now = self.ctx.clock()
        return [
            ListedAction(
                a,
                function_of.get(a.subcategory_id, ""),
                a.is_overdue(now),
                {"order": order.get(a.subcategory_id, len(order))},
            )
            for a in self._read(assessment_id, sub)
            if matches(
                a,
                now,
                owner=f.owner,
                statuses=f.statuses,
                priorities=f.priorities,
                overdue=f.overdue,
                function=f.function,
                function_of=function_of,
            )
        ]

    def counts(self, assessment_id: int) -> dict[str, int]:
        """``{"total", "open", "overdue"}`` of the assessment's actions now."""
        return summary_counts(self._read(assessment_id), self.ctx.clock())

    def get(self, assessment_id: int, action_id: str) -> RemediationAction:
        """One action by its uid or a unique prefix of it (4 hex digits or more)."""
        self.assessments.get(assessment_id)
        return self._find(self._read(assessment_id), action_id)

    @staticmethod
    def _find(actions: Sequence[RemediationAction], action_id: str) -> RemediationAction:
        key = action_id.strip().lower()
        exact = [a for a in actions if a.uid == key]
        if exact:
            return exact[0]
        if len(key) < _MIN_PREFIX or any(c not in "0123456789abcdef" for c in key):
            raise InvalidInput(
                f"{action_id[:40]!r} is not an action id: give the id `airmf action list` "
                f"shows ({SHORT_ID} hex digits, e.g. 3f9a0c12)"
            )
        found = [a for a in actions if a.uid.startswith(key)]
        if not found:
            raise NotFound(f"there is no action {action_id!r} in this assessment")
        if len(found) > 1:
            raise InvalidInput(f"{action_id!r} names {len(found)} actions: give more of its id")
        return found[0]

    def resolve_subcategory(self, framework: Framework, text: str) -> str:
        """The official id of a typed subcategory (the answers' rule). Raises InvalidInput."""
        return self._answers.resolve_subcategory(framework, text)

    def suggestion(self, assessment: Assessment, subcategory_id: str, ref: str) -> Suggestion:
        """The suggested action ``ref`` names for the subcategory: ``playbook:<n>`` (the n-th
        Playbook suggested action, from 1) or an AI 600-1 action id (``GV-1.1-001``, also as
        ``ai600-1:GV-1.1-001``) of that subcategory. Raises InvalidInput."""
        framework = self.assessments.framework_for(assessment)
        text = ref.strip()
        if text.lower().startswith(PLAYBOOK_SOURCE):
            number = text[len(PLAYBOOK_SOURCE) :].strip()
            guidance = framework.subcategory(subcategory_id).guidance
            actions = guidance.suggested_actions if guidance else ()
            if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= len(actions):
                raise InvalidInput(
                    f"{ref!r}: {subcategory_id} has {len(actions)} Playbook suggested action(s); "
                    f"give playbook:1 to playbook:{len(actions)}"
                    if actions
                    else f"{ref!r}: the Playbook suggests no actions for {subcategory_id}"
                )
            n = int(number)
            return Suggestion(f"{PLAYBOOK_SOURCE}{n}", actions[n - 1], f"Playbook action {n}")
        action_id = text[len(PROFILE_SOURCE) :] if text.lower().startswith(PROFILE_SOURCE) else text
        for profile in framework.profiles:
            for action in profile.actions_for(subcategory_id):
                if action.id.casefold() == action_id.strip().casefold():
                    return Suggestion(
                        f"{PROFILE_SOURCE}{action.id}", action.text, f"AI 600-1 action {action.id}"
                    )
        raise InvalidInput(
            f"{ref!r} is not a suggested action of {subcategory_id}: give playbook:<n> or the id "
            "of one of its AI 600-1 actions (e.g. GV-1.1-001)"
        )

    # -- writing --------------------------------------------------------------------------------
    def _validated(self, values: dict[str, Any]) -> RemediationAction:
        try:
            return RemediationAction.model_validate(values)
        except ValidationError as exc:
            text = describe_validation_error(exc)
            raise InvalidInput(f"action: {text.removeprefix('value: ')}") from exc

    def _prepare(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Typed values from what a user gave (status and priority as text)."""
        out = dict(changes)
        if "status" in out:
            out["status"] = parse_status(out["status"])
        if "priority" in out:
            out["priority"] = parse_priority(out["priority"])
        for name in ("title", "owner"):
            if isinstance(out.get(name), str):
                out[name] = out[name].strip()
        return out

    def _begin(
        self, unit: StoreWriting, assessment_id: int
    ) -> tuple[Assessment, tuple[int, str] | None]:
        found = unit.assessments.get_with_history_head(assessment_id)
        if found is None:
            raise NotFound(f"there is no assessment with id {assessment_id}")
        assessment, head = found
        self.assessments.ensure_editable(assessment)
        return assessment, head

    def _commit_history(
        self,
        unit: StoreWriting,
        assessment_id: int,
        head: tuple[int, str] | None,
        entries: list[HistoryEntry],
        now: dt.datetime,
    ) -> None:
        if not entries:
            return
        prev, seq = (head[1], head[0] + 1) if head else (GENESIS, 1)
        unit.history.append(assessment_id, chain(entries, prev, seq))
        unit.assessments.touch(assessment_id, now)

    def _check_evidence(
        self,
        unit: StoreWriting,
        assessment_id: int,
        action: RemediationAction,
        before: Sequence[EvidenceRef] = (),
    ) -> None:
        """Newly linked evidence must be items the subcategory's answer cites now (a link to
        an item removed since it was linked is kept as recorded)."""
        if not action.evidence:
            return
        answer: Answer | None = unit.answers.get(assessment_id, action.subcategory_id)
        items = answer.evidence if answer else []
        for ref in action.evidence:
            if ref not in before and not any(ref.matches(item) for item in items):
                raise InvalidInput(
                    f"action: linked evidence “{ref.title}” is not an evidence item of "
                    f"{action.subcategory_id}"
                )

    def evidence_refs(
        self, assessment_id: int, subcategory: str, numbers: Iterable[int]
    ) -> list[EvidenceRef]:
        """References to the subcategory's evidence items numbered ``numbers`` (from 1, as
        ``airmf evidence list`` numbers them). Raises InvalidInput for a number out of range."""
        assessment = self.assessments.get(assessment_id)
        sub = self.resolve_subcategory(self.assessments.framework_for(assessment), subcategory)
        with self.ctx.reading() as unit:
            answer = unit.answers.get(assessment_id, sub)
        items = answer.evidence if answer else []
        refs = []
        for n in numbers:
            if not 1 <= n <= len(items):
                raise InvalidInput(
                    f"{sub} has no evidence item {n}"
                    + (f" (it has {len(items)})" if items else " (it has none)")
                )
            refs.append(EvidenceRef.of(items[n - 1]))
        return refs

    def add(
        self,
        assessment_id: int,
        subcategory: str,
        *,
        title: str = "",
        suggestion: str | None = None,
        **values: Any,
    ) -> RemediationAction:
        """Create an action for one subcategory and record it in the history.

        ``values``: description, owner, due_date (date or YYYY-MM-DD), priority, status,
        rationale, notes, evidence (EvidenceRef list). ``suggestion``: a reference as for
        ``suggestion``; its verbatim text is the title when none is given and the description
        when none is given, and the reference is kept as ``source``. Returns the stored
        action. Raises NotFound, AssessmentLocked, InvalidInput (nothing written).
        """
        unknown = set(values) - (EDITABLE - {"title"})
        if unknown:
            raise InvalidInput(f"unknown action field(s): {', '.join(sorted(unknown))}")
        values = self._prepare(values)
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            assessment, head = self._begin(unit, assessment_id)
            framework = self.assessments.framework_for(assessment)
            sub = self.resolve_subcategory(framework, subcategory)
            source = ""
            title = title.strip()
            repo = _repo(unit)
            if suggestion is not None and suggestion.strip():
                found = self.suggestion(assessment, sub, suggestion)
                source = found.source
                _refuse_second_open(repo.list(assessment_id, sub), source)
                title = title or title_from(found.text)
                if not values.get("description"):
                    values["description"] = found.text
            if not title:
                raise InvalidInput("an action needs a title")
            now = self.ctx.clock()
            uid = uuid.uuid4().hex
            while repo.uid_taken(assessment_id, uid):  # pragma: no cover - 122 random bits
                uid = uuid.uuid4().hex
            action = self._validated(
                {
                    **values,
                    "uid": uid,
                    "subcategory_id": sub,
                    "title": title,
                    "source": source,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            self._check_evidence(unit, assessment_id, action)
            repo.add(assessment_id, action)
            entries = action_entries(None, action, self.ctx.actor, now)
            self._commit_history(unit, assessment_id, head, entries, now)
        return action

    def update(self, assessment_id: int, action_id: str, **changes: Any) -> RemediationAction:
        """Change fields of one action (``EDITABLE``), each changed field one history entry.

        Leaving "risk accepted" clears the rationale only when the change gives one (""), so
        that an accepted risk reopened keeps its earlier reason visible. Returns the stored
        action (unchanged when nothing differs). Raises NotFound, AssessmentLocked,
        InvalidInput (nothing written).
        """
        return self.update_many(assessment_id, [action_id], **changes)[0]

    def update_many(
        self, assessment_id: int, action_ids: Sequence[str], **changes: Any
    ) -> list[RemediationAction]:
        """``update`` of several actions with the same changes (the Actions view's bulk change
        of owner or status), in one transaction: all of them or none."""
        unknown = set(changes) - EDITABLE
        if unknown:
            raise InvalidInput(f"unknown action field(s): {', '.join(sorted(unknown))}")
        if not action_ids:
            return []
        changes = self._prepare(changes)
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            _assessment, head = self._begin(unit, assessment_id)
            repo = _repo(unit)
            actions = repo.list(assessment_id)
            now = self.ctx.clock()
            out, entries = [], []
            for action_id in dict.fromkeys(action_ids):
                old = self._find(actions, action_id)
                data = {**old.model_dump(), **changes, "updated_at": now}
                new = self._validated(data)
                if "evidence" in changes:
                    self._check_evidence(unit, assessment_id, new, old.evidence)
                diff = action_entries(old, new, self.ctx.actor, now)
                if not diff:
                    out.append(old)
                    continue
                repo.put(assessment_id, new)
                entries += diff
                out.append(new)
            self._commit_history(unit, assessment_id, head, entries, now)
        return out

    def remove(self, assessment_id: int, action_id: str) -> RemediationAction:
        """Remove one action; the history records it (and keeps its earlier entries).
        Returns the removed action. Raises NotFound, AssessmentLocked, InvalidInput."""
        with self.ctx.writing(assessment_id=assessment_id) as unit:
            _assessment, head = self._begin(unit, assessment_id)
            repo = _repo(unit)
            action = self._find(repo.list(assessment_id), action_id)
            repo.remove(assessment_id, action.uid)
            now = self.ctx.clock()
            entries = [removal_entry(action, self.ctx.actor, now)]
            self._commit_history(unit, assessment_id, head, entries, now)
        return action

    # -- cycles and imports ------------------------------------------------------------------
    def carry_over(
        self, unit: StoreWriting, source_id: int, target_id: int, now: dt.datetime
    ) -> list[RemediationAction]:
        """In the next cycle's transaction: copy the source's open actions (planned, in
        progress) to ``target_id`` with the same uid, marked carried over and recorded in the
        target's history after what is there. Done and risk-accepted actions stay behind."""
        open_actions = [a for a in _repo(unit).list(source_id) if a.is_open]
        if not open_actions:
            return []
        copies = [
            a.model_copy(update={"carried_over": True, "created_at": now, "updated_at": now})
            for a in open_actions
        ]
        self.store_new(unit, target_id, copies, now)
        return copies

    def copy_all(
        self, unit: StoreWriting, source_id: int, target_id: int, now: dt.datetime
    ) -> list[RemediationAction]:
        """In a duplicate's transaction: copy every action of the source (any status, its
        carried-over mark kept) to ``target_id`` with the same uid, recorded in the target's
        history after what is there, as the copy's own (the current actor, ``now``)."""
        copies = [
            a.model_copy(update={"created_at": now, "updated_at": now})
            for a in _repo(unit).list(source_id)
        ]
        if copies:
            self.store_new(unit, target_id, copies, now)
        return copies

    def store_new(
        self,
        unit: StoreWriting,
        assessment_id: int,
        actions: Sequence[RemediationAction],
        now: dt.datetime,
        *,
        record: bool = True,
    ) -> None:
        """Store actions of a new assessment in the caller's transaction, recorded in its
        history after its stored head (``record=False``: an import, whose history has them)."""
        _repo(unit).add_all(assessment_id, actions)
        if not record:
            return
        found = unit.assessments.get_with_history_head(assessment_id)
        head = None if found is None else found[1]
        entries: list[HistoryEntry] = []
        for action in actions:
            entries += action_entries(None, action, self.ctx.actor, now)
        if entries:
            prev, seq = (head[1], head[0] + 1) if head else (GENESIS, 1)
            unit.history.append(assessment_id, chain(entries, prev, seq))
