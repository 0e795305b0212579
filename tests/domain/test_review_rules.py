"""Review states, their transitions, the edit rule, sign-off roles and the four-eyes rule."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from app.domain.assessment import HistoryEntry
from app.domain.review import (
    ReviewAction,
    ReviewRefused,
    ReviewState,
    RoleKind,
    SignOffBlock,
    SignOffRole,
    allowed_actions,
    four_eyes_problem,
    last_changers,
    legacy_signoff,
    review_counts,
    transition,
)
from app.domain.review_state import after_edit

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
S = ReviewState
A = ReviewAction


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (S.DRAFT, A.READY, S.READY),
        (S.RETURNED, A.READY, S.READY),
        (S.READY, A.APPROVE, S.REVIEWED),
        (S.READY, A.RETURN, S.RETURNED),
        (S.REVIEWED, A.RETURN, S.RETURNED),
    ],
)
def test_allowed_transitions(state, action, expected) -> None:  # type: ignore[no-untyped-def]
    assert transition(state, action, "because") is expected


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.DRAFT, A.APPROVE),
        (S.DRAFT, A.RETURN),
        (S.READY, A.READY),
        (S.REVIEWED, A.APPROVE),
        (S.REVIEWED, A.READY),
        (S.RETURNED, A.APPROVE),
        (S.RETURNED, A.RETURN),
    ],
)
def test_refused_transitions_say_what_is_allowed(state, action) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ReviewRefused, match=f"cannot {action.label}.*{state.label.lower()}"):
        transition(state, action, "because")
    assert action not in allowed_actions(state)


def test_a_return_needs_a_comment() -> None:
    with pytest.raises(ReviewRefused, match="needs a comment"):
        transition(S.READY, A.RETURN, "   ")


def test_an_edit_sends_ready_and_reviewed_back_to_draft_and_keeps_returned() -> None:
    assert after_edit(S.READY) is S.DRAFT
    assert after_edit(S.REVIEWED) is S.DRAFT
    assert after_edit(S.RETURNED) is S.RETURNED
    assert after_edit(S.DRAFT) is S.DRAFT


def _entry(sub: str, field: str, actor: str) -> HistoryEntry:
    return HistoryEntry(subcategory_id=sub, field=field, new="x", actor=actor, at=NOW)


def test_last_changers_ignore_review_events_and_the_assessment() -> None:
    entries = [
        _entry("GOVERN 1.1", "notes", "dana"),
        _entry("GOVERN 1.1", "level", "sam"),
        _entry("GOVERN 1.1", "review", "dana"),
        _entry("GOVERN 1.1", "review_comment", "dana"),
        _entry("MAP 1.1", "owner", "dana"),
        _entry("ASSESSMENT", "status", "dana"),
    ]
    assert last_changers(entries) == {"GOVERN 1.1": "sam", "MAP 1.1": "dana"}


def test_four_eyes_names_the_person_and_the_answers() -> None:
    changers = {"GOVERN 1.1": "sam", "MAP 1.1": "Dana  Lee", "MAP 1.2": "dana lee"}
    problem = four_eyes_problem("DANA LEE", changers)
    assert problem is not None
    assert "DANA LEE made the last change to MAP 1.1, MAP 1.2" in problem
    assert four_eyes_problem("Ann", changers) is None
    many = {f"MAP 1.{i}": "dana" for i in range(1, 7)}
    assert "and 3 more" in (four_eyes_problem("dana", many) or "")


def test_signoff_block_orders_roles_and_refuses_a_role_twice() -> None:
    approver = SignOffRole(kind=RoleKind.APPROVER, name="Ann", title="CRO", at=NOW)
    assessor = SignOffRole(kind=RoleKind.ASSESSOR, name="Dana")
    block = SignOffBlock(roles=[approver, assessor])
    assert [r.kind for r in block.roles] == [RoleKind.ASSESSOR, RoleKind.APPROVER]
    assert block.role(RoleKind.REVIEWER) is None
    with pytest.raises(ValidationError, match="at most once"):
        SignOffBlock(roles=[approver, approver])
    with pytest.raises(ValidationError):
        SignOffRole(kind=RoleKind.REVIEWER, name="Sam\x07")


def test_history_text_is_canonical_and_covers_statement_and_time() -> None:
    role = SignOffRole(kind=RoleKind.REVIEWER, name="Sam", title="Lead", statement="ok", at=NOW)
    assert role.history_text() == (
        '{"at":"2026-11-30T09:00:00.000000+00:00","name":"Sam","statement":"ok","title":"Lead"}'
    )


def test_a_single_old_signer_becomes_the_approver() -> None:
    block = legacy_signoff("Ann", "CRO", "Board", NOW)
    assert [(r.kind, r.name, r.title, r.statement) for r in block.roles] == [
        (RoleKind.APPROVER, "Ann", "CRO", "Board")
    ]
    assert legacy_signoff("", "", "", None).roles == []


def test_review_counts_has_every_state() -> None:
    assert review_counts([S.DRAFT, S.READY, S.READY]) == {
        S.DRAFT: 1,
        S.READY: 2,
        S.REVIEWED: 0,
        S.RETURNED: 0,
    }
