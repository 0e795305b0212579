"""Remediation actions (the plan of action and milestones): the model, its rules, and how its
changes are written into and replayed from the assessment's hash-chained history.

An action belongs to one subcategory of one assessment and has a stable ``uid`` (32 hex
digits, kept when it is carried over to the next cycle and when it is exported). Every change
of an action is one history entry per field, in the same chain as the answers' changes, with
the field named ``action:<uid>:<field>`` (``action:<uid>:removed`` when it is removed). The
subcategory column of the entry is the action's subcategory.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from app.domain.assessment import (
    Answer,
    EvidenceItem,
    HistoryEntry,
    LongText,
    Name,
    _Model,
)
from app.domain.days import is_overdue
from app.domain.history import field_value_text
from app.domain.history_check import ReplayDifference
from app.domain.limits import MAX_EVIDENCE_ITEMS, NAME_MAX, URL_MAX, check_unique

UID_PATTERN = r"^[0-9a-f]{32}$"
MAX_ACTIONS = 500  # actions on one subcategory: far more than any plan needs, bounded for import
HISTORY_PREFIX = "action:"
REMOVED = "removed"  # the history field that records a removal (its new value: the title)
PLAYBOOK_SOURCE = "playbook:"  # source reference of a Playbook suggested action: playbook:<n>
PROFILE_SOURCE = "ai600-1:"  # source reference of an AI 600-1 action: ai600-1:<action id>


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    RISK_ACCEPTED = "risk_accepted"

    @property
    def label(self) -> str:
        """How every surface names the status."""
        return {
            "planned": "Planned",
            "in_progress": "In progress",
            "done": "Done",
            "risk_accepted": "Risk accepted",
        }[self.value]

    @property
    def is_open(self) -> bool:
        """Planned and in-progress actions are open: they can be overdue and carry over."""
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionPriority(enum.StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        """Sort key: high first."""
        return {"high": 0, "medium": 1, "low": 2}[self.value]


class EvidenceRef(_Model):
    """A reference to one evidence item of the action's subcategory, by the fields that make
    an item unique in its answer (title, link, file hash; see ``Answer._unique_evidence``)."""

    title: Name
    url: Annotated[str, StringConstraints(max_length=URL_MAX)] = ""
    sha256: Annotated[str, StringConstraints(pattern=r"^([0-9a-f]{64})?$")] = ""

    @classmethod
    def of(cls, item: EvidenceItem) -> EvidenceRef:
        return cls(title=item.title, url=item.url, sha256=item.sha256)

    def matches(self, item: EvidenceItem) -> bool:
        return (self.title, self.url, self.sha256) == (item.title, item.url, item.sha256)


OwnerLine = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_MAX)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NAME_MAX)]


class RemediationAction(_Model):
    """One planned fix for a subcategory.

    Rules: a title is required; ``risk_accepted`` needs a rationale; ``due_date`` is a local
    calendar day (text as YYYY-MM-DD, the one date rule of ``date_input``); linked evidence
    is listed once each. Raises pydantic.ValidationError.
    """

    uid: Annotated[str, StringConstraints(pattern=UID_PATTERN)]
    subcategory_id: Name
    title: Name
    description: LongText = ""
    owner: OwnerLine = ""
    due_date: dt.date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    rationale: LongText = ""  # why the risk is accepted (required for risk_accepted)
    priority: ActionPriority = ActionPriority.MEDIUM
    notes: LongText = ""  # milestone notes
    evidence: list[EvidenceRef] = Field(default_factory=list, max_length=MAX_EVIDENCE_ITEMS)
    source: Source = ""  # playbook:<n> or ai600-1:<id> when created from a suggestion
    carried_over: bool = False
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    @field_validator("due_date", mode="before")
    @classmethod
    def _due_date_text(cls, value: object) -> object:
        return Answer._due_date_text(value)  # the one due-date rule of answers

    @field_validator("evidence")
    @classmethod
    def _unique_evidence(cls, value: list[EvidenceRef]) -> list[EvidenceRef]:
        check_unique(((e.title, e.url, e.sha256) for e in value), "an evidence item")
        return value

    @field_validator("source")
    @classmethod
    def _source_shape(cls, value: str) -> str:
        if value and not value.startswith((PLAYBOOK_SOURCE, PROFILE_SOURCE)):
            raise ValueError(
                f"{value!r} is not a suggestion reference (playbook:<n> or ai600-1:<action id>)"
            )
        return value

    @model_validator(mode="after")
    def _rationale_for_accepted_risk(self) -> RemediationAction:
        if self.status is ActionStatus.RISK_ACCEPTED and not self.rationale.strip():
            raise ValueError("accepting the risk needs a rationale (why it is accepted)")
        return self

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def is_overdue(self, now: dt.datetime) -> bool:
        """Open and due before the user's local calendar day at ``now`` (see ``days``)."""
        return self.is_open and is_overdue(self.due_date, now)


# The fields a change may touch, in the order of history entries and exports.
ACTION_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "owner",
    "due_date",
    "status",
    "rationale",
    "priority",
    "notes",
    "evidence",
    "source",
    "carried_over",
)


def history_field(uid: str, field: str) -> str:
    """The history field of one action field: ``action:<uid>:<field>``."""
    return f"{HISTORY_PREFIX}{uid}:{field}"


