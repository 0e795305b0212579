"""Filters of the assessment-wide history view: by person, local date range, field kind and
subcategory; and the field kinds, read from what the history contains (no Qt: runs on a
worker thread for long histories).

A *field kind* groups entries whose field names differ only in an id: ``action:<uid>:status``
of every action is the kind ``action:status``; other fields (``notes``, ``system:risk_tier``,
``review``) are their own kind. New entry kinds added by other features are filterable without
any change here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.actions import HISTORY_PREFIX as ACTION_PREFIX
from app.domain.assessment import HistoryEntry
from app.domain.days import local_day
from app.domain.history import ASSESSMENT_EVENT
from app.services.actions import SHORT_ID
from app.services.assessment_edit import DETAIL_LABELS, SYSTEM_PREFIX, field_label

ANSWER_FIELD_LABELS = {
    "metrics": "Rating (metrics)",
    "level": "Level",
    "not_applicable": "Not applicable",
    "na_rationale": "N/A rationale",
    "target": "Target",
    "notes": "Notes",
    "evidence_status": "Evidence status",
    "evidence": "Evidence",
    "actions_in_place": "Playbook actions in place",
    "genai_actions_in_place": "AI 600-1 actions in place",
    "owner": "Owner",
    "due_date": "Due date",
    "flagged": "Flagged",
    "carried_over": "Not yet reviewed",
    "status": "Assessment status",
    "review": "Review state",
    "review_comment": "Review comment",
    "four_eyes": "Four-eyes rule",
    "signoff_assessor": "Sign-off: assessor",
    "signoff_reviewer": "Sign-off: reviewer",
}


def field_kind(field: str) -> str:
    """The kind of a history field: ``a:<id>:b`` -> ``a:b`` (ids left out), else the field."""
    parts = field.split(":")
    if len(parts) >= 3:
        return f"{parts[0]}:{parts[-1]}"
    return field


def _words(name: str) -> str:
    text = name.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def kind_label(kind: str) -> str:
    """How a person reads a field kind: the known names, else its words ("action:status" ->
    "Action: status")."""
    if kind in ANSWER_FIELD_LABELS:
        return ANSWER_FIELD_LABELS[kind]
    if kind in DETAIL_LABELS or kind.startswith(SYSTEM_PREFIX):
        return field_label(kind)
    head, sep, tail = kind.partition(":")
    return f"{_words(head)}: {tail.replace('_', ' ')}" if sep else _words(kind)


def entry_field_label(field: str) -> str:
    """The label of one entry's field: its kind's label, and for a remediation action's field
    the action's short id as the Actions view and ``airmf action list`` print it
    (``action:<uid>:status`` -> "Action 3f9a0c12: status"), so that the changes of two actions
    of one subcategory are told apart."""
    label = kind_label(field_kind(field))
    parts = field.split(":")
    if len(parts) >= 3 and f"{parts[0]}:" == ACTION_PREFIX and parts[1]:
        head, sep, tail = label.partition(":")
        return f"{head} {parts[1][:SHORT_ID]}{sep}{tail}"
    return label


@dataclass(frozen=True)
class HistoryFilter:
    """What to show; None (or empty) means any. ``since``/``until``: local calendar days,
    both included. ``subcategory``: an id, or ``ASSESSMENT_EVENT`` for the whole-assessment
    entries."""

    actor: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    kind: str | None = None
    subcategory: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == HistoryFilter()

    def matches(self, entry: HistoryEntry) -> bool:
        if self.actor is not None and entry.actor != self.actor:
            return False
        if self.subcategory is not None and entry.subcategory_id != self.subcategory:
            return False
        if self.kind is not None and field_kind(entry.field) != self.kind:
            return False
        if self.since is not None or self.until is not None:
            day = local_day(entry.at)
            if self.since is not None and day < self.since:
                return False
            if self.until is not None and day > self.until:
                return False
        return True


def apply_filter(entries: Sequence[HistoryEntry], wanted: HistoryFilter) -> list[HistoryEntry]:
    """The entries that match, in chain order."""
    if wanted.is_empty:
        return list(entries)
    return [e for e in entries if wanted.matches(e)]


@dataclass(frozen=True)
class FilterChoices:
    """What the filters offer, read from a history: people (sorted), field kinds (label,
    kind; sorted by label), subcategories (ids in natural order, the whole assessment
    first when present) and the range of local days."""

    actors: tuple[str, ...]
    kinds: tuple[tuple[str, str], ...]
    subcategories: tuple[str, ...]
    first_day: dt.date | None
    last_day: dt.date | None


def _natural(sub: str) -> tuple[object, ...]:
    head, _, number = sub.partition(" ")
    try:
        return (0 if sub == ASSESSMENT_EVENT else 1, head, *(int(p) for p in number.split(".")))
    except ValueError:
        return (1, head, 0, 0, sub)


def choices(entries: Iterable[HistoryEntry]) -> FilterChoices:
    """The filter choices present in ``entries``."""
    actors: set[str] = set()
    kinds: set[str] = set()
    subs: set[str] = set()
    first = last = None
    for e in entries:
        actors.add(e.actor)
        kinds.add(field_kind(e.field))
        subs.add(e.subcategory_id)
        day = local_day(e.at)
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    return FilterChoices(
        actors=tuple(sorted(actors, key=str.casefold)),
        kinds=tuple(sorted(((kind_label(k), k) for k in kinds), key=lambda p: p[0].casefold())),
        subcategories=tuple(sorted(subs, key=_natural)),
        first_day=first,
        last_day=last,
    )
