"""The answers of the open assessment: as stored, plus changes sent to be saved but not confirmed.

Saves are queued in order on one writer thread. The page computes every new change against
``view()`` (stored values overlaid with pending ones) so that quick successive edits chain
correctly, and a failed save drops only its own pending values, so that the user's input that
is still in the form differs from ``view()`` again and is saved at the next opportunity.
"""

from __future__ import annotations

from typing import Any

from app.domain.answer_rules import RATING_FIELDS, consequences
from app.domain.assessment import ANSWER_FIELDS, Answer

__all__ = ["RATING_FIELDS", "AnswerBook", "changed_fields", "predict", "previous_values"]


def predict(base: Answer, changes: dict[str, Any]) -> Answer:
    """``base`` as the store will leave it after saving ``changes`` (derived fields included).

    The same rules as ``AnswerService.record`` (``domain.answer_rules.consequences``), without
    validation: the store refuses a bad change, and the book then drops it.
    """
    if not changes:
        return base
    return base.model_copy(update={**changes, **consequences(changes)})


class AnswerBook:
    def __init__(
        self, answers: dict[str, Answer] | None = None, versions: dict[str, int] | None = None
    ) -> None:
        self._stored: dict[str, Answer] = dict(answers or {})
        # The version of each answer the window has seen (absent: 0), the base of its next
        # save. Read and moved only by the save jobs on the one writer thread, in queue order,
        # so that a queued save is based on the version its predecessor left.
        self.versions: dict[str, int] = dict(versions or {})
        # Per subcategory, the queued saves in ticket order: (ticket, the fields it sends).
        self._pending: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self._seq = 0
        self._in_flight: set[int] = set()

    def stored(self, subcategory_id: str) -> Answer:
        return self._stored.get(subcategory_id) or Answer(subcategory_id=subcategory_id)

    def stored_answers(self) -> dict[str, Answer]:
        return dict(self._stored)

    def view(self, subcategory_id: str) -> Answer:
        """The answer as it will be once every queued save has landed."""
        answer = self.stored(subcategory_id)
        # Each save in turn, with its own consequences (a later change clears the
        # "carried over" mark an earlier undo put back, as the store will).
        for _, changes in self._pending.get(subcategory_id, ()):
            answer = predict(answer, changes)
        return answer

    def begin(self, subcategory_id: str, changes: dict[str, Any]) -> int:
        """Note ``changes`` as queued; returns the ticket to confirm or fail them with."""
        self._seq += 1
        self._in_flight.add(self._seq)
        self._pending.setdefault(subcategory_id, []).append((self._seq, dict(changes)))
        return self._seq

    def confirm(self, subcategory_id: str, ticket: int, answer: Answer) -> None:
        """A save landed: ``answer`` is what is stored now. Saves land in ticket order."""
        self._stored[subcategory_id] = answer
        self._in_flight.discard(ticket)
        self._drop(subcategory_id, lambda seq: seq <= ticket)

    def replace(self, subcategory_id: str, answer: Answer) -> None:
        """Another writer's answer, as stored now, is what the window shows (a conflict whose
        stored values the user took). Queued saves still overlay it in ``view``."""
        self._stored[subcategory_id] = answer

    def fail(self, subcategory_id: str, ticket: int) -> None:
        self._in_flight.discard(ticket)
        self._drop(subcategory_id, lambda seq: seq == ticket)

    def pending_fields(self, subcategory_id: str) -> set[str]:
        """The fields of the answer that queued saves still send."""
        return {f for _, changes in self._pending.get(subcategory_id, ()) for f in changes}

    def has_pending(self) -> bool:
        """Whether a save is still queued or running."""
        return bool(self._in_flight)

    def _drop(self, subcategory_id: str, settled: Any) -> None:
        pending = [p for p in self._pending.get(subcategory_id, []) if not settled(p[0])]
        if pending:
            self._pending[subcategory_id] = pending
        else:
            self._pending.pop(subcategory_id, None)


def changed_fields(current: Answer, wanted: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``wanted`` that differ from ``current``."""
    return {f: v for f, v in wanted.items() if getattr(current, f) != v}


def previous_values(before: Answer, changes: dict[str, Any]) -> dict[str, Any]:
    """What an undo of ``changes`` must write back: every field the save will touch.

    That is the changed fields and their consequences (a rating cleared by N/A, the "carried
    over" mark cleared by any change), each with its value in ``before``; saving these restores
    ``before`` completely.
    """
    after = predict(before, changes)
    touched = dict.fromkeys(changes)
    touched.update(
        dict.fromkeys(f for f in ANSWER_FIELDS if getattr(after, f) != getattr(before, f))
    )
    return {f: getattr(before, f) for f in touched}
