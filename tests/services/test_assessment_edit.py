"""Editing an assessment after creation (issue 14): its details and AI-system profile, one
history entry per changed field in the hash chain, refused when finalized, carried to the next
cycle; on every engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.domain.history import ASSESSMENT_EVENT, with_old_values
from app.domain.system_profile import LifecycleStage, RiskTier, SystemProfile
from app.services.answers import AnswerService
from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.context import ServiceContext
from app.services.errors import AssessmentLocked, InvalidInput
from app.services.lifecycle import LifecycleService


@pytest.fixture
def store(store_url: str, catalog) -> Iterator[tuple[ServiceContext, int]]:  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "Ana"
    created = AssessmentService(ctx).create(
        {"name": "Cycle 1", "ai_system": "Scorer", "organization": "Acme", "default_target": 3}
    )
    try:
        yield ctx, created.id
    finally:
        ctx.db.dispose()


def _events(ctx: ServiceContext, aid: int) -> list[tuple[str, str | None, str, str]]:
    with ctx.reading() as unit:
        entries = unit.history.list(aid)
    return [
        (e.field, e.old, e.new, e.actor)
        for e in with_old_values(entries)
        if e.subcategory_id == ASSESSMENT_EVENT
    ]


def test_each_changed_detail_gets_one_history_entry(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="before the edit")
    result = AssessmentEditor(ctx).edit(
        aid,
        AssessmentEdit(
            ai_system="Credit scorer",
            organization="Acme",  # unchanged: no entry
            scope="Retail lending",
            default_target=4,
            genai_risks=["confabulation", "data-privacy"],
            system={"risk_tier": "high", "data_categories": ["Credit history", "Income"]},
        ),
    )
    assert result.changed == (
        "ai_system",
        "scope",
        "default_target",
        "genai_risks",
        "system:risk_tier",
        "system:data_categories",
    )
    a = AssessmentService(ctx).get(aid)
    assert (a.ai_system, a.scope, a.default_target) == ("Credit scorer", "Retail lending", 4)
    assert a.profile_selection("nist-ai-600-1").risks == ["confabulation", "data-privacy"]
    assert AssessmentEditor(ctx).profile(aid) == SystemProfile(
        risk_tier=RiskTier.HIGH, data_categories=["Credit history", "Income"]
    )
    assert _events(ctx, aid) == [
        ("ai_system", "Scorer", "Credit scorer", "Ana"),
        ("scope", "", "Retail lending", "Ana"),
        ("default_target", "3", "4", "Ana"),
        ("genai_risks", "", "confabulation, data-privacy", "Ana"),
        ("system:risk_tier", "", "High", "Ana"),
        ("system:data_categories", "", "Credit history; Income", "Ana"),
    ]
    # The chain still verifies (stored head moved with the new entries).
    assert AnswerService(ctx).check_history(aid).ok

    # Turning the GenAI Profile off and a second edit of a field: old text is the edited one.
    AssessmentEditor(ctx).edit(aid, AssessmentEdit(genai_off=True, system={"risk_tier": "low"}))
    assert AssessmentService(ctx).get(aid).profiles == []
    assert _events(ctx, aid)[-2:] == [
        ("genai_risks", "confabulation, data-privacy", "", "Ana"),
        ("system:risk_tier", "High", "Low", "Ana"),
    ]
    assert AnswerService(ctx).check_history(aid).ok


def test_an_edit_that_changes_nothing_writes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    before = AssessmentService(ctx).get(aid)
    result = AssessmentEditor(ctx).edit(aid, AssessmentEdit(name="Cycle 1", organization="Acme"))
    assert result.changed == ()
    after = AssessmentService(ctx).get(aid)
    assert (after.history_count, after.updated_at) == (before.history_count, before.updated_at)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (AssessmentEdit(name="  "), "name"),
        (AssessmentEdit(default_target=7), "default_target"),
        (AssessmentEdit(genai_risks=["no-such-risk"]), "unknown risks no-such-risk"),
        (AssessmentEdit(system={"risk_tier": "extreme"}), "risk_tier"),
        (AssessmentEdit(system={"colour": "blue"}), "no field 'colour'"),
        (AssessmentEdit(system={"data_categories": ["PII", "pii"]}), "data_categories"),
        (AssessmentEdit(genai_off=True, genai_risks=["cbrn"]), "not both"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(store, edit, message) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    before = AssessmentService(ctx).get(aid)
    with pytest.raises(InvalidInput, match=message):
        AssessmentEditor(ctx).edit(aid, edit)
    after = AssessmentService(ctx).get(aid)
    assert after.model_dump() == before.model_dump()
    assert AssessmentEditor(ctx).profile(aid).is_empty


def test_a_finalized_assessment_is_not_edited(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    LifecycleService(ctx).finalize(aid, "Ana", "Risk lead")
    count = AssessmentService(ctx).get(aid).history_count
    with pytest.raises(AssessmentLocked, match="finalized"):
        AssessmentEditor(ctx).edit(aid, AssessmentEdit(system={"risk_tier": "high"}))
    assert AssessmentService(ctx).get(aid).history_count == count
    assert AssessmentEditor(ctx).profile(aid).is_empty
    assert LifecycleService(ctx).verify(aid, files=False).matches


def test_the_profile_is_carried_to_the_next_cycle(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    AssessmentEditor(ctx).edit(
        aid,
        AssessmentEdit(
            system={
                "deployment_status": "operate_and_monitor",
                "model_vendor": "In-house",
                "affected_populations": ["Loan applicants"],
            }
        ),
    )
    LifecycleService(ctx).finalize(aid, "Ana", "Risk lead")
    nxt = LifecycleService(ctx).start_next_cycle(aid)
    carried = AssessmentEditor(ctx).profile(nxt.id)
    assert carried.deployment_status is LifecycleStage.OPERATE_AND_MONITOR
    assert (carried.model_vendor, carried.affected_populations) == ("In-house", ["Loan applicants"])
    # Deleting the assessment deletes its profile with it.
    AssessmentService(ctx).delete(nxt.id, confirm_name=nxt.name)
    from app.persistence.system_profiles import SystemProfileRepository

    with ctx.reading() as unit:
        assert unit.part(SystemProfileRepository).all_of([nxt.id]) == {}


def test_the_next_cycle_records_the_carried_profile_like_a_copy(store) -> None:  # type: ignore[no-untyped-def]
    """The carried profile is the new cycle's own data: one history entry per filled-in field
    in its hash chain (as a duplicate records them), after the carried answers' entries."""
    import datetime as dt

    ctx, aid = store
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="kept")
    profile = {"risk_tier": "high", "model_vendor": "In-house", "data_categories": ["credit"]}
    AssessmentEditor(ctx).edit(aid, AssessmentEdit(system=profile))
    ctx.actor = "Sam"
    ctx.clock = lambda: dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)
    nxt = LifecycleService(ctx).start_next_cycle(aid, from_draft=True)
    copy = AssessmentService(ctx).duplicate(aid)
    expected = [
        ("system:risk_tier", "", "High", "Sam"),
        ("system:model_vendor", "", "In-house", "Sam"),
        ("system:data_categories", "", "credit", "Sam"),
    ]
    assert _events(ctx, nxt.id) == _events(ctx, copy.id)
    assert sorted(_events(ctx, nxt.id)) == sorted(expected)
    with ctx.reading() as unit:
        at = {e.at for e in unit.history.list(nxt.id) if e.field.startswith("system:")}
    assert at == {dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)}
    assert AnswerService(ctx).check_history(nxt.id).ok


def test_the_report_model_carries_the_profile(ctx) -> None:  # type: ignore[no-untyped-def]
    from app.services.report import ReportService

    aid = AssessmentService(ctx).create({"name": "R", "ai_system": "Scorer"}).id
    AssessmentEditor(ctx).edit(aid, AssessmentEdit(system={"model_type": "LLM"}))
    meta = ReportService(ctx).build(aid).meta
    assert meta.system_profile.model_type == "LLM"


def test_renaming_is_recorded_like_every_edit(store) -> None:  # type: ignore[no-untyped-def]
    ctx, aid = store
    renamed = AssessmentService(ctx).rename(aid, "Cycle 1 (Q3)")
    assert renamed.name == "Cycle 1 (Q3)"
    assert _events(ctx, aid) == [("name", "Cycle 1", "Cycle 1 (Q3)", "Ana")]
    assert AnswerService(ctx).check_history(aid).ok
