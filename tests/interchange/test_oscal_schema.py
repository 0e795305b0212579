"""OSCAL export against NIST's released JSON schema (OSCAL 1.2.3, vendored under
tests/interchange/oscal_schema/ with its provenance): every document we write validates, and the
validator really checks (a broken document fails, with the \\p{L} patterns read by ``regex``)."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services.interchange.oscal import OscalService

SCHEMA = Path(__file__).parent / "oscal_schema" / "oscal_complete_schema.json"
#: SHA-256 of NIST's v1.2.3 release asset oscal_complete_schema.json (see PROVENANCE.md).
SCHEMA_SHA256 = "384324105c7a817af0f65b120a963146caa0e0d55d969cf0daf60e063b87a206"


@pytest.fixture(scope="module")
def validator() -> Any:
    """A Draft 7 validator of NIST's schema whose ``pattern`` keyword uses the ``regex`` module:
    NIST's token patterns use Unicode classes (\\p{L}, \\p{N}) that ``re`` cannot compile."""
    import jsonschema
    import regex
    from jsonschema import Draft7Validator, ValidationError

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[Any]:
        if validator.is_type(instance, "string") and not regex.search(patrn, instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    # The schema itself is well formed Draft 7 (check_schema would compile its patterns with re).
    Draft7Validator(Draft7Validator.META_SCHEMA).validate(schema)
    cls = jsonschema.validators.extend(Draft7Validator, {"pattern": pattern})
    return cls(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _errors(validator: Any, document: dict[str, Any]) -> list[str]:
    """Every violation as 'path: message', the ones under NIST's top-level oneOf included."""

    def flat(errors: Any) -> Iterator[Any]:
        for error in errors:
            yield error
            yield from flat(error.context or ())

    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in flat(validator.iter_errors(document))
    ]


def _with_actions(ctx: Any, aid: int) -> None:
    import datetime as dt

    from app.services.actions import ActionService

    service = ActionService(ctx)
    service.add(
        aid,
        "MAP 1.1",
        title="Document the intended purpose",
        description="Write it down\nand review it",
        owner="Kim",
        due_date=dt.date(2020, 3, 1),
        priority="high",
        notes="Draft in review",
    )
    service.add(aid, "GOVERN 1.1", title="Name the legal owner", status="in_progress")


def test_the_vendored_schema_is_nists_release_file() -> None:
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/1.2.3/oscal-complete-schema.json")


def test_nists_patterns_need_the_regex_module() -> None:
    text = SCHEMA.read_text(encoding="utf-8")
    assert r"\\p{L}" in text
    with pytest.raises(re.error):
        re.compile(r"^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$")


def test_every_exported_document_validates_against_nists_schema(
    validator: Any, ctx: Any, sample: Any, tmp_path: Path
) -> None:
    _with_actions(ctx, sample.id)
    written = OscalService(ctx).export(sample.id, tmp_path / "oscal")
    assert [p.name for p in written] == ["catalog.json", "assessment-results.json", "poam.json"]
    for path in written:
        document = json.loads(path.read_text(encoding="utf-8"))
        assert _errors(validator, document) == [], path.name


def test_the_poam_without_actions_validates_too(validator: Any, ctx: Any, sample: Any) -> None:
    documents = OscalService(ctx).documents(sample.id)
    assert documents  # the below-target subcategories stand in for actions
    for name, document in documents.items():
        assert _errors(validator, document) == [], name


def test_the_schema_refuses_a_broken_document(validator: Any, ctx: Any, sample: Any) -> None:
    documents = OscalService(ctx).documents(sample.id)
    results = next(d for d in documents.values() if "assessment-results" in d)
    broken = copy.deepcopy(results)
    broken["assessment-results"]["uuid"] = "not-a-uuid"
    finding = broken["assessment-results"]["results"][0]["findings"][0]
    finding["props"][0]["name"] = "1 starts with a digit"  # breaks the \p{L} token pattern
    errors = _errors(validator, broken)
    assert any(e.startswith("assessment-results/uuid") for e in errors)
    assert any("/props/0/name" in e for e in errors), errors


def test_the_kept_examples_validate_against_nists_schema(validator: Any) -> None:
    """docs/examples/oscal (made by tools/interchange_examples.py) is what the README points
    federal users to."""
    folder = Path(__file__).parents[2] / "docs" / "examples" / "oscal"
    names = sorted(p.name for p in folder.glob("*.json"))
    assert names == ["assessment-results.json", "catalog.json", "poam.json"]
    for name in names:
        document = json.loads((folder / name).read_text(encoding="utf-8"))
        assert _errors(validator, document) == [], name
