"""The native, versioned export document of one assessment, and its canonical fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.actions import RemediationAction
from app.domain.assessment import Answer, AssessmentMeta, HistoryEntry, Status
from app.domain.history_check import ChainHead
from app.domain.limits import NAME_MAX, STATEMENT_MAX, check_instant
from app.domain.review import AnswerReview, ReviewComment, SignOffRole
from app.domain.system_profile import SystemProfile

FORMAT_NAME = "airmf-assessment"
# 2: history entries are compact (no old value) and the assessment carries its chain head.
# 3: optional data of issue 14 (a version-2 file reads as having none): the assessment's
#    AI-system profile, sign-off roles and four-eyes setting; remediation actions; evidence
#    items' ``as_of`` and ``valid_until``; answers' ``genai_actions_in_place``; review states
#    and comment threads.
# 1 is still read: its entries keep their old text, which their hashes cover.
FORMAT_VERSION = 3


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
    # The chain head as stored (format 2); None in format 1, where the history is taken as is.
    history_count: int | None = Field(default=None, ge=0, le=5_000_000)
    history_head: str | None = Field(default=None, pattern="^[0-9a-f]{64}$")
    # Format 3: the AI-system profile (empty in earlier formats).
    system_profile: SystemProfile = Field(default_factory=SystemProfile)
    # Format 3: the sign-off roles (assessor, reviewer, approver; empty in older formats, where
    # finalized_by is the approver) and the four-eyes setting.
    signoff_roles: list[SignOffRole] = Field(default_factory=list, max_length=3)
    four_eyes_relaxed: bool = False


class ExportDocument(BaseModel):
    """What ``airmf export --format json`` writes and ``airmf import`` reads."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    format: Literal["airmf-assessment"] = FORMAT_NAME
    format_version: int = Field(default=FORMAT_VERSION, ge=1, le=FORMAT_VERSION, strict=True)
    app_version: str = Field(default="", max_length=50)
    exported_at: dt.datetime
    assessment: ExportedAssessment
    answers: list[Answer] = Field(default_factory=list, max_length=10_000)
    history: list[HistoryEntry] = Field(default_factory=list, max_length=5_000_000)
    # Format 3: the remediation actions, each recorded in ``history`` (replayed on import).
    actions: list[RemediationAction] = Field(default_factory=list, max_length=100_000)
    # Format 3: answers' review states (absent: draft) and the reviewer comment threads.
    reviews: list[AnswerReview] = Field(default_factory=list, max_length=10_000)
    review_comments: list[ReviewComment] = Field(default_factory=list, max_length=1_000_000)

    @field_validator("exported_at")
    @classmethod
    def _instant(cls, value: dt.datetime) -> dt.datetime:
        return check_instant(value if value.tzinfo else value.replace(tzinfo=dt.UTC))


def _answer_rows(answers: list[Answer]) -> list[dict[str, object]]:
    rows = []
    for answer in sorted(answers, key=lambda a: a.subcategory_id):
        data = answer.model_dump(mode="json", exclude={"updated_at"})
        for item in data["evidence"]:
            item.pop("added_at", None)
        rows.append(data)
    return rows


def _canonical(content: dict[str, object]) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def canonical_answers(answers: list[Answer]) -> bytes:
    """Canonical JSON of the answers' content (sorted, no timestamps): the fingerprint's input."""
    return _canonical({"format": FORMAT_NAME, "answers": _answer_rows(answers)})


def fingerprint(answers: list[Answer]) -> str:
    """SHA-256 of the canonical export of an assessment's answers alone: the sign-off
    fingerprint of assessments finalized before schema 0004 (still verified as such)."""
    return hashlib.sha256(canonical_answers(answers)).hexdigest()


@dataclass(frozen=True)
class SignOff:
    """Who signed an assessment off, as what, with which statement and when."""

    signer: str
    role: str
    statement: str
    at: dt.datetime | None


def sealed_fingerprint(answers: list[Answer], head: ChainHead, signoff: SignOff) -> str:
    """SHA-256 over the answers' content (incl. each evidence file's SHA-256), the change
    history's head (entry count and last hash) and the sign-off (signer, role, statement, UTC
    time): what finalizing stores and ``verify`` recomputes. Any change to an answer, a deleted
    or altered history entry, or an edited signer changes it."""
    at = signoff.at
    content = {
        "format": FORMAT_NAME,
        "answers": _answer_rows(answers),
        "history": {"count": head.count, "head": head.last_hash},
        "signoff": {
            "signer": signoff.signer,
            "role": signoff.role,
            "statement": signoff.statement,
            "at": None if at is None else at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        },
    }
    return hashlib.sha256(_canonical(content)).hexdigest()
