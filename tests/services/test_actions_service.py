"""Remediation actions (issue 14): rules, history entries for every change, refusal when
finalized, carry-over to the next cycle, and export/import (format 3; format 2 still read)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from zones import local_zone

from app.domain.actions import ActionPriority, ActionStatus, EvidenceRef, replay_actions
from app.services.actions import ActionFilter, ActionService
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.errors import AssessmentLocked, InvalidInput, NotFound
from app.services.exchange import ExchangeService
from app.services.lifecycle import LifecycleService

M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "2026 cycle", "ai_system": "Claims triage"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M)
    return a.id


def _history_fields(ctx, aid: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (e.field, e.new) for e in AnswerService(ctx).history(aid) if e.field.startswith("action:")
    ]


def test_add_update_remove_each_recorded_in_the_chain(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    action = service.add(
        aid,
        "GV-1.1",
        title="Write the policy",
        owner=" Dana ",
        due_date="2027-03-31",
        priority="High",
    )
    assert action.owner == "Dana" and action.priority is ActionPriority.HIGH
    assert action.due_date == dt.date(2027, 3, 31) and action.status is ActionStatus.PLANNED
    uid = action.uid
    assert (f"action:{uid}:title", "Write the policy") in _history_fields(ctx, aid)
    assert (f"action:{uid}:status", "planned") in _history_fields(ctx, aid)

    changed = service.update(aid, uid[:6], status="in-progress", notes="Draft circulated")
    assert changed.status is ActionStatus.IN_PROGRESS and changed.notes == "Draft circulated"
    assert _history_fields(ctx, aid)[-2:] == [
        (f"action:{uid}:status", "in_progress"),
        (f"action:{uid}:notes", "Draft circulated"),
    ]
    before = len(AnswerService(ctx).history(aid))
    service.update(aid, uid, status="in_progress")  # no change: no entry
    assert len(AnswerService(ctx).history(aid)) == before

    service.remove(aid, uid)
    assert service.list(aid) == []
    assert _history_fields(ctx, aid)[-1] == (f"action:{uid}:removed", "Write the policy")
    check = AnswerService(ctx).check_history(aid)
    assert check.ok, check.problems()
    assert replay_actions(AnswerService(ctx).history(aid)) == {}


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda s, a: s.add(a, "GOVERN 1.1", title="  "), "needs a title"),
        (lambda s, a: s.add(a, "NOPE 9.9", title="x"), "unknown subcategory"),
        (lambda s, a: s.add(a, "GOVERN 1.1", title="x" * 201), "longer|at most 200"),
        (lambda s, a: s.add(a, "GOVERN 1.1", title="x", due_date="2027-02-31"), "no day 31"),
        (lambda s, a: s.add(a, "GOVERN 1.1", title="x", priority="urgent"), "urgent"),
        (lambda s, a: s.add(a, "GOVERN 1.1", title="x", status="risk_accepted"), "rationale"),
        (lambda s, a: s.add(a, "GOVERN 1.1", title="bell\x07"), "control character"),
        (lambda s, a: s.add(a, "GOVERN 1.1", suggestion="playbook:999"), "playbook:1 to"),
        (lambda s, a: s.add(a, "MAP 1.1", suggestion="GV-1.1-001"), "not a suggested action"),
        (lambda s, a: s.add(a, "GOVERN 1.1", title="x", notes="n" * 20_001), "notes"),
        (lambda s, a: s.update(a, "zz", status="done"), "not an action id"),
        (lambda s, a: s.update(a, "abcd1234", status="done"), "no action"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(ctx, aid, call, match) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    before = len(AnswerService(ctx).history(aid))
    with pytest.raises((InvalidInput, NotFound), match=match):
        call(service, aid)
    assert service.list(aid) == []
    assert len(AnswerService(ctx).history(aid)) == before


def test_a_suggestion_keeps_its_reference_and_verbatim_text(ctx, aid, framework) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    playbook = framework.subcategory("GOVERN 1.1").guidance.suggested_actions[0]
    first = service.add(aid, "GOVERN 1.1", suggestion="playbook:1")
    assert first.source == "playbook:1" and first.description == playbook
    profile = next(a for p in framework.profiles for a in p.actions_for("GOVERN 1.1"))
    second = service.add(aid, "GOVERN 1.1", suggestion=profile.id.lower(), owner="Sam")
    assert second.source == f"ai600-1:{profile.id}" and second.description == profile.text
    assert second.title == profile.text or second.title.endswith("…")


def test_a_suggestion_with_an_open_action_is_not_planned_twice(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    """A second click on "Create action" (window) or a repeated command (CLI) plans nothing
    twice while the first action is open; once it is done the suggestion may be planned anew,
    and an action typed by hand is never refused."""
    service = ActionService(ctx)
    first = service.add(aid, "GOVERN 1.1", suggestion="playbook:1")
    with pytest.raises(
        InvalidInput, match=rf"open action from this suggestion already: {first.uid[:8]}"
    ):
        service.add(aid, "GOVERN 1.1", suggestion="playbook:1")
    assert len(service.list(aid)) == 1
    service.add(aid, "GOVERN 1.1", title=first.title)  # by hand: the user's choice
    service.add(aid, "GOVERN 1.2", suggestion="playbook:1")  # another subcategory's suggestion
    service.update(aid, first.uid, status="done")
    again = service.add(aid, "GOVERN 1.1", suggestion="playbook:1")
    assert again.source == first.source == "playbook:1"


def test_risk_accepted_needs_a_rationale_and_linked_evidence_must_exist(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    action = service.add(aid, "GOVERN 1.1", title="Fix")
    with pytest.raises(InvalidInput, match="rationale"):
        service.update(aid, action.uid, status="risk_accepted")
    done = service.update(aid, action.uid, status="risk_accepted", rationale="Low impact")
    assert done.status is ActionStatus.RISK_ACCEPTED and not done.is_open
    with pytest.raises(InvalidInput, match="no evidence item 1"):
        service.evidence_refs(aid, "GOVERN 1.1", [1])
    AnswerService(ctx).add_link(aid, "GOVERN 1.1", "Policy", "https://example.org/p")
    refs = service.evidence_refs(aid, "GOVERN 1.1", [1])
    linked = service.update(aid, action.uid, evidence=refs)
    assert [e.title for e in linked.evidence] == ["Policy"]
    AnswerService(ctx).remove_evidence(aid, "GOVERN 1.1", 0)
    # A link to an item removed since is kept as recorded; a new link must name a current item.
    kept = service.update(aid, action.uid, evidence=refs, notes="again")
    assert kept.evidence == refs
    other = EvidenceRef(title="Other", url="https://example.org/other")
    with pytest.raises(InvalidInput, match="“Other” is not an evidence item"):
        service.update(aid, action.uid, evidence=[*refs, other])


def test_an_action_linked_to_removed_evidence_still_exports_and_imports(ctx, aid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    AnswerService(ctx).add_link(aid, "GOVERN 1.1", "Policy", "https://example.org/p")
    service.add(
        aid, "GOVERN 1.1", title="Fix", evidence=service.evidence_refs(aid, "GOVERN 1.1", [1])
    )
    AnswerService(ctx).remove_evidence(aid, "GOVERN 1.1", 0)
    new_id = ExchangeService(ctx).import_file(
        ExchangeService(ctx).export_json(aid, tmp_path / "x.json")
    )
    assert service.list(new_id) == service.list(aid)


def test_finalized_assessment_refuses_every_action_change(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    action = service.add(aid, "GOVERN 1.1", title="Fix")
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    for call in (
        lambda: service.add(aid, "GOVERN 1.1", title="Another"),
        lambda: service.update(aid, action.uid, status="done"),
        lambda: service.update_many(aid, [action.uid], owner="Sam"),
        lambda: service.remove(aid, action.uid),
    ):
        with pytest.raises(AssessmentLocked):
            call()
    assert service.list(aid) == [action]
    assert LifecycleService(ctx).verify(aid).matches


def test_bulk_change_is_all_or_nothing(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    a = service.add(aid, "GOVERN 1.1", title="One")
    b = service.add(aid, "MAP 1.1", title="Two")
    changed = service.update_many(aid, [a.uid, b.uid], owner="Sam")
    assert [x.owner for x in changed] == ["Sam", "Sam"]
    with pytest.raises(InvalidInput, match="rationale"):
        service.update_many(aid, [a.uid, b.uid], status="risk_accepted")
    assert [x.status for x in service.list(aid)] == [ActionStatus.PLANNED] * 2


def test_filters_and_overdue_use_the_local_calendar_day(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    due = service.add(aid, "GOVERN 1.1", title="Due", due_date="2027-01-31", owner="Dana")
    service.add(aid, "MAP 1.1", title="Later", due_date="2027-02-01", priority="low")
    closed = service.add(aid, "MAP 1.2", title="Closed", due_date="2027-01-01")
    service.update(aid, closed.uid, status="done")
    # 02:00 UTC on 1 February is still 31 January in Los Angeles: not overdue there yet.
    ctx.clock = lambda: dt.datetime(2027, 2, 1, 2, 0, tzinfo=dt.UTC)
    with local_zone("America/Los_Angeles"):
        assert service.list(aid, filters=ActionFilter(overdue=True)) == []
    with local_zone("Europe/Berlin"):
        assert [a.uid for a in service.list(aid, filters=ActionFilter(overdue=True))] == [due.uid]
        assert service.counts(aid) == {"total": 3, "open": 2, "overdue": 1}
    assert [a.title for a in service.list(aid, filters=ActionFilter(owner="dana"))] == ["Due"]
    assert [a.title for a in service.list(aid, filters=ActionFilter(function="map"))] == [
        "Later",
        "Closed",
    ]
    assert [
        a.title for a in service.list(aid, filters=ActionFilter(priorities=(ActionPriority.LOW,)))
    ] == ["Later"]
    assert [
        a.title for a in service.list(aid, filters=ActionFilter(statuses=(ActionStatus.DONE,)))
    ] == ["Closed"]
    with pytest.raises(InvalidInput, match="unknown function"):
        service.list(aid, filters=ActionFilter(function="PLAN"))


def test_open_actions_carry_over_to_the_next_cycle(ctx, aid) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    planned = service.add(aid, "GOVERN 1.1", title="Planned", owner="Dana")
    going = service.add(aid, "MAP 1.1", title="Going")
    service.update(aid, going.uid, status="in_progress")
    done = service.add(aid, "MAP 1.2", title="Done")
    service.update(aid, done.uid, status="done")
    accepted = service.add(aid, "MAP 1.3", title="Accepted")
    service.update(aid, accepted.uid, status="risk_accepted", rationale="Small")
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    nxt = LifecycleService(ctx).start_next_cycle(aid)
    carried = service.list(nxt.id)
    assert [(a.uid, a.title, a.carried_over) for a in carried] == [
        (planned.uid, "Planned", True),
        (going.uid, "Going", True),
    ]
    assert carried[1].status is ActionStatus.IN_PROGRESS and carried[0].owner == "Dana"
    check = AnswerService(ctx).check_history(nxt.id)
    assert check.ok, check.problems()
    assert set(replay_actions(AnswerService(ctx).history(nxt.id))) == {planned.uid, going.uid}
    assert len(service.list(aid)) == 4  # the source keeps all of its own


def _export(ctx, aid: int, tmp_path: Path) -> dict:  # type: ignore[no-untyped-def,type-arg]
    out = ExchangeService(ctx).export_json(aid, tmp_path / f"{aid}.json")
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def test_actions_travel_through_export_and_import(ctx, aid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = ActionService(ctx)
    AnswerService(ctx).add_link(aid, "GOVERN 1.1", "Policy", "https://example.org/p")
    a = service.add(
        aid,
        "GOVERN 1.1",
        suggestion="playbook:2",
        owner="Dana",
        due_date="2027-03-31",
        evidence=service.evidence_refs(aid, "GOVERN 1.1", [1]),
    )
    service.update(aid, a.uid, status="in_progress")
    gone = service.add(aid, "MAP 1.1", title="Removed later")
    service.remove(aid, gone.uid)
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    doc = _export(ctx, aid, tmp_path)
    assert doc["format_version"] == 3
    assert [x["uid"] for x in doc["actions"]] == [a.uid]
    new_id = ExchangeService(ctx).import_file(tmp_path / f"{aid}.json")
    imported = service.list(new_id)
    assert imported == service.list(aid)
    assert LifecycleService(ctx).verify(new_id).matches
    assert AnswerService(ctx).check_history(new_id).ok


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            lambda d: d["actions"][0].update(owner="Mallory"),
            "actions: GOVERN 1.1 action .* owner: stored .Mallory",
        ),
        (lambda d: d["actions"].pop(), r"stored .\(no such action\)"),
        (
            lambda d: d["actions"].append({**d["actions"][0], "uid": "f" * 32}),
            r"history says .\(no such action\)",
        ),
        (lambda d: d["actions"][0].update(status="risk_accepted"), "rationale"),
        (lambda d: d["actions"][0].update(subcategory_id="NOPE 1.1"), "unknown subcategory"),
    ],
)
def test_import_refuses_actions_that_differ_from_their_history(
    ctx, aid, tmp_path, change, match
) -> None:  # type: ignore[no-untyped-def]
    ActionService(ctx).add(aid, "GOVERN 1.1", title="Fix", owner="Dana")
    doc = _export(ctx, aid, tmp_path)
    change(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    count = len(AssessmentService(ctx).list())
    with pytest.raises(InvalidInput, match=match):
        ExchangeService(ctx).import_file(bad)
    assert len(AssessmentService(ctx).list()) == count


def test_a_format_2_export_still_imports(ctx, aid, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = _export(ctx, aid, tmp_path)
    del doc["actions"]
    doc["format_version"] = 2
    old = tmp_path / "v2.json"
    old.write_text(json.dumps(doc))
    new_id = ExchangeService(ctx).import_file(old)
    assert ActionService(ctx).list(new_id) == []
    assert AssessmentService(ctx).answers(new_id)["GOVERN 1.1"].metrics == M


def test_an_action_changed_outside_the_app_fails_the_history_check(ctx, aid, db_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    action = ActionService(ctx).add(aid, "GOVERN 1.1", title="Fix", owner="Dana")
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    assert LifecycleService(ctx).verify(aid).matches
    ctx.db.dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE remediation_actions SET owner = 'Mallory'")
    con.commit()
    con.close()
    check = AnswerService(ctx).check_history(aid)
    assert not check.ok
    assert any(
        f"action {action.uid[:8]} owner: stored 'Mallory', the history says 'Dana'" in p
        for p in check.problems()
    ), check.problems()
    assert not LifecycleService(ctx).verify(aid).matches
