"""Answer change history: field-by-field diffs and the hash chain that makes it tamper-evident."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence

from app.domain.assessment import ANSWER_FIELDS, Answer, HistoryEntry

GENESIS = "0" * 64


def field_value_text(answer: Answer | None, field: str) -> str:
    """A stable text form of one answer field, as stored in the history."""
    if answer is None:
        return ""
    value = getattr(answer, field)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else ""
    if isinstance(value, list):
        if not value:
            return ""
        items = [v.model_dump(mode="json") if hasattr(v, "model_dump") else v for v in value]
        return json.dumps(items, sort_keys=True, ensure_ascii=False)
    return str(value.value if hasattr(value, "value") else value)


def diff_answers(old: Answer | None, new: Answer) -> list[tuple[str, str, str]]:
    """(field, old text, new text) for each field that changed.

    A new answer is compared with an empty one, so its defaults (not flagged, not N/A) are not
    recorded as changes.
    """
    old = old or Answer(subcategory_id=new.subcategory_id)
    changes = []
    for field in ANSWER_FIELDS:
        if getattr(old, field) == getattr(new, field):
            continue  # equal values have equal texts (and most fields are unchanged)
        before, after = field_value_text(old, field), field_value_text(new, field)
        if before != after:
            changes.append((field, before, after))
    return changes


def entry_hash(entry: HistoryEntry, prev_hash: str) -> str:
    """SHA-256 over the entry's content and the previous entry's hash."""
    payload = json.dumps(
        {
            "seq": entry.seq,
            "subcategory": entry.subcategory_id,
            "field": entry.field,
            "old": entry.old,
            "new": entry.new,
            "actor": entry.actor,
            "at": entry.at.isoformat(),
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain(entries: Iterable[HistoryEntry], prev_hash: str, first_seq: int) -> list[HistoryEntry]:
    """Number and hash new entries so that they continue a chain ending in ``prev_hash``."""
    out = []
    for seq, entry in enumerate(entries, start=first_seq):
        numbered = entry.model_copy(update={"seq": seq, "prev_hash": prev_hash})
        digest = entry_hash(numbered, prev_hash)
        out.append(numbered.model_copy(update={"entry_hash": digest}))
        prev_hash = digest
    return out


def first_broken(entries: Sequence[HistoryEntry]) -> HistoryEntry | None:
    """The first entry whose hash or link does not verify, or None if the chain is intact."""
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if (
            entry.seq != expected_seq
            or entry.prev_hash != prev
            or entry_hash(entry, prev) != entry.entry_hash
        ):
            return entry
        prev = entry.entry_hash
    return None
