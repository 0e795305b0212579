"""Stored rows to domain models, shared by the repositories and the snapshot reader.

No SQLAlchemy here: the first screen reads through ``snapshot`` before SQLAlchemy is loaded.
Rows were validated on the way in (record, import), so models are built without validating
again; values are converted here exactly as validation would.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, TypeVar

from pydantic import BaseModel

from app.domain.assessment import (
    Answer,
    Assessment,
    EvidenceItem,
    EvidenceStatus,
    HistoryEntry,
    Origin,
    ProfileSelection,
    Status,
)

_M = TypeVar("_M", bound=BaseModel)


def trusted(cls: type[_M], values: dict[str, Any]) -> _M:
    """A model from stored values that were validated on the way in, every field given.

    What ``model_construct`` does for such values, without its per-field default and alias
    lookups (a third of the cost of listing 1,600 assessments). Tested to equal it.
    """
    model = cls.__new__(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_set = object.__setattr__


def to_assessment(row: Any, *, raw: bool = False) -> Assessment:
    # Rows were validated on the way in; constructing without re-validation keeps lists of
    # thousands of assessments fast. Types are converted here exactly as validation would.
    # raw: the row holds the stored text (datetimes and JSON unconverted), as the list reads it.
    created, updated, finalized, profiles = (
        row.created_at,
        row.updated_at,
        row.finalized_at,
        row.profiles,
    )
    if raw:
        parse = dt.datetime.fromisoformat
        created, updated = parse(created), parse(updated)  # type: ignore[arg-type]
        finalized = None if finalized is None else parse(finalized)  # type: ignore[arg-type]
        profiles = [] if profiles in (None, "[]") else json.loads(profiles)
    return trusted(
        Assessment,
        {
            "name": row.name,
            "ai_system": row.ai_system,
            "organization": row.organization,
            "scope": row.scope,
            "assessor": row.assessor,
            "framework_id": row.framework_id,
            "scheme_id": row.scheme_id,
            "default_target": row.default_target,
            "profiles": to_profiles(profiles),
            "id": row.id,
            "uid": row.uid,
            "framework_version": row.framework_version,
            "status": Status(row.status),
            "created_at": created,
            "updated_at": updated,
            "last_subcategory": row.last_subcategory,
            "finalized_by": row.finalized_by,
            "finalized_role": row.finalized_role,
            "finalized_statement": row.finalized_statement,
            "finalized_at": finalized,
            "fingerprint": row.fingerprint,
            "previous_id": row.previous_id,
            "history_count": row.history_count,
            "history_head": row.history_head,
            "origin": Origin(row.origin),
            "copy_of": row.copy_of,
        },
    )


def to_profiles(stored: list[dict[str, Any]] | None) -> list[ProfileSelection]:
    return [
        trusted(ProfileSelection, {"profile_id": p["profile_id"], "risks": list(p["risks"])})
        for p in stored or ()
    ]


def to_evidence(
    title: str,
    url: str,
    file_name: str,
    sha256: str,
    size: int,
    added_at: dt.datetime | None,
    as_of: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> EvidenceItem:
    return trusted(
        EvidenceItem,
        {
            "title": title,
            "url": url,
            "file_name": file_name,
            "sha256": sha256,
            "size": size,
            "added_at": added_at,
            "as_of": as_of,
            "valid_until": valid_until,
        },
    )


def to_answer(row: Any, evidence: list[EvidenceItem] | None = None) -> Answer:
    # Validated on the way in (record, import); like to_assessment, built without re-validation
    # (which would re-scan every character of the notes on each read).
    if evidence is None:
        evidence = [
            to_evidence(
                e.title, e.url, e.file_name, e.sha256, e.size, e.added_at, e.as_of, e.valid_until
            )
            for e in row.evidence  # type: ignore[union-attr]
        ]
    return trusted(
        Answer,
        {
            "subcategory_id": row.subcategory_id,
            "metrics": dict(row.metrics or {}),
            "level": row.level,
            "not_applicable": bool(row.not_applicable),
            "na_rationale": row.na_rationale,
            "target": row.target,
            "notes": row.notes,
            "evidence_status": EvidenceStatus(row.evidence_status) if row.evidence_status else None,
            "evidence": evidence,
            "actions_in_place": list(row.actions_in_place or []),
            "genai_actions_in_place": list(getattr(row, "genai_actions_in_place", None) or []),
            "owner": row.owner,
            "due_date": row.due_date,
            "flagged": bool(row.flagged),
            "carried_over": bool(row.carried_over),
            "updated_at": row.updated_at,
        },
    )


def to_entry(row: Any) -> HistoryEntry:
    return HistoryEntry.model_construct(
        seq=row.seq,
        subcategory_id=row.subcategory_id,
        field=row.field,
        old=row.old,
        new=row.new,
        actor=row.actor,
        at=row.at,
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
    )
