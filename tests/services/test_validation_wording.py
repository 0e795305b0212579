"""Refusals of bad values read as sentences about the field, on every surface, not in
Pydantic's words ("String should have at least 1 character", "Value error, ...")."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from app.domain.actions import RemediationAction
from app.domain.assessment import Answer, AssessmentMeta
from app.services.validation import describe_validation_error, field_sentence

CASES: list[tuple[type[BaseModel], dict[str, Any], str]] = [
    (AssessmentMeta, {"name": ""}, "name: must not be empty"),
    (AssessmentMeta, {"name": "   "}, "name: must not be empty"),
    (
        AssessmentMeta,
        {"name": "x", "organization": "a" * 1001},
        "organization: is longer than 1,000 characters",
    ),
    (AssessmentMeta, {"name": "x", "default_target": 9}, "default_target: must be at most 5"),
    (AssessmentMeta, {"name": "x", "default_target": 0}, "default_target: must be at least 1"),
    (
        AssessmentMeta,
        {"name": "x", "default_target": "high"},
        "default_target: must be a whole number",
    ),
    (AssessmentMeta, {"name": "x", "bogus": 1}, "bogus: is not a known field"),
    (AssessmentMeta, {"name": "nul\x00"}, "name: contains the control character U+0000"),
    (
        AssessmentMeta,
        {"name": "x", "profiles": [{"profile_id": f"p{i}"} for i in range(101)]},
        "profiles: has 101 items, at most 100 are allowed",
    ),
    (AssessmentMeta, {}, "name: is required"),
    (Answer, {"subcategory_id": "G", "level": 2.5}, "level: must be a whole number"),
    (
        Answer,
        {"subcategory_id": "G", "flagged": "maybe"},
        "flagged: must be yes or no (true or false)",
    ),
    (
        Answer,
        {"subcategory_id": "G", "evidence_status": "x"},
        "evidence_status: must be one of 'cited', 'none_found' or 'contrary'",
    ),
    (
        Answer,
        {"subcategory_id": "G", "genai_actions_in_place": ["bad id!"]},
        "genai_actions_in_place.0: is not in the expected form",
    ),
    (Answer, {"subcategory_id": "G", "notes": 5}, "notes: must be text"),
    (Answer, {"subcategory_id": "G", "due_date": "31/12/2026"}, "due_date: "),
]


@pytest.mark.parametrize(("model", "data", "expected"), CASES)
def test_a_refusal_names_the_field_and_says_what_is_wrong(model, data, expected) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    text = describe_validation_error(info.value)
    assert text.startswith(expected), text
    for pydantic_words in ("should", "Input ", "Value error", "String ", "Extra inputs"):
        assert pydantic_words not in text, text


def test_an_action_refusal_reads_the_same() -> None:
    with pytest.raises(ValidationError) as info:
        RemediationAction.model_validate({"title": ""})
    assert "Value error" not in describe_validation_error(info.value)


@pytest.mark.parametrize(
    ("message", "sentence"),
    [
        ("must not be empty", "A name is required."),
        (
            "is longer than 200 characters",
            "A name is longer than 200 characters.",
        ),
        ("contains the control character U+0001", "A name contains the control character U+0001."),
        (
            "Value error, a date is written as YYYY-MM-DD.",
            "A name: a date is written as YYYY-MM-DD.",
        ),
    ],
)
def test_a_dialog_sentence_reads_on_after_the_label(message: str, sentence: str) -> None:
    assert field_sentence("A name", message) == sentence


def test_a_refusal_about_no_field_is_the_message_alone() -> None:
    text = "unknown framework 'nope' (known: nist-ai-rmf-1.0)"
    assert field_sentence("", text) == "Unknown framework 'nope' (known: nist-ai-rmf-1.0)."


def test_text_that_is_not_unicode_is_named_so() -> None:
    with pytest.raises(ValidationError) as info:
        Answer.model_validate({"subcategory_id": "G", "notes": "bad\udcff"})
    assert describe_validation_error(info.value) == (
        "notes: is not valid text (characters that are not Unicode)"
    )
