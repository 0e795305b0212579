"""The answers of the open assessment: as stored, plus changes sent to be saved but not confirmed.

Saves are queued in order on one writer thread. The page computes every new change against
``view()`` (stored values overlaid with pending ones) so that quick successive edits chain
correctly, and a failed save drops only its own pending values, so that the user's input that
is still in the form differs from ``view()`` again and is saved at the next opportunity.
"""

from __future__ import annotations

from typing import Any

from app.domain.assessment import Answer

RATING_FIELDS = ("metrics", "level")


class AnswerBook:
    def __init__(self, answers: dict[str, Answer] | None = None) -> None:
        self._stored: dict[str, Answer] = dict(answers or {})
        self._pending: dict[str, dict[str, tuple[int, Any]]] = {}
        self._seq = 0
        self._in_flight: set[int] = set()

    def stored(self, subcategory_id: str) -> Answer:
        return self._stored.get(subcategory_id) or Answer(subcategory_id=subcategory_id)

    def stored_answers(self) -> dict[str, Answer]:
        return dict(self._stored)

    def view(self, subcategory_id: str) -> Answer:
        """The answer as it will be once every queued save has landed."""
        base = self.stored(subcategory_id)
        pending = self._pending.get(subcategory_id)
        if not pending:
            return base
        update = {field: value for field, (_, value) in pending.items()}
        # The same derived rules as AnswerService.record, so that the view matches the result.
        if update.get("not_applicable") is True and not set(RATING_FIELDS) & update.keys():
            update["metrics"], update["level"] = {}, None
        chose_rating = bool(update.get("metrics")) or update.get("level") is not None
        if chose_rating and "not_applicable" not in update:
            update["not_applicable"] = False
        return base.model_copy(update=update)

    def begin(self, subcategory_id: str, changes: dict[str, Any]) -> int:
        """Note ``changes`` as queued; returns the ticket to confirm or fail them with."""
        self._seq += 1
        self._in_flight.add(self._seq)
        pending = self._pending.setdefault(subcategory_id, {})
        for field, value in changes.items():
            pending[field] = (self._seq, value)
        return self._seq

    def confirm(self, subcategory_id: str, ticket: int, answer: Answer) -> None:
        """A save landed: ``answer`` is what is stored now. Saves land in ticket order."""
        self._stored[subcategory_id] = answer
        self._in_flight.discard(ticket)
        self._drop(subcategory_id, lambda seq: seq <= ticket)

    def fail(self, subcategory_id: str, ticket: int) -> None:
        self._in_flight.discard(ticket)
        self._drop(subcategory_id, lambda seq: seq == ticket)

    def has_pending(self) -> bool:
        """Whether a save is still queued or running."""
        return bool(self._in_flight)

    def _drop(self, subcategory_id: str, settled: Any) -> None:
        pending = self._pending.get(subcategory_id, {})
        for field in [f for f, (seq, _) in pending.items() if settled(seq)]:
            del pending[field]
        if not pending:
            self._pending.pop(subcategory_id, None)


def changed_fields(current: Answer, wanted: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``wanted`` that differ from ``current``."""
    return {f: v for f, v in wanted.items() if getattr(current, f) != v}
