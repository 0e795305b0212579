"""The native, versioned export document of one assessment, and its canonical fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.assessment import Answer, AssessmentMeta, HistoryEntry, Status
from app.domain.limits import NAME_MAX, STATEMENT_MAX, check_instant

FORMAT_NAME = "airmf-assessment"
FORMAT_VERSION = 1


class ExportedAssessment(AssessmentMeta):
    uid: str = Field(min_length=1, max_length=64)
    framework_version: str = Field(min_length=1, max_length=50)
    status: Status = Status.DRAFT
    created_at: dt.datetime
    updated_at: dt.datetime
    finalized_by: str = Field(default="", max_length=NAME_MAX)
    finalized_role: str = Field(default="", max_length=NAME_MAX)
    finalized_statement: str = Field(default="", max_length=STATEMENT_MAX)
    finalized_at: dt.datetime | None = None
    fingerprint: str = Field(default="", max_length=64)


class ExportDocument(BaseModel):
    """What ``airmf export --format json`` writes and ``airmf import`` reads."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["airmf-assessment"] = FORMAT_NAME
    format_version: int = Field(default=FORMAT_VERSION, ge=1, le=FORMAT_VERSION, strict=True)
    app_version: str = Field(default="", max_length=50)
    exported_at: dt.datetime
    assessment: ExportedAssessment
    answers: list[Answer] = Field(default_factory=list, max_length=10_000)
    history: list[HistoryEntry] = Field(default_factory=list, max_length=5_000_000)

    @field_validator("exported_at")
    @classmethod
    def _instant(cls, value: dt.datetime) -> dt.datetime:
        return check_instant(value if value.tzinfo else value.replace(tzinfo=dt.UTC))


def canonical_answers(answers: list[Answer]) -> bytes:
    """Canonical JSON of the answers' content (sorted, no timestamps): the fingerprint's input."""
    rows = []
    for answer in sorted(answers, key=lambda a: a.subcategory_id):
        data = answer.model_dump(mode="json", exclude={"updated_at"})
        for item in data["evidence"]:
            item.pop("added_at", None)
        rows.append(data)
    return json.dumps(
        {"format": FORMAT_NAME, "answers": rows},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def fingerprint(answers: list[Answer]) -> str:
    """SHA-256 of the canonical export of an assessment's answers."""
    return hashlib.sha256(canonical_answers(answers)).hexdigest()
