"""Answer change history: field-by-field diffs and the hash chain that makes it tamper-evident.
Checking a chain against its stored head and replaying it against the stored answers is
``domain.history_check``'s.

Entries are compact: each stores only the field's new value (``old`` is None). The old value is
the previous entry's new value for the same subcategory and field, or the field's initial value
(``with_old_values`` derives it for display). Entries recorded before compaction (schema 0004,
export format 1) also stored the old text; their hash covers it and they are kept as recorded.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Sequence

from app.domain.assessment import ANSWER_FIELDS, Answer, HistoryEntry, blank_answer
from app.domain.limits import NAME_MAX, LimitError, check_instant, plain_text

GENESIS = "0" * 64
# History entries about the whole assessment (sign-off, reopening, edits of its details) use
# this in place of an id; "status" starts as "draft", the edited details store their old text.
ASSESSMENT_EVENT = "ASSESSMENT"
_INITIAL_STATUS = "draft"
_INITIAL_EVENT_TEXTS = {"status": _INITIAL_STATUS, "four_eyes": "required"}
# Review events on a subcategory (domain.review): an answer's review state starts as draft.
_INITIAL_REVIEW_TEXTS = {"review": "draft"}


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


@functools.cache
def _initial_texts() -> dict[str, str]:
    blank = Answer(subcategory_id="GOVERN 1.1")  # the id does not change any field's text
    return {field: field_value_text(blank, field) for field in ANSWER_FIELDS}


def initial_text(subcategory_id: str, field: str) -> str:
    """The text of a field before its first recorded change (an unanswered answer's value)."""
    if subcategory_id == ASSESSMENT_EVENT:
        # Status starts as draft, the four-eyes rule as required; sign-off roles and the
        # assessment's details as nothing (edits of the details store their old text).
        return _INITIAL_EVENT_TEXTS.get(field, "")
    return _INITIAL_REVIEW_TEXTS.get(field) or _initial_texts().get(field, "")


def diff_answers(old: Answer | None, new: Answer) -> list[tuple[str, str, str]]:
    """(field, old text, new text) for each field that changed.

    A new answer is compared with an empty one, so its defaults (not flagged, not N/A) are not
    recorded as changes.
    """
    old = old or blank_answer(new.subcategory_id)
    changes = []
    for field in ANSWER_FIELDS:
        if getattr(old, field) == getattr(new, field):
            continue  # equal values have equal texts (and most fields are unchanged)
        before, after = field_value_text(old, field), field_value_text(new, field)
        if before != after:
            changes.append((field, before, after))
    return changes


def entry_hash(entry: HistoryEntry, prev_hash: str) -> str:
    """SHA-256 over what the entry stores and the previous entry's hash.

    A compact entry (``old`` None) stores no old value, so none is hashed; an entry recorded
    before compaction stored its old text, and its hash covers it (unchanged since then).
    """
    content = {
        "seq": entry.seq,
        "subcategory": entry.subcategory_id,
        "field": entry.field,
        "new": entry.new,
        "actor": entry.actor,
        "at": entry.at.isoformat(),
        "prev": prev_hash,
    }
    if entry.old is not None:
        content["old"] = entry.old
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def new_entries(
    subcategory_id: str, actor: str, at: dt.datetime, changes: Iterable[tuple[str, str]]
) -> list[HistoryEntry]:
    """Unchained entries (``chain`` numbers and hashes them), one per (field, new text) of
    ``changes``, all about ``subcategory_id`` by ``actor`` at ``at``.

    ``subcategory_id``, ``actor`` and ``at`` are checked by HistoryEntry's rules; the field
    names and texts are taken as they are (they come from validated answers or from the
    caller's own constants). When the three values are already what HistoryEntry's validator
    would return (plain text within NAME_MAX characters without control characters, a time
    with its zone inside the instant limits), the entries are built without running the
    validator: a command-line process that records one answer then never builds it. Anything
    else goes through the validator, which raises its ValidationError as before.
    """
    # Once HistoryEntry's validator is built (a long-running window), it is the faster way.
    if not HistoryEntry.__pydantic_complete__ and as_validated(subcategory_id, actor, at):
        return [
            HistoryEntry.model_construct(
                subcategory_id=subcategory_id, field=field, new=new, actor=actor, at=at
            )
            for field, new in changes
        ]
    template = HistoryEntry(subcategory_id=subcategory_id, field="", new="", actor=actor, at=at)
    return [template.model_copy(update={"field": f, "new": n}) for f, n in changes]


def as_validated(subcategory_id: object, actor: object, at: object) -> bool:
    """True when HistoryEntry's validator would take these values and return them unchanged
    (see ``domain.assessment.HistoryEntry``): ``plain_line`` texts, a ``plain_instant``."""
    return plain_line(subcategory_id) and plain_line(actor) and plain_instant(at)


def plain_line(value: object) -> bool:
    """True when the models' rules on a one-line name (``HistoryEntry.actor``,
    ``AnswerReview.actor``) take ``value`` unchanged: a str of at most NAME_MAX characters
    without control characters or lone surrogates (``limits.plain_text``)."""
    return type(value) is str and len(value) <= NAME_MAX and plain_text(value)


def plain_instant(value: object) -> bool:
    """True when the models' rules on an instant take ``value`` unchanged: a datetime with its
    time zone, inside the instant limits (``limits.check_instant``)."""
    if type(value) is not dt.datetime or value.tzinfo is None:
        return False
    try:
        check_instant(value)
    except LimitError:
        return False
    return True


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


def with_old_values(entries: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    """The entries (in chain order) with the old value of each compact entry filled in: the
    previous entry's new value for the same subcategory and field, else the initial value.

    Works on the entries of one subcategory as well as on a whole chain (a field's values
    depend only on its own subcategory's entries).
    """
    last: dict[tuple[str, str], str] = {}
    out = []
    for entry in entries:
        key = (entry.subcategory_id, entry.field)
        if entry.old is None:
            entry = entry.model_copy(
                update={"old": last.get(key, initial_text(entry.subcategory_id, entry.field))}
            )
        last[key] = entry.new
        out.append(entry)
    return out


def signoff_text(signer: str, role: str) -> str:
    """The new value of the status event that finalizing records."""
    return f"finalized by {signer} ({role})"


def signoff_problem(entries: Sequence[HistoryEntry], signer: str, role: str) -> str | None:
    """For a finalized assessment: its history must end with the sign-off event naming this
    signer and role (a finalized assessment takes no other change). None when it does; else
    one sentence saying what the history records instead."""
    last = entries[-1] if entries else None
    expected = signoff_text(signer, role)
    if last is not None and last.subcategory_id == ASSESSMENT_EVENT and last.new == expected:
        return None
    found = (
        "no entry"
        if last is None
        else f"{last.new!r}"
        if last.subcategory_id == ASSESSMENT_EVENT
        else f"a change of {last.subcategory_id} {last.field}"
    )
    return (
        f"the sign-off names {signer} ({role}), but the history ends with {found} rather than "
        "that sign-off"
    )
