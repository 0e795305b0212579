"""The report fingerprint: one SHA-256 over everything a report's conclusions rest on, computed
from the assessment's native JSON export (the file embedded in the PDF), and the list of what
differs between two such exports.

Recipe (version 2), stated in the report's Method section so that anyone can recompute it:

1. Read the export document (JSON). Keep these parts, each only when present and not empty:
   ``assessment`` (its metadata, scheme, default target, profiles, status, the AI-system
   profile, the sign-off roles and the four-eyes setting) without ``updated_at``; ``answers``
   (ratings, targets, notes, evidence with each file's SHA-256 and its as-of and valid-until
   days, ...) sorted by ``subcategory_id``, each without ``updated_at`` and each evidence item
   without ``added_at``; ``actions`` (the remediation actions) sorted by ``uid``, each without
   ``updated_at``; ``reviews`` (the answers' review states) sorted by ``subcategory_id``;
   ``review_comments`` sorted by ``subcategory_id``, then ``at``, then ``author``, then
   ``text``; and ``history`` replaced by its head, ``{"count": number of entries, "head":
   entry_hash of the last entry}`` (64 zeros when empty; kept even when the history is).
2. Add ``"recipe": "airmf-report-fingerprint/2"``.
3. Serialize as JSON with keys sorted, no whitespace (separators "," and ":"), non-ASCII
   characters as they are, encoded UTF-8; the fingerprint is the SHA-256 of those bytes, in
   lowercase hex.

Version 1 (reports made before the parts ``actions``, ``reviews`` and ``review_comments``
were added) is the same recipe with only ``assessment``, ``answers`` and ``history`` and
``"recipe": "airmf-report-fingerprint/1"``; ``recipe_of`` finds which one a report used, so
``airmf verify --report`` still checks such a report. A new kind of record in the export is
covered by adding one ``Part`` line to ``PARTS`` and a new recipe version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Version 2 (issue 15): the parts ``actions``, ``reviews`` and ``review_comments`` added. The
# version is in the hashed content, so a fingerprint names the recipe that gives it.
RECIPE = "airmf-report-fingerprint/2"
RECIPE_V1 = "airmf-report-fingerprint/1"
# The name of the export embedded in the PDF, and the keyword that carries the fingerprint in
# the PDF's metadata: what ``airmf verify --report`` looks for.
EXPORT_ATTACHMENT = "assessment-export.json"
FINGERPRINT_KEYWORD = "airmf-report-fingerprint:"
GENESIS_HEAD = "0" * 64
# Keys left out at any depth of a part: when a record was last saved or added is not what a
# conclusion rests on, and re-saving a record unchanged must not change the fingerprint.
_TIMESTAMPS = ("updated_at", "added_at")

Json = Any  # a value parsed from JSON: dict, list, str, int, float, bool or None


def _without(value: Json, keys: Sequence[str]) -> Json:
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


def _record(value: Json) -> Json:
    """A record (or mapping of records) without its timestamps."""
    return _without(value, _TIMESTAMPS)


def _sorted_records(value: Json, *keys: str) -> Json:
    """A list of records, timestamps left out, sorted by ``keys`` and then by the record's own
    canonical text, so that the export's order does not count."""
    rows = [_record(v) for v in value or []]

    def key(row: Json) -> tuple[object, ...]:
        fields = tuple(str(row.get(k, "")) if isinstance(row, dict) else "" for k in keys)
        return (*fields, canonical(row))

    return sorted(rows, key=key)


def _records(value: Json) -> Json:
    """Answers (and records of that shape): in order of ``subcategory_id``, then ``id``."""
    return _sorted_records(value, "subcategory_id", "id")


def _actions(value: Json) -> Json:
    """Remediation actions: in order of their ``uid``."""
    return _sorted_records(value, "uid")


def _comments(value: Json) -> Json:
    """Review comments: per subcategory, in time order (several per subcategory)."""
    return _sorted_records(value, "subcategory_id", "at", "author", "text")


def _history_head(value: Json) -> Json:
    """The chain head of a history list: its length and the last entry's hash."""
    entries = value or []
    last = entries[-1].get("entry_hash", "") if entries else ""
    return {"count": len(entries), "head": last or GENESIS_HEAD}


@dataclass(frozen=True)
class Part:
    """One top-level key of the export document and how it enters the fingerprint."""

    key: str
    content: Callable[[Json], Json]
    # How a difference in this part is described: "assessment" fields, "records" by id, "head".
    kind: str = "records"
    # The fields that name one record of the part in a difference ("records" parts).
    ids: tuple[str, ...] = ("subcategory_id",)


