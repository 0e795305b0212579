"""The report's pure rules for issue 14's data (domain.report_ongoing): days overdue, the
owner roll-up, the audit-trail period and the sign-off block of an exported assessment."""

from __future__ import annotations

import datetime as dt

from app.domain.actions import RemediationAction
from app.domain.assessment import HistoryEntry, Status
from app.domain.history import ASSESSMENT_EVENT
from app.domain.report_ongoing import NO_OWNER, audit_trail, remediation_plan, signoff_block_of
from app.domain.review import RoleKind, SignOffRole

T0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


def _action(n: int, **values) -> RemediationAction:  # type: ignore[no-untyped-def]
    return RemediationAction(uid=f"{n:032x}", subcategory_id="MAP 1.1", title=f"A{n}", **values)


def test_days_overdue_are_local_calendar_days_and_only_for_open_actions() -> None:
    today = dt.date(2026, 11, 30)
    actions = [
        _action(1, owner="Ann", due_date="2026-11-29"),  # one day late
        _action(2, owner="Ann", due_date="2026-11-30"),  # due today: not late
        _action(3, owner="Ann", due_date="2026-01-01", status="done"),  # done: never late
        _action(4, due_date="2026-11-01", priority="low"),
        _action(5, owner=" Bob ", due_date="2026-12-24", status="in_progress"),
    ]
    plan = remediation_plan(actions, ["MAP 1.1"], {"MAP 1.1": "MAP"}, today)
    late = {i.action.title: i.days_overdue for i in plan.items}
    assert late == {"A1": 1, "A2": 0, "A3": 0, "A4": 29, "A5": 0}
    # Open first, overdue first; within those, priority then due day.
    assert [i.action.title for i in plan.items] == ["A1", "A4", "A2", "A5", "A3"]
    assert (plan.total, plan.open, plan.overdue) == (5, 4, 2)
    owners = {o.owner: (o.total, o.open, o.overdue, o.done, o.next_due) for o in plan.owners}
    assert owners == {
        "Ann": (3, 2, 1, 1, dt.date(2026, 11, 29)),
        NO_OWNER: (1, 1, 1, 0, dt.date(2026, 11, 1)),
        "Bob": (1, 1, 0, 0, dt.date(2026, 12, 24)),
    }


def _entry(sub: str, field: str, new: str, actor: str, hours: int) -> HistoryEntry:
    return HistoryEntry(
        subcategory_id=sub, field=field, new=new, actor=actor, at=T0 + dt.timedelta(hours=hours)
    )


HISTORY = [
    _entry("MAP 1.1", "notes", "a", "ann", 1),
    _entry("MAP 1.2", "notes", "b", "bob", 2),
    _entry(ASSESSMENT_EVENT, "status", "finalized by Cy (CRO)", "cy", 3),
    _entry(ASSESSMENT_EVENT, "status", "reopened: new test results", "cy", 4),
    _entry("MAP 1.1", "notes", "c", "ann", 5),
    _entry("MAP 1.1", "review", "ready_for_review", "ann", 6),
    _entry(ASSESSMENT_EVENT, "signoff_reviewer", "{}", "cy", 7),
    _entry(ASSESSMENT_EVENT, "status", "finalized by Cy (CRO)", "cy", 7),
]


def test_audit_trail_counts_changes_since_the_previous_signoff() -> None:
    trail = audit_trail(HISTORY, finalized=True)
    assert trail.since == T0 + dt.timedelta(hours=3)
    assert trail.since_text == "since the previous sign-off"
    # The sign-off records themselves are not counted as changes.
    assert [(p.actor, p.changes, p.subcategories) for p in trail.by_person] == [("ann", 2, 1)]
    assert [r.reason for r in trail.reopenings] == ["new test results"]
    assert trail.signoffs == 2


def test_audit_trail_of_a_draft_and_of_a_first_signoff() -> None:
    reopened = audit_trail(HISTORY[:5], finalized=False)  # draft after the reopening
    assert reopened.since_text == "since the previous sign-off"
    assert [(p.actor, p.changes) for p in reopened.by_person] == [("ann", 1)]
    first = audit_trail(HISTORY[:3], finalized=True)
    assert first.since is None and first.since_text == "before the first sign-off"
    assert [(p.actor, p.changes) for p in first.by_person] == [("ann", 1), ("bob", 1)]
    never = audit_trail(HISTORY[:2], finalized=False)
    assert never.since_text == "since the assessment was created" and never.reopenings == ()


def test_signoff_block_of_an_export() -> None:
    role = SignOffRole(kind=RoleKind.APPROVER, name="Cy", title="CRO", at=T0)
    draft = signoff_block_of(Status.DRAFT, [role], True, "", "", "", None)
    assert draft.roles == [] and draft.four_eyes_relaxed
    stored = signoff_block_of(Status.FINALIZED, [role], False, "Cy", "CRO", "", T0)
    assert stored.roles == [role]
    # Finalized before roles existed: its one signer is the approver.
    legacy = signoff_block_of(Status.FINALIZED, [], False, "Dee", "Head", "I approve", T0)
    approver = legacy.role(RoleKind.APPROVER)
    assert approver is not None and (approver.name, approver.statement) == ("Dee", "I approve")
