"""The tables' column names, in table order, without SQLAlchemy (``rows`` defines the tables;
a test keeps these equal to it). Used by the driver-level reads and the save path."""

from __future__ import annotations

ASSESSMENT_COLUMNS = (
    "id",
    "uid",
    "name",
    "ai_system",
    "organization",
    "scope",
    "assessor",
    "framework_id",
    "framework_version",
    "scheme_id",
    "default_target",
    "profiles",
    "status",
    "created_at",
    "updated_at",
    "last_subcategory",
    "finalized_by",
    "finalized_role",
    "finalized_statement",
    "finalized_at",
    "fingerprint",
    "previous_id",
    "summary",
    "history_count",
    "history_head",
    "origin",
    "copy_of",
)
ANSWER_COLUMNS = (
    "id",
    "assessment_id",
    "subcategory_id",
    "metrics",
    "level",
    "not_applicable",
    "na_rationale",
    "target",
    "notes",
    "evidence_status",
    "actions_in_place",
    "owner",
    "due_date",
    "flagged",
    "carried_over",
    "updated_at",
    "version",
    "field_versions",
    "genai_actions_in_place",
)
EVIDENCE_COLUMNS = (
    "id",
    "answer_id",
    "position",
    "title",
    "url",
    "file_name",
    "sha256",
    "size",
    "added_at",
    "as_of",
    "valid_until",
)
# What a save writes of an answer / an evidence item (all but the keys). The answer's version
# columns are not fields of the domain Answer: the save path writes them beside these.
ANSWER_VERSION_COLUMNS = ("version", "field_versions")
ANSWER_VALUES = tuple(c for c in ANSWER_COLUMNS[3:] if c not in ANSWER_VERSION_COLUMNS)
EVIDENCE_VALUES = EVIDENCE_COLUMNS[3:]
