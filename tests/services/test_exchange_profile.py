"""Export format 3 (issue 14): the AI-system profile and the assessment's edit entries travel
in the JSON export and come back on import; a version-2 export still imports."""

from __future__ import annotations

import json
from pathlib import Path

from app.domain.history import ASSESSMENT_EVENT
from app.domain.system_profile import LifecycleStage, RiskTier
from app.services.answers import AnswerService
from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
from app.services.assessments import AssessmentService
from app.services.exchange import ExchangeService


def _edited(ctx) -> int:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Edited", "ai_system": "Scorer"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="Policy in place")
    AssessmentEditor(ctx).edit(
        aid,
        AssessmentEdit(
            assessor="Ana",
            system={
                "risk_tier": "high",
                "deployment_status": "deploy_and_use",
                "intended_use": "Pre-screen loan applications",
                "affected_populations": ["Applicants", "Co-signers"],
            },
        ),
    )
    return aid


def test_the_profile_and_edit_entries_round_trip(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = _edited(ctx)
    out = ExchangeService(ctx).export_json(aid, tmp_path / "a.json")
    doc = json.loads(out.read_text())
    assert doc["format_version"] == 3
    assert doc["assessment"]["system_profile"]["risk_tier"] == "high"
    edits = [e for e in doc["history"] if e["subcategory_id"] == ASSESSMENT_EVENT]
    assert [(e["field"], e["old"], e["new"]) for e in edits][:2] == [
        ("assessor", "", "Ana"),
        ("system:risk_tier", "", "High"),
    ]
    AssessmentService(ctx).delete(aid, confirm_name="Edited")
    new_id = ExchangeService(ctx).import_file(out)
    profile = AssessmentEditor(ctx).profile(new_id)
    assert profile.risk_tier is RiskTier.HIGH
    assert profile.deployment_status is LifecycleStage.DEPLOY_AND_USE
    assert profile.affected_populations == ["Applicants", "Co-signers"]
    assert AnswerService(ctx).check_history(new_id).ok


def test_a_version_2_export_imports_with_an_empty_profile(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Older", "ai_system": "Scorer"}).id
    AnswerService(ctx).record(aid, "MAP 1.1", owner="Dana")
    out = ExchangeService(ctx).export_json(aid, tmp_path / "v3.json")
    doc = json.loads(out.read_text())
    doc["format_version"] = 2
    del doc["assessment"]["system_profile"]  # what version 2 wrote
    old = tmp_path / "v2.json"
    old.write_text(json.dumps(doc))
    new_id = ExchangeService(ctx).import_file(old)
    assert AssessmentEditor(ctx).profile(new_id).is_empty
    assert AssessmentService(ctx).answers(new_id)["MAP 1.1"].owner == "Dana"


def test_a_bad_profile_in_an_import_is_refused_naming_the_field(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = _edited(ctx)
    out = ExchangeService(ctx).export_json(aid, tmp_path / "a.json")
    doc = json.loads(out.read_text())
    doc["assessment"]["system_profile"]["deployment_status"] = "launched"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    count = len(AssessmentService(ctx).list())
    try:
        ExchangeService(ctx).import_file(bad)
    except Exception as exc:  # noqa: BLE001 - the message is what is checked
        assert "system_profile.deployment_status" in str(exc)
    else:
        raise AssertionError("imported a profile with an unknown lifecycle stage")
    assert len(AssessmentService(ctx).list()) == count
