"""Assessment, answer, evidence and history models, and the rules on their values."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_serializer,
)
from pydantic_core import PydanticCustomError

from app.domain.date_input import InvalidDate, parse_date
from app.domain.limits import (
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_ITEMS,
    NAME_MAX,
    SHORT_TEXT_MAX,
    TEXT_MAX,
    URL_MAX,
    check_instant,
    check_unique,
    control_character,
    plain_text,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
ShortText = Annotated[str, StringConstraints(max_length=SHORT_TEXT_MAX)]
LongText = Annotated[str, StringConstraints(max_length=TEXT_MAX)]
Line = Annotated[str, StringConstraints(max_length=NAME_MAX)]
ActionId = Annotated[
    str, StringConstraints(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9.\-]+$")
]
_OPTIONAL_EVIDENCE_DATES = ("as_of", "valid_until")

__all__ = ["NAME_MAX", "TEXT_MAX"]  # re-exported: the window sizes its fields with them


def _reject_control_chars(value: str) -> str:
    bad = control_character(value)
    if bad is not None:
        raise ValueError(f"contains the control character {bad}")
    return value


def _date_field(value: object) -> object:
    """A calendar-day field's input: text goes through the one date rule (window, CLI and
    import alike); Pydantic's own parser would also take timestamps and other ISO shapes.
    Raises the rule's message as is (no "Value error, " before it)."""
    if isinstance(value, str):
        try:
            return parse_date(value)
        except InvalidDate as exc:
            raise PydanticCustomError("date", str(exc)) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("date", "a date is written as YYYY-MM-DD, not a number")
    return value


class Status(enum.StrEnum):
    DRAFT = "draft"
    FINALIZED = "finalized"


class Origin(enum.StrEnum):
    """How an assessment came to be; only originals are cycles of their AI system.

    A copy (a duplicate, or an import of an assessment this database already holds) and the
    sample are kept out of the AI system's trend and the portfolio unless the user includes them,
    so that they never pass for another cycle.
    """

    ORIGINAL = "original"
    COPY = "copy"
    SAMPLE = "sample"


class EvidenceStatus(enum.StrEnum):
    CITED = "cited"
    NONE_FOUND = "none_found"
    CONTRARY = "contrary"

    @property
    def label(self) -> str:
        return {
            "cited": "Evidence cited",
            "none_found": "No evidence found",
            "contrary": "Evidence to the contrary",
        }[self.value]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_chars(cls, value: object) -> object:
        if isinstance(value, str):
            return _reject_control_chars(value)
        if isinstance(value, dt.datetime):
            # Stored times without a zone are UTC (persistence.types.UTCDateTime).
            aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
            return check_instant(aware)
        return value


class ProfileSelection(_Model):
    """An overlay enabled on an assessment, with the risks of that profile that apply."""

    profile_id: Name
    risks: list[Name] = Field(default_factory=list, max_length=1_000)

    @field_validator("risks")
    @classmethod
    def _unique_risks(cls, value: list[str]) -> list[str]:
        check_unique(value, "a risk")
        return value


class AssessmentMeta(_Model):
    """What the user enters when creating an assessment (and may edit later)."""

    name: Name
    ai_system: Name = "Unnamed AI system"
    organization: ShortText = ""
    scope: LongText = ""
    assessor: ShortText = ""
    framework_id: Name = "nist-ai-rmf-1.0"
    scheme_id: Name = "rubric"
    default_target: int = Field(default=3, ge=1, le=5)
    profiles: list[ProfileSelection] = Field(default_factory=list, max_length=100)

    @field_validator("profiles")
    @classmethod
    def _unique_profiles(cls, value: list[ProfileSelection]) -> list[ProfileSelection]:
        check_unique((p.profile_id for p in value), "a profile")
        return value


class Assessment(AssessmentMeta):
    id: int
    uid: str
    framework_version: str
    status: Status = Status.DRAFT
    created_at: dt.datetime
    updated_at: dt.datetime
    last_subcategory: str | None = None
    finalized_by: str = ""
    finalized_role: str = ""
    finalized_statement: str = ""
    finalized_at: dt.datetime | None = None
    fingerprint: str = ""
    previous_id: int | None = None
    # The head of the change history (entry count, last entry's hash; 64 zeros when empty),
    # written in the transaction of every history append: a deleted entry shows as a mismatch.
    history_count: int = 0
    history_head: str = "0" * 64
    origin: Origin = Origin.ORIGINAL
    copy_of: str = ""  # the uid of the assessment a copy was made from (uids survive exports)

    @property
    def is_cycle(self) -> bool:
        """Whether this is a cycle of its AI system (not a copy or the sample)."""
        return self.origin is Origin.ORIGINAL

    def profile_selection(self, profile_id: str) -> ProfileSelection | None:
        for p in self.profiles:
            if p.profile_id == profile_id:
                return p
        return None


