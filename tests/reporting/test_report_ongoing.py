"""Issue 14's data in the report (issue 15): the fingerprint covers actions, reviews, comments,
sign-off roles, the four-eyes setting, the AI-system profile and evidence dates; the pages show
the sign-off block and audit trail, the organisation's remediation plan, evidence assurance,
the key findings and the profile."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from report_helpers import make_ongoing, read_pdf
from test_report_verify import _independent_fingerprint

from app.domain.report_fingerprint import (
    RECIPE,
    RECIPE_V1,
    differences,
    recipe_of,
    report_fingerprint,
)
from app.services.report import ReportService
from app.services.report_check import check_report


@pytest.fixture(scope="module")
def ongoing(module_ctx, tmp_path_factory):  # type: ignore[no-untyped-def]
    """(ctx, assessment id, report model, PDF) of a finalized assessment with issue 14's data."""
    aid = make_ongoing(module_ctx, tmp_path_factory.mktemp("ongoing"))
    service = ReportService(module_ctx)
    report = service.build(aid)
    return module_ctx, aid, report, read_pdf(service.render(report))


def _document(report) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return json.loads(report.meta.source)


def test_the_fingerprint_covers_the_ongoing_work(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, report, _pdf = ongoing
    document = _document(report)
    assert document["actions"] and document["reviews"] and document["review_comments"]
    assert report.meta.fingerprint == report_fingerprint(document)
    assert report.meta.fingerprint == _independent_fingerprint(document)
    base = report.meta.fingerprint

    def changed(edit) -> str:  # type: ignore[no-untyped-def]
        copy = json.loads(json.dumps(document))
        edit(copy)
        return report_fingerprint(copy)

    def evidence_dated(d) -> dict:  # type: ignore[no-untyped-def, type-arg]
        return next(i for a in d["answers"] for i in a["evidence"] if i.get("valid_until"))

    edits = {
        "action owner": lambda d: d["actions"][0].update(owner="Someone else"),
        "action status": lambda d: d["actions"][1].update(status="done"),
        "action removed": lambda d: d["actions"].pop(),
        "review state": lambda d: d["reviews"][0].update(state="draft"),
        "comment text": lambda d: d["review_comments"][0].update(text="Other"),
        "signoff role": lambda d: d["assessment"]["signoff_roles"][0].update(name="Mallory"),
        "four-eyes": lambda d: d["assessment"].update(four_eyes_relaxed=True),
        "profile": lambda d: d["assessment"]["system_profile"].update(risk_tier="low"),
        "valid until": lambda d: evidence_dated(d).update(valid_until="2030-01-01"),
        "as of": lambda d: evidence_dated(d).update(as_of="2024-01-01"),
    }
    unchanged = [name for name, edit in edits.items() if changed(edit) == base]
    assert unchanged == []
    # The export's order of records is not a conclusion.
    shuffled = [
        lambda d: d["actions"].reverse(),
        lambda d: d["reviews"].reverse(),
        lambda d: d["actions"][0].update(updated_at="2030-01-01T00:00:00Z"),
    ]
    assert all(changed(edit) == base for edit in shuffled)


def test_differences_name_the_changed_action_and_review(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, report, _pdf = ongoing
    document = _document(report)
    current = json.loads(json.dumps(document))
    uid = current["actions"][0]["uid"]
    current["actions"][0]["owner"] = "Someone else"
    current["reviews"][0]["state"] = "draft"
    found = differences(document, current)
    assert f"actions {uid}: changed (owner)" in found
    sub = current["reviews"][0]["subcategory_id"]
    assert f"reviews {sub}: changed (state)" in found


def test_a_report_made_by_the_earlier_recipe_still_verifies(ongoing, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx, aid, report, _pdf = ongoing
    document = _document(report)
    v1 = report_fingerprint(document, RECIPE_V1)
    assert v1 != report.meta.fingerprint
    assert recipe_of(document, v1) == RECIPE_V1
    assert recipe_of(document, report.meta.fingerprint) == RECIPE
    old = dataclasses.replace(report, meta=dataclasses.replace(report.meta, fingerprint=v1))
    path = tmp_path / "old.pdf"
    path.write_bytes(ReportService(ctx).render(old))
    check = check_report(ctx, aid, path)
    assert not check.altered and check.matches and check.differences == ()
    # An altered fingerprint is still caught.
    forged = dataclasses.replace(
        report, meta=dataclasses.replace(report.meta, fingerprint="a" * 64)
    )
    path.write_bytes(ReportService(ctx).render(forged))
    assert check_report(ctx, aid, path).altered
