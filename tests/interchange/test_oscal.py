"""OSCAL export: the three documents validate against NIST's OSCAL 1.2 models (as
compliance-trestle publishes them), ids and UUIDs are stable, the app's values are properties in
its namespace, and our own assessment results restore the ratings."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from app.services.answers import AnswerService
from app.services.interchange.oscal import NS, OSCAL_VERSION, OscalService, control_id


@pytest.fixture
def oscal_dir(ctx: Any, sample: Any, tmp_path: Path) -> Path:
    OscalService(ctx).export(sample.id, tmp_path / "oscal")
    return tmp_path / "oscal"


def _load(folder: Path, name: str) -> dict[str, Any]:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def test_trestle_models_are_the_oscal_version_we_write() -> None:
    import trestle.oscal

    assert trestle.oscal.OSCAL_VERSION == OSCAL_VERSION


def test_every_document_validates_against_the_oscal_models(oscal_dir: Path) -> None:
    from trestle.oscal.assessment_results import AssessmentResults
    from trestle.oscal.catalog import Catalog
    from trestle.oscal.poam import PlanOfActionAndMilestones

    for name, model, key in (
        ("catalog.json", Catalog, "catalog"),
        ("assessment-results.json", AssessmentResults, "assessment-results"),
        ("poam.json", PlanOfActionAndMilestones, "plan-of-action-and-milestones"),
    ):
        document = _load(oscal_dir, name)
        assert document[key]["metadata"]["oscal-version"] == OSCAL_VERSION
        model.model_validate(document[key])  # raises on any violation of the model


def test_catalog_controls_carry_official_labels_statements_and_profile_ids(
    oscal_dir: Path, framework: Any
) -> None:
    catalog = _load(oscal_dir, "catalog.json")["catalog"]
    controls = {c["id"]: c for f in catalog["groups"] for g in f["groups"] for c in g["controls"]}
    assert len(controls) == len(framework.subcategories())
    govern = controls["gv-1.1"]
    assert {"name": "label", "value": "GOVERN 1.1"} in govern["props"]
    assert govern["parts"][0]["prose"] == framework.subcategory("GOVERN 1.1").text
    actions = [p["value"] for p in govern["props"] if p["name"] == "ai-600-1-action"]
    assert "GV-1.1-001" in actions
    assert control_id(framework, "MEASURE 2.10") == "ms-2.10"
    assert [f["id"] for f in catalog["groups"]] == ["gv", "mp", "ms", "mg"]


def test_findings_hold_the_apps_values_in_its_namespace(
    oscal_dir: Path, ctx: Any, sample: Any
) -> None:
    from app.domain.numbers import format_score
    from app.services.scoring import ScoringService

    results = _load(oscal_dir, "assessment-results.json")["assessment-results"]
    findings = {f["title"]: f for f in results["results"][0]["findings"]}
    assert len(findings) == 72
    node = ScoringService(ctx).score(sample.id).find("GOVERN 1.1")
    props = {p["name"]: p for p in findings["GOVERN 1.1"]["props"]}
    assert props["score"] == {"name": "score", "ns": NS, "value": format_score(node.score)}
    answer = AnswerService(ctx).get(sample.id, "GOVERN 1.1")
    assert props["coverage"]["value"] == answer.metrics["coverage"]
    assert findings["GOVERN 1.1"]["target"]["target-id"] == "gv-1.1"
    na = [
        f
        for f in findings.values()
        if {"name": "state", "ns": NS, "value": "not-applicable"} in f["props"]
    ]
    assert na and all(f["remarks"].startswith("Not applicable: ") for f in na)
    assert results["import-ap"]["href"] == "#" + results["back-matter"]["resources"][0]["uuid"]


def test_uuids_are_deterministic_and_version_5(ctx: Any, sample: Any, tmp_path: Path) -> None:
    first = OscalService(ctx).documents(sample.id)
    second = OscalService(ctx).documents(sample.id)
    assert first == second
    text = json.dumps(first)
    found = {v for d in first.values() for v in _uuids(d)}
    assert found and all(uuid.UUID(u).version == 5 for u in found)
    assert "uuid4" not in text


def _uuids(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [v for k, v in node.items() if k == "uuid" and isinstance(v, str)]
        for v in node.values():
            out += _uuids(v)
        return out
    if isinstance(node, list):
        return [u for item in node for u in _uuids(item)]
    return []


def test_poam_lists_the_below_target_subcategories_while_there_are_no_actions(
    oscal_dir: Path, ctx: Any, sample: Any
) -> None:
    from app.services.scoring import ScoringService

    below = [n.id for n in ScoringService(ctx).score(sample.id).subcategories() if n.below_target]
    items = _load(oscal_dir, "poam.json")["plan-of-action-and-milestones"]["poam-items"]
    assert [i["title"].split(":")[0] for i in items] == below


def _with_actions(ctx: Any, aid: int) -> list[Any]:
    import datetime as dt

    from app.services.actions import ActionService

    service = ActionService(ctx)
    open_one = service.add(
        aid,
        "MAP 1.1",
        title="Document the intended purpose",
        description="Write it down\nand review it",
        owner="Kim",
        due_date=dt.date(2020, 3, 1),
        priority="high",
        notes="Draft in review",
    )
    started = service.add(aid, "GOVERN 1.1", title="Name the legal owner", status="in_progress")
    done = service.add(aid, "GOVERN 1.2", title="Closed already", status="done")
    accepted = service.add(
        aid, "GOVERN 1.3", title="Accepted", status="risk_accepted", rationale="Low exposure"
    )
    return [open_one, started, done, accepted]


def test_poam_has_one_item_per_open_action_and_validates(
    ctx: Any, sample: Any, tmp_path: Path
) -> None:
    from trestle.oscal.poam import PlanOfActionAndMilestones

    open_one, started, _done, _accepted = _with_actions(ctx, sample.id)
    OscalService(ctx).export(sample.id, tmp_path / "o")
    poam = _load(tmp_path / "o", "poam.json")["plan-of-action-and-milestones"]
    PlanOfActionAndMilestones.model_validate(poam)
    items = poam["poam-items"]
    assert [i["title"] for i in items] == ["Name the legal owner", "Document the intended purpose"]
    by_title = {i["title"]: i for i in items}
    item = by_title["Document the intended purpose"]
    props = {p["name"]: p["value"] for p in item["props"] if p.get("ns") == NS}
    assert props == {
        "action-id": open_one.uid,
        "subcategory": "MAP 1.1",
        "status": "planned",
        "priority": "high",
        "owner": "Kim",
        "due-date": "2020-03-01",
        "overdue": "yes",
    }
    assert item["description"] == "Write it down\nand review it"
    assert item["remarks"] == "Draft in review"
    results = _load(tmp_path / "o", "assessment-results.json")["assessment-results"]
    finding = next(f for f in results["results"][0]["findings"] if f["title"] == "MAP 1.1")
    assert item["related-findings"] == [{"finding-uuid": finding["uuid"]}]
    started_props = {p["name"]: p["value"] for p in by_title["Name the legal owner"]["props"]}
    assert started_props["status"] == "in_progress" and "due-date" not in started_props
    assert by_title["Name the legal owner"]["description"] == "Name the legal owner"


def test_poam_item_uuids_come_from_the_action_uid(ctx: Any, sample: Any, tmp_path: Path) -> None:
    from app.services.interchange.oscal import stable_uuid

    open_one, started, *_ = _with_actions(ctx, sample.id)
    OscalService(ctx).export(sample.id, tmp_path / "a")
    OscalService(ctx).export(sample.id, tmp_path / "b")
    first = (tmp_path / "a" / "poam.json").read_bytes()
    assert first == (tmp_path / "b" / "poam.json").read_bytes()
    items = json.loads(first)["plan-of-action-and-milestones"]["poam-items"]
    assert {i["uuid"] for i in items} == {
        stable_uuid("poam-item", open_one.uid),
        stable_uuid("poam-item", started.uid),
    }
    assert all(uuid.UUID(i["uuid"]).version == 5 for i in items)


def test_no_poam_when_nothing_is_below_target(ctx: Any, tmp_path: Path) -> None:
    from app.services.assessments import AssessmentService

    empty = AssessmentService(ctx).create({"name": "Empty"})
    written = OscalService(ctx).export(empty.id, tmp_path / "o")
    assert [p.name for p in written] == ["catalog.json", "assessment-results.json"]


def test_our_assessment_results_restore_the_ratings(oscal_dir: Path, ctx: Any, sample: Any) -> None:
    from app.services.assessments import AssessmentService
    from app.services.interchange.service import InterchangeService

    before = AssessmentService(ctx).answers(sample.id)
    answers = AnswerService(ctx)
    answers.record(
        sample.id,
        "GOVERN 1.1",
        metrics={"coverage": "L", "robustness": "L", "input_diversity": "L"},
    )
    na_id = next(k for k, v in before.items() if v.not_applicable)
    answers.record(
        sample.id,
        na_id,
        level=None,
        metrics={"coverage": "M", "robustness": "M", "input_diversity": "M"},
    )
    plan = OscalService(ctx).preview_results(sample.id, oscal_dir / "assessment-results.json")
    assert {c.subcategory_id for c in plan.applicable} == {"GOVERN 1.1", na_id}
    InterchangeService(ctx).apply(plan)
    after = AssessmentService(ctx).answers(sample.id)
    for sub in ("GOVERN 1.1", na_id):
        for field in ("metrics", "not_applicable", "na_rationale", "target"):
            assert getattr(after[sub], field) == getattr(before[sub], field), (sub, field)


def test_results_of_another_assessment_are_refused(oscal_dir: Path, ctx: Any) -> None:
    from app.services.assessments import AssessmentService
    from app.services.errors import InvalidInput

    other = AssessmentService(ctx).create({"name": "Other"})
    with pytest.raises(InvalidInput, match="another assessment"):
        OscalService(ctx).preview_results(other.id, oscal_dir / "assessment-results.json")
