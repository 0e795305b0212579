"""Checking an assessment's history: its chain's links and hashes, the chain's end against the
head stored with the assessment (which makes a deleted entry as detectable as an altered one),
and the replay of the history against the stored answers.

Apart from ``domain.history`` (which records entries) so that a process that only records or
scores loads none of these classes (issue 13's command-line budget).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.assessment import ANSWER_FIELDS, Answer, HistoryEntry
from app.domain.history import (
    ASSESSMENT_EVENT,
    GENESIS,
    field_value_text,
    first_broken,
    initial_text,
)


@dataclass(frozen=True)
class ChainHead:
    """The end of a history chain: how many entries it has and the last one's hash
    (GENESIS when empty). Stored with the assessment and covered by its sign-off fingerprint."""

    count: int
    last_hash: str

    @classmethod
    def of(cls, entries: Sequence[HistoryEntry]) -> ChainHead:
        return cls(len(entries), entries[-1].entry_hash) if entries else cls(0, GENESIS)

    def text(self) -> str:
        """How every surface prints a chain head: ``12 entries, last hash <64 hex digits>``."""
        noun = "entry" if self.count == 1 else "entries"
        return f"{self.count} {noun}, last hash {self.last_hash}"


@dataclass(frozen=True)
class ReplayDifference:
    """A stored answer field that is not what its history says it should be."""

    subcategory_id: str
    field: str
    expected: str  # the value the history ends with (or the initial value)
    stored: str

    def text(self) -> str:
        return (
            f"{self.subcategory_id} {self.field}: stored {_short(self.stored)}, "
            f"the history says {_short(self.expected)}"
        )


def _short(text: str, limit: int = 60) -> str:
    if not text:
        return "(empty)"
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def replay_differences(
    entries: Iterable[HistoryEntry], answers: Mapping[str, Answer]
) -> list[ReplayDifference]:
    """Replay the history (each field's last new value) and compare it with the stored answers,
    field by field; a stored answer with no history must hold initial values. Sorted by
    subcategory id and field order."""
    state: dict[tuple[str, str], str] = {}
    for entry in entries:
        if entry.subcategory_id != ASSESSMENT_EVENT:
            state[(entry.subcategory_id, entry.field)] = entry.new
    subcategories = set(answers) | {sub for sub, _ in state}
    out = []
    for sub in sorted(subcategories):
        answer = answers.get(sub)
        for field in ANSWER_FIELDS:
            initial = initial_text(sub, field)
            expected = state.get((sub, field), initial)
            stored = initial if answer is None else field_value_text(answer, field)
            if stored != expected:
                out.append(ReplayDifference(sub, field, expected, stored))
    return out


@dataclass(frozen=True)
class HistoryCheck:
    """The whole check of an assessment's history: the chain links and hashes, its end
    against the stored head (truncation), and the replay against the stored answers."""

    entries: int
    broken: HistoryEntry | None
    stored_head: ChainHead
    actual_head: ChainHead
    differences: tuple[ReplayDifference, ...]

    @property
    def head_matches(self) -> bool:
        return self.stored_head == self.actual_head

    @property
    def ok(self) -> bool:
        return self.broken is None and self.head_matches and not self.differences

    def problems(self) -> list[str]:
        """One sentence per problem found, most fundamental first (empty when ok)."""
        out = []
        if self.broken is not None:
            out.append(
                f"the history is broken at entry {self.broken.seq} "
                f"({self.broken.subcategory_id}, {self.broken.field}): it was altered, removed "
                "or inserted after it was recorded"
            )
        stored, actual = self.stored_head, self.actual_head
        if actual.count < stored.count:
            missing = stored.count - actual.count
            out.append(
                f"the history ends at entry {actual.count}, but {stored.count} were recorded: "
                f"{missing} {'entry was' if missing == 1 else 'entries were'} deleted"
            )
        elif actual.count > stored.count:
            out.append(
                f"the history has {actual.count} entries, but {stored.count} were recorded: "
                "entries were added outside the app"
            )
        elif actual.last_hash != stored.last_hash:
            out.append(
                f"the last history entry is not the one recorded (hash {actual.last_hash}, "
                f"recorded {stored.last_hash})"
            )
        out += [f"{d.text()} (changed outside the app)" for d in self.differences]
        return out


def check_history(
    entries: Sequence[HistoryEntry], stored_head: ChainHead, answers: Mapping[str, Answer]
) -> HistoryCheck:
    """Check a chain (in seq order) against its stored head and the stored answers."""
    return HistoryCheck(
        entries=len(entries),
        broken=first_broken(entries),
        stored_head=stored_head,
        actual_head=ChainHead.of(entries),
        differences=tuple(replay_differences(entries, answers)),
    )
