"""The report fingerprint: one SHA-256 over everything a report's conclusions rest on, computed
from the assessment's native JSON export (the file embedded in the PDF), and the list of what
differs between two such exports.

Recipe (version 1), stated in the report's Method section so that anyone can recompute it:

1. Read the export document (JSON). Keep these parts, each only when present and not empty:
   ``assessment`` (its metadata, scheme, default target, profiles, status and sign-off) without
   ``updated_at``; ``answers`` (ratings, targets, notes, evidence with each file's SHA-256, ...)
   sorted by ``subcategory_id``, each without ``updated_at`` and each evidence item without
   ``added_at``; and ``history`` replaced by its head, ``{"count": number of entries, "head":
   entry_hash of the last entry}`` (64 zeros when empty; kept even when the history is).
2. Add ``"recipe": "airmf-report-fingerprint/1"``.
3. Serialize as JSON with keys sorted, no whitespace (separators "," and ":"), non-ASCII
   characters as they are, encoded UTF-8; the fingerprint is the SHA-256 of those bytes, in
   lowercase hex.

A new kind of record in the export (e.g. remediation actions, reviews) is covered by adding one
``Part`` line to ``PARTS``; a part absent or empty in an export adds nothing, so the
fingerprints of earlier reports stay the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

RECIPE = "airmf-report-fingerprint/1"
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


def _records(value: Json) -> Json:
    """A list of records, timestamps left out, in a stable order (by ``subcategory_id``, then
    ``id``, then the record's own canonical text), so that the export's order does not count."""
    rows = [_record(v) for v in value or []]
    return sorted(
        rows,
        key=lambda r: (
            str(r.get("subcategory_id", "")) if isinstance(r, dict) else "",
            str(r.get("id", "")) if isinstance(r, dict) else "",
            canonical(r),
        ),
    )


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


PARTS: tuple[Part, ...] = (
    Part("assessment", _record, "fields"),
    Part("answers", _records),
    Part("history", _history_head, "head"),
    # New record kinds are one line each, e.g. Part("actions", _records),
)


def canonical(value: Json) -> bytes:
    """The canonical JSON bytes of the recipe: sorted keys, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def fingerprint_content(document: Mapping[str, Json]) -> dict[str, Json]:
    """What the fingerprint is the hash of, from an export document parsed from JSON."""
    content: dict[str, Json] = {"recipe": RECIPE}
    for part in PARTS:
        value = document.get(part.key)
        if value is None or (isinstance(value, (list, dict)) and not value and part.kind != "head"):
            continue
        content[part.key] = part.content(value)
    return content


def report_fingerprint(document: Mapping[str, Json]) -> str:
    """SHA-256 (lowercase hex) of ``fingerprint_content(document)`` in canonical JSON.

    ``document`` is the export document as parsed JSON (``json.loads`` of the export file or
    ``ExportDocument.model_dump(mode="json")``); see the module docstring for the recipe.
    """
    return hashlib.sha256(canonical(fingerprint_content(document))).hexdigest()


def differences(
    reported: Mapping[str, Json], current: Mapping[str, Json], *, limit: int = 50
) -> list[str]:
    """What differs between the export a report was made from and the current one, one
    sentence each (at most ``limit``, then a count of the rest); empty when their fingerprints
    are equal."""
    old, new = fingerprint_content(reported), fingerprint_content(current)
    out: list[str] = []
    for part in PARTS:
        a, b = old.get(part.key), new.get(part.key)
        if a == b:
            continue
        if part.kind == "fields":
            out += _field_changes(part.key, a or {}, b or {})
        elif part.kind == "head":
            out.append(f"{part.key}: the report has {_head(a)}; the assessment now has {_head(b)}")
        else:
            out += _record_changes(part.key, a or [], b or [])
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


def _record_id(record: Json) -> str:
    if isinstance(record, dict):
        for key in ("subcategory_id", "id", "uid"):
            if key in record:
                return str(record[key])
    return _short(record, 40)


def _record_changes(key: str, a: Sequence[Json], b: Sequence[Json]) -> list[str]:
    old = {_record_id(r): r for r in a}
    new = {_record_id(r): r for r in b}
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