PARTS: tuple[Part, ...] = (
    Part("assessment", _record, "fields"),
    Part("answers", _records),
    Part("history", _history_head, "head"),
    Part("actions", _actions, ids=("uid",)),
    Part("reviews", _records, ids=("subcategory_id",)),
    Part("review_comments", _comments, ids=("subcategory_id", "at", "author")),
)
# Each recipe version and its parts (the newest first).
RECIPES: dict[str, tuple[Part, ...]] = {RECIPE: PARTS, RECIPE_V1: PARTS[:3]}


def canonical(value: Json) -> bytes:
    """The canonical JSON bytes of the recipe: sorted keys, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def fingerprint_content(document: Mapping[str, Json], recipe: str = RECIPE) -> dict[str, Json]:
    """What the fingerprint is the hash of, from an export document parsed from JSON.
    ``recipe``: one of ``RECIPES`` (KeyError otherwise)."""
    content: dict[str, Json] = {"recipe": recipe}
    for part in RECIPES[recipe]:
        value = document.get(part.key)
        if value is None or (isinstance(value, (list, dict)) and not value and part.kind != "head"):
            continue
        content[part.key] = part.content(value)
    return content


def report_fingerprint(document: Mapping[str, Json], recipe: str = RECIPE) -> str:
    """SHA-256 (lowercase hex) of ``fingerprint_content(document, recipe)`` in canonical JSON.

    ``document`` is the export document as parsed JSON (``json.loads`` of the export file or
    ``ExportDocument.model_dump(mode="json")``); see the module docstring for the recipe.
    """
    return hashlib.sha256(canonical(fingerprint_content(document, recipe))).hexdigest()


def recipe_of(document: Mapping[str, Json], printed: str) -> str:
    """The recipe version whose fingerprint of ``document`` is ``printed`` (what a report
    states); the current ``RECIPE`` when none gives it (the report was altered)."""
    for recipe in RECIPES:
        if report_fingerprint(document, recipe) == printed:
            return recipe
    return RECIPE


def differences(
    reported: Mapping[str, Json],
    current: Mapping[str, Json],
    *,
    limit: int = 50,
    recipe: str = RECIPE,
) -> list[str]:
    """What differs between the export a report was made from and the current one, one
    sentence each (at most ``limit``, then a count of the rest); empty when their fingerprints
    (by ``recipe``) are equal."""
    old, new = fingerprint_content(reported, recipe), fingerprint_content(current, recipe)
    out: list[str] = []
    for part in RECIPES[recipe]:
        a, b = old.get(part.key), new.get(part.key)
        if a == b:
            continue
        if part.kind == "fields":
            out += _field_changes(part.key, a or {}, b or {})
        elif part.kind == "head":
            out.append(f"{part.key}: the report has {_head(a)}; the assessment now has {_head(b)}")
        else:
            out += _record_changes(part.key, a or [], b or [], part.ids)
    if len(out) > limit:
        rest = len(out) - limit
        out = [*out[:limit], f"… and {rest} more difference{'s' if rest != 1 else ''}"]
    return out


def _head(value: Json) -> str:
    if not value:
        return "no entry"
    n = value["count"]
    return f"{n} entr{'y' if n == 1 else 'ies'}, last hash {value['head']}"


def _short(value: Json, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_changes(key: str, a: Mapping[str, Json], b: Mapping[str, Json]) -> list[str]:
    out = []
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            out.append(
                f"{key} {name}: the report has {_short(a.get(name))}, "
                f"the assessment now has {_short(b.get(name))}"
            )
    return out


def _record_id(record: Json, ids: Sequence[str]) -> str:
    """How a difference names a record: the values of the part's ``ids`` fields."""
    if isinstance(record, dict):
        found = [str(record[k]) for k in ids if k in record]
        if found:
            return " ".join(found)
    return _short(record, 40)


def _record_changes(
    key: str, a: Sequence[Json], b: Sequence[Json], ids: Sequence[str]
) -> list[str]:
    old = {_record_id(r, ids): r for r in a}
    new = {_record_id(r, ids): r for r in b}
    out = []
    for rid in sorted(set(old) | set(new)):
        before, after = old.get(rid), new.get(rid)
        if before == after:
            continue
        if before is None:
            out.append(f"{key} {rid}: added since the report")
        elif after is None:
            out.append(f"{key} {rid}: removed since the report")
        elif isinstance(before, dict) and isinstance(after, dict):
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            out.append(f"{key} {rid}: changed ({', '.join(changed)})")
        else:
            out.append(f"{key} {rid}: changed")
    return out