class EvidenceItem(_Model):
    """A link, or a file copied into the managed store and identified by its SHA-256."""

    title: Name
    url: Annotated[str, StringConstraints(max_length=URL_MAX)] = ""
    file_name: ShortText = ""
    sha256: Annotated[str, StringConstraints(pattern=r"^([0-9a-f]{64})?$")] = ""
    size: int = Field(default=0, ge=0, le=MAX_EVIDENCE_BYTES)
    added_at: dt.datetime | None = None
    # The period the evidence supports (a local calendar day, not when it was added) and the
    # last day it holds (inclusive); see ``app.domain.freshness``.
    as_of: dt.date | None = None
    valid_until: dt.date | None = None

    @field_validator("as_of", "valid_until", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        return _date_field(value)

    @field_validator("valid_until")
    @classmethod
    def _ordered_dates(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        as_of = info.data.get("as_of")
        if value is not None and as_of is not None and value < as_of:
            raise PydanticCustomError(
                "date_order",
                "valid until {until} is before as of {as_of}",
                {"until": value.isoformat(), "as_of": as_of.isoformat()},
            )
        return value

    @model_serializer(mode="wrap")
    def _without_unset_dates(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        # An item without dates dumps as before these fields existed (schema 0008): its
        # history text, export and sign-off fingerprint stay what they were when recorded.
        data: dict[str, object] = handler(self)
        for name in _OPTIONAL_EVIDENCE_DATES:
            if data.get(name) is None:
                data.pop(name, None)
        return data

    @property
    def is_file(self) -> bool:
        return bool(self.sha256)

    @property
    def untitled(self) -> bool:
        """Whether the item is titled by its own link or file name (no title was given):
        every surface then names it once, by the link or file (issue 14)."""
        return self.title == (self.url or self.file_name)


def _empty_list() -> list[Any]:
    """A new empty list. Answer's default factories are plain functions: Pydantic reads a
    factory's signature when it builds the validator, and reading a builtin's (``list``)
    compiles the tokenizer's expressions, ~4 ms of a process that records one answer."""
    return []


def _empty_dict() -> dict[str, Any]:
    """A new empty dict (see ``_empty_list``)."""
    return {}


class Answer(_Model):
    """The user's answer for one subcategory. Unanswered = no rating and not N/A."""

    subcategory_id: Name
    metrics: dict[str, str] = Field(default_factory=_empty_dict)
    level: int | None = Field(default=None, ge=1, le=5)
    not_applicable: bool = False
    na_rationale: LongText = ""
    target: int | None = Field(default=None, ge=1, le=5)
    notes: LongText = ""
    evidence_status: EvidenceStatus | None = None
    evidence: list[EvidenceItem] = Field(default_factory=_empty_list, max_length=MAX_EVIDENCE_ITEMS)
    actions_in_place: list[int] = Field(default_factory=_empty_list, max_length=1_000)
    # AI 600-1 (Generative AI Profile) actions in place, by their stable ids ("GV-1.1-001").
    genai_actions_in_place: list[ActionId] = Field(default_factory=_empty_list, max_length=1_000)
    owner: Line = ""
    due_date: dt.date | None = None
    flagged: bool = False
    carried_over: bool = False
    updated_at: dt.datetime | None = None

    @field_validator("due_date", mode="before")
    @classmethod
    def _due_date_text(cls, value: object) -> object:
        return _date_field(value)

    @field_validator("genai_actions_in_place")
    @classmethod
    def _unique_genai_actions(cls, value: list[str]) -> list[str]:
        check_unique(value, "an AI 600-1 action")
        return value

    @model_serializer(mode="wrap")
    def _without_unset_new_fields(
        self, handler: SerializerFunctionWrapHandler
    ) -> dict[str, object]:
        # An answer without AI 600-1 ticks dumps as before the field existed (schema 0008), so
        # the export and the sign-off fingerprint of an older assessment stay the same.
        data: dict[str, object] = handler(self)
        if not data.get("genai_actions_in_place"):
            data.pop("genai_actions_in_place", None)
        return data

    @field_validator("evidence")
    @classmethod
    def _unique_evidence(cls, value: list[EvidenceItem]) -> list[EvidenceItem]:
        check_unique(((e.title, e.url, e.sha256) for e in value), "an evidence item")
        return value

    @field_validator("actions_in_place")
    @classmethod
    def _unique_actions(cls, value: list[int]) -> list[int]:
        check_unique(value, "an action")
        return value

    @property
    def is_rated(self) -> bool:
        return not self.not_applicable and (bool(self.metrics) or self.level is not None)

    @property
    def is_answered(self) -> bool:
        return self.not_applicable or self.is_rated

    @property
    def unreviewed(self) -> bool:
        """Answered in an earlier cycle, carried over, not yet confirmed or changed in this one.

        Such an answer counts in scores but not in completion (see ``domain.scoring``). A carried
        answer that was never answered (notes only) is simply unanswered.
        """
        return self.carried_over and self.is_answered


def blank_answer(subcategory_id: str) -> Answer:
    """An unanswered answer for ``subcategory_id`` (every field at its default), as
    ``Answer(subcategory_id=...)`` makes it. Until Answer's validator is built, a plain id
    (``_plain_name``) is taken without it: a command-line process that records one answer
    then builds none (~25 ms). Once built, the validator is the faster way (~3 µs against
    ~40 µs for ``model_construct``: a long-running window or server save). Raises
    ValidationError for an id the rules refuse."""
    if not Answer.__pydantic_complete__ and _plain_name(subcategory_id):
        return Answer.model_construct(subcategory_id=subcategory_id)
    return Answer(subcategory_id=subcategory_id)


def validated_changes(subcategory_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` (Answer field -> value, with ``subcategory_id``) as Answer's validator
    returns them: ``Answer.model_validate({**changes, "subcategory_id": ...})``'s value of each
    field named. Raises pydantic's ValidationError for a value the rules refuse.

    Values that the rules take unchanged (``_PLAIN`` below: the type the field holds, within
    its limits, text without forbidden control characters) are returned without running the
    validator, which costs a process that records one answer more than the rest of its save
    (~25 ms to build); anything else (other types to convert, evidence, refused values) goes
    through it. ``tests/domain/test_answer_fast_path.py`` holds the two to the same results.
    """
    if _plain_name(subcategory_id) and all(
        field in _PLAIN and _PLAIN[field](value) for field, value in changes.items()
    ):
        return {f: dict(v) if f == "metrics" else v for f, v in changes.items()}
    checked = Answer.model_validate({**changes, "subcategory_id": subcategory_id})
    return {f: getattr(checked, f) for f in changes}


def _plain_name(value: object) -> bool:
    # Name: stripped, 1..NAME_MAX characters, no control characters.
    return (
        type(value) is str
        and 0 < len(value) <= NAME_MAX
        and value == value.strip()
        and plain_text(value)
    )


def _plain_text(limit: int) -> Callable[[object], bool]:
    def plain(value: object) -> bool:
        return type(value) is str and len(value) <= limit and plain_text(value)

    return plain


def _plain_level(value: object) -> bool:
    return value is None or (type(value) is int and 1 <= value <= 5)


def _plain_flag(value: object) -> bool:
    return type(value) is bool


def _plain_metrics(value: object) -> bool:
    # dict[str, str]: the field-wide rule on text sees the dict, not its values.
    return type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items())


# Answer's fields whose plain values pass its rules unchanged: field -> test of a value.
_PLAIN: dict[str, Callable[[object], bool]] = {
    "metrics": _plain_metrics,
    "level": _plain_level,
    "target": _plain_level,
    "not_applicable": _plain_flag,
    "flagged": _plain_flag,
    "carried_over": _plain_flag,
    "na_rationale": _plain_text(TEXT_MAX),
    "notes": _plain_text(TEXT_MAX),
    "owner": _plain_text(NAME_MAX),
    "due_date": lambda value: value is None or type(value) is dt.date,
    "evidence_status": lambda value: value is None or type(value) is EvidenceStatus,
}


# Fields a change may touch, in the order they appear in history and exports.
ANSWER_FIELDS: tuple[str, ...] = (
    "metrics",
    "level",
    "not_applicable",
    "na_rationale",
    "target",
    "notes",
    "evidence_status",
    "evidence",
    "actions_in_place",
    "genai_actions_in_place",
    "owner",
    "due_date",
    "flagged",
    "carried_over",
)


class HistoryEntry(_Model):
    """One appended change: who changed which field of which answer, to what.

    ``old`` is None in compact entries (the old value is the previous entry's new value; see
    ``history.with_old_values``); entries recorded before compaction hold the old text.
    """

    seq: int = Field(default=0, ge=0, le=2**63 - 1)
    subcategory_id: Annotated[str, StringConstraints(max_length=NAME_MAX)]
    field: str
    old: str | None = None
    new: str
    actor: Annotated[str, StringConstraints(max_length=NAME_MAX)]
    at: dt.datetime
    prev_hash: str = ""
    entry_hash: str = ""