def parse_history_field(field: str) -> tuple[str, str] | None:
    """(uid, field) of an action's history field; None for any other field."""
    if not field.startswith(HISTORY_PREFIX):
        return None
    uid, sep, name = field[len(HISTORY_PREFIX) :].partition(":")
    return (uid, name) if sep else None


def field_text(action: RemediationAction | None, field: str) -> str:
    """A stable text form of one action field, as stored in the history: the same rule as an
    answer field's (``history.field_value_text``: yes/no, ISO dates, enum values, JSON lists)."""
    return field_value_text(action, field)  # type: ignore[arg-type]


def diff_action(old: RemediationAction | None, new: RemediationAction) -> list[tuple[str, str]]:
    """(history field, new text) for each field of ``new`` that differs from ``old`` (None: a
    new action, compared with empty texts, so every set field is recorded, the status too)."""
    out = []
    for field in ACTION_FIELDS:
        after = field_text(new, field)
        before = field_text(old, field) if old is not None else ""
        if before != after and not (old is None and field == "carried_over" and after == "no"):
            out.append((history_field(new.uid, field), after))
    return out


def action_entries(
    old: RemediationAction | None, new: RemediationAction, actor: str, at: dt.datetime
) -> list[HistoryEntry]:
    """Unchained history entries (compact: new value only) for the change ``old`` -> ``new``."""
    template = HistoryEntry(subcategory_id=new.subcategory_id, field="", new="", actor=actor, at=at)
    return [template.model_copy(update={"field": f, "new": n}) for f, n in diff_action(old, new)]


def removal_entry(action: RemediationAction, actor: str, at: dt.datetime) -> HistoryEntry:
    """The unchained history entry that records removing ``action`` (its title as new value)."""
    return HistoryEntry(
        subcategory_id=action.subcategory_id,
        field=history_field(action.uid, REMOVED),
        new=action.title,
        actor=actor,
        at=at,
    )


def replay_actions(entries: Iterable[HistoryEntry]) -> dict[str, dict[str, str]]:
    """What the history says the actions are: uid -> field -> text (plus ``subcategory``),
    for each action not removed. Entries of answers and assessment events are skipped."""
    state: dict[str, dict[str, str]] = {}
    for entry in entries:
        parsed = parse_history_field(entry.field)
        if parsed is None:
            continue
        uid, field = parsed
        if field == REMOVED:
            state.pop(uid, None)
            continue
        state.setdefault(uid, {"subcategory": entry.subcategory_id})[field] = entry.new
    return state


def action_replay_differences(
    entries: Iterable[HistoryEntry], actions: Iterable[RemediationAction]
) -> list[ReplayDifference]:
    """Each stored action (or action field) that is not what the history says: actions
    changed, added or removed outside the app, sorted by uid. Empty when they agree. The
    field of a difference names the action by the start of its uid ("action 3f9a0c12 owner")."""
    expected = replay_actions(entries)
    stored: Mapping[str, RemediationAction] = {a.uid: a for a in actions}
    out = []
    for uid in sorted(set(expected) | set(stored)):
        action, texts = stored.get(uid), expected.get(uid)
        name = f"action {uid[:8]}"
        if action is None:
            assert texts is not None
            title = texts.get("title", "")
            out.append(ReplayDifference(texts["subcategory"], name, title, "(no such action)"))
            continue
        if texts is None:
            sub = action.subcategory_id
            out.append(ReplayDifference(sub, name, "(no such action)", action.title))
            continue
        if texts["subcategory"] != action.subcategory_id:
            out.append(
                ReplayDifference(
                    action.subcategory_id,
                    f"{name} subcategory",
                    texts["subcategory"],
                    action.subcategory_id,
                )
            )
        for field in ACTION_FIELDS:
            want = texts.get(field, "no" if field == "carried_over" else "")
            if field_text(action, field) != want:
                out.append(
                    ReplayDifference(
                        action.subcategory_id, f"{name} {field}", want, field_text(action, field)
                    )
                )
    return out


def summary_counts(actions: Iterable[RemediationAction], now: dt.datetime) -> dict[str, int]:
    """``{"total", "open", "overdue"}`` counts of a list of actions at the instant ``now``."""
    listed = list(actions)
    return {
        "total": len(listed),
        "open": sum(1 for a in listed if a.is_open),
        "overdue": sum(1 for a in listed if a.is_overdue(now)),
    }


def matches(
    action: RemediationAction,
    now: dt.datetime,
    *,
    owner: str | None = None,
    statuses: Iterable[ActionStatus] = (),
    priorities: Iterable[ActionPriority] = (),
    overdue: bool = False,
    function: str | None = None,
    function_of: Mapping[str, str] | None = None,
) -> bool:
    """Whether ``action`` passes every filter given: ``owner`` (case and surrounding spaces
    ignored; "" means no owner), any of ``statuses``/``priorities`` (empty: any), ``overdue``
    (open and due before the local day at ``now``), ``function`` (a function id such as
    "GOVERN", compared with ``function_of[subcategory id]``, case ignored)."""
    if owner is not None and action.owner.strip().casefold() != owner.strip().casefold():
        return False
    wanted_status = set(statuses)
    if wanted_status and action.status not in wanted_status:
        return False
    wanted_priority = set(priorities)
    if wanted_priority and action.priority not in wanted_priority:
        return False
    if overdue and not action.is_overdue(now):
        return False
    if function is not None:
        found = (function_of or {}).get(action.subcategory_id, "")
        if found.casefold() != function.strip().casefold():
            return False
    return True
