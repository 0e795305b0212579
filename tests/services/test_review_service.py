"""Review states, comment threads, three-role sign-off and four-eyes (issue 14), on both
engines: every change is in the hash-chained history under the actor, refusals write nothing."""

from __future__ import annotations

import pytest

from app.domain.review import ReviewAction, ReviewState, RoleKind
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.bootstrap import open_services
from app.services.errors import AssessmentLocked, InvalidInput
from app.services.lifecycle import FourEyesViolation, LifecycleService, RoleInput
from app.services.review import ReviewNotAllowed, ReviewService

M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


@pytest.fixture
def svc(store_url, catalog):  # type: ignore[no-untyped-def]
    ctx = open_services(store_url, catalog=catalog)
    ctx.actor = "dana"
    yield ctx
    ctx.db.dispose()


def _assessment(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Q4", "ai_system": "Claims triage"})
    AnswerService(ctx).record(a.id, "GOVERN 1.1", metrics=M, notes="baseline")
    return a.id


def _history_tail(ctx, aid: int, n: int) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    entries = AnswerService(ctx).history(aid)[-n:]
    return [(e.subcategory_id, e.field, e.new, e.actor) for e in entries]


def test_a_review_cycle_is_recorded_under_each_actor(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    reviews = ReviewService(svc)
    assert reviews.state(aid, "GV-1.1").state is ReviewState.DRAFT
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    svc.actor = "sam"
    returned = reviews.act(aid, "GOVERN 1.1", ReviewAction.RETURN, "Cite the policy")
    assert (returned.state, returned.actor) == (ReviewState.RETURNED, "sam")
    assert _history_tail(svc, aid, 3) == [
        ("GOVERN 1.1", "review", "ready_for_review", "dana"),
        ("GOVERN 1.1", "review_comment", "Cite the policy", "sam"),
        ("GOVERN 1.1", "review", "returned", "sam"),
    ]
    svc.actor = "dana"
    reviews.comment(aid, "GOVERN 1.1", "Policy cited in evidence")
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    svc.actor = "sam"
    reviews.act(aid, "GOVERN 1.1", ReviewAction.APPROVE)
    thread = reviews.thread(aid, "GOVERN 1.1")
    assert [(c.author, c.text, c.action) for c in thread] == [
        ("sam", "Cite the policy", ReviewAction.RETURN),
        ("dana", "Policy cited in evidence", None),
    ]
    assert reviews.counts(aid)[ReviewState.REVIEWED] == 1
    lines = reviews.listing(aid, ReviewState.REVIEWED)
    assert [(x.subcategory_id, x.answered, x.comments) for x in lines] == [("GOVERN 1.1", True, 2)]
    assert AnswerService(svc).check_history(aid).ok


def test_a_refused_transition_writes_nothing(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    reviews = ReviewService(svc)
    before = len(AnswerService(svc).history(aid))
    with pytest.raises(ReviewNotAllowed, match="cannot approve an answer that is draft"):
        reviews.act(aid, "GOVERN 1.1", ReviewAction.APPROVE)
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    with pytest.raises(ReviewNotAllowed, match="needs a comment"):
        reviews.act(aid, "GOVERN 1.1", ReviewAction.RETURN, "  ")
    with pytest.raises(InvalidInput, match="control character"):
        reviews.act(aid, "GOVERN 1.1", ReviewAction.RETURN, "bad\x00text")
    with pytest.raises(InvalidInput, match="unknown subcategory"):
        reviews.act(aid, "GOVERN 99.9", ReviewAction.READY)
    assert len(AnswerService(svc).history(aid)) == before + 1
    assert reviews.thread(aid, "GOVERN 1.1") == []
    assert reviews.state(aid, "GOVERN 1.1").state is ReviewState.READY


@pytest.mark.parametrize("how", ["record", "record_many", "evidence"])
def test_an_edit_after_review_goes_back_to_draft(svc, how) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    reviews = ReviewService(svc)
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    svc.actor = "sam"
    reviews.act(aid, "GOVERN 1.1", ReviewAction.APPROVE)
    svc.actor = "dana"
    answers = AnswerService(svc)
    if how == "record":
        answers.record(aid, "GOVERN 1.1", notes="changed")
    elif how == "record_many":
        answers.record_many(aid, [("row 1", "GOVERN 1.1", {"owner": "Dana"})])
    else:
        answers.add_link(aid, "GOVERN 1.1", "Policy", "https://example.org/policy")
    review = reviews.state(aid, "GOVERN 1.1")
    assert (review.state, review.actor) == (ReviewState.DRAFT, "dana")
    assert _history_tail(svc, aid, 1) == [("GOVERN 1.1", "review", "draft", "dana")]
    # A save that changes nothing leaves the state alone; a returned answer stays returned.
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    answers.record(aid, "GOVERN 1.1", notes=answers.get(aid, "GOVERN 1.1").notes)
    assert reviews.state(aid, "GOVERN 1.1").state is ReviewState.READY
    reviews.act(aid, "GOVERN 1.1", ReviewAction.RETURN, "More detail")
    answers.record(aid, "GOVERN 1.1", notes="more detail")
    assert reviews.state(aid, "GOVERN 1.1").state is ReviewState.RETURNED
    assert answers.check_history(aid).ok


def test_three_roles_sign_and_verify(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    life = LifecycleService(svc)
    done = life.finalize(
        aid,
        "Ann Lee",
        "Chief Risk Officer",
        "Approved for the board",
        assessor=RoleInput("Dana", "AI governance lead", "Assessed in good faith"),
        reviewer=RoleInput("Sam", "Internal audit"),
    )
    assert (done.finalized_by, done.finalized_role) == ("Ann Lee", "Chief Risk Officer")
    block = life.signoff(aid)
    assert [(r.kind, r.name, r.title) for r in block.roles] == [
        (RoleKind.ASSESSOR, "Dana", "AI governance lead"),
        (RoleKind.REVIEWER, "Sam", "Internal audit"),
        (RoleKind.APPROVER, "Ann Lee", "Chief Risk Officer"),
    ]
    assert all(r.at == done.finalized_at for r in block.roles)
    assert not block.four_eyes_relaxed
    fields = [(e.subcategory_id, e.field) for e in AnswerService(svc).history(aid)[-3:]]
    assert fields == [
        ("ASSESSMENT", "signoff_assessor"),
        ("ASSESSMENT", "signoff_reviewer"),
        ("ASSESSMENT", "status"),
    ]
    assert life.verify(aid).matches
    with pytest.raises(AssessmentLocked):
        ReviewService(svc).act(aid, "GOVERN 1.1", ReviewAction.READY)
    # Reopening records its reason and clears the roles; the history keeps them.
    life.reopen(aid, "Board asked for changes")
    assert life.signoff(aid).roles == []
    assert AnswerService(svc).history(aid)[-1].new == "reopened: Board asked for changes"


def test_four_eyes_refuses_the_last_changer_unless_relaxed(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)  # dana made the last change to GOVERN 1.1
    life = LifecycleService(svc)
    before = len(AnswerService(svc).history(aid))
    with pytest.raises(FourEyesViolation, match="approver Dana made the last change to GOVERN 1.1"):
        life.finalize(aid, "Dana", "Owner")
    # A refused finalize that asked to keep the rule writes nothing at all.
    with pytest.raises(FourEyesViolation):
        life.finalize(aid, "dana", "Owner", relax_four_eyes=False)
    assert len(AnswerService(svc).history(aid)) == before
    assert AssessmentService(svc).get(aid).status.value == "draft"
    done = life.finalize(aid, "Dana", "Owner", relax_four_eyes=True)
    assert done.status.value == "finalized"
    assert life.signoff(aid).four_eyes_relaxed
    tail = _history_tail(svc, aid, 2)
    assert tail[0] == ("ASSESSMENT", "four_eyes", "relaxed", "dana")
    assert life.verify(aid).matches


def test_the_setting_is_recorded_once_per_change(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    reviews = ReviewService(svc)
    assert reviews.set_four_eyes(aid, True) is True
    assert reviews.set_four_eyes(aid, True) is False
    assert reviews.set_four_eyes(aid, False) is True
    assert [e.new for e in AnswerService(svc).history(aid) if e.field == "four_eyes"] == [
        "relaxed",
        "required",
    ]
    assert [e.old for e in AnswerService(svc).history(aid) if e.field == "four_eyes"] == [
        "required",
        "relaxed",
    ]


def test_the_old_single_finalize_is_the_approver(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    LifecycleService(svc).finalize(aid, "Ann Lee", "CRO", "ok")
    block = LifecycleService(svc).signoff(aid)
    assert [(r.kind, r.name, r.statement) for r in block.roles] == [
        (RoleKind.APPROVER, "Ann Lee", "ok")
    ]


def test_next_cycle_answers_start_as_draft(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    reviews = ReviewService(svc)
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    svc.actor = "sam"
    reviews.act(aid, "GOVERN 1.1", ReviewAction.APPROVE)
    LifecycleService(svc).finalize(aid, "Ann Lee", "CRO")
    nxt = LifecycleService(svc).start_next_cycle(aid)
    assert reviews.states(nxt.id) == {}
    assert reviews.state(nxt.id, "GOVERN 1.1").state is ReviewState.DRAFT
    assert reviews.thread(nxt.id, "GOVERN 1.1") == []


def test_verify_reports_review_data_changed_behind_the_app(svc) -> None:  # type: ignore[no-untyped-def]
    aid = _assessment(svc)
    reviews = ReviewService(svc)
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY)
    LifecycleService(svc).finalize(aid, "Ann", "CRO", reviewer=RoleInput("Sam", "Audit"))
    assert LifecycleService(svc).verify(aid).matches
    from sqlalchemy import text

    with svc.db.engine.begin() as con:
        con.execute(text("UPDATE answer_reviews SET state='reviewed'"))
        con.execute(text("UPDATE signoff_roles SET name='Mallory' WHERE kind='reviewer'"))
    found = LifecycleService(svc).verify(aid)
    assert not found.matches
    assert found.problems() == [
        "GOVERN 1.1: review state is reviewed, the history says ready_for_review",
        "the sign-off roles are not those the history records",
    ]


def test_the_report_model_carries_the_signoff_block(svc) -> None:  # type: ignore[no-untyped-def]
    from app.services.report import ReportService

    aid = _assessment(svc)
    LifecycleService(svc).finalize(
        aid, "dana", "Owner", assessor=RoleInput("Dana", "Lead"), relax_four_eyes=True
    )
    meta = ReportService(svc).build(aid).meta
    assert meta.signoff is not None and meta.signoff.four_eyes_relaxed
    assert [r.kind for r in meta.signoff.roles] == [RoleKind.ASSESSOR, RoleKind.APPROVER]


def test_the_sqlite3_reads_equal_the_repository_reads(ctx) -> None:  # type: ignore[no-untyped-def]
    """What the window reads on opening (review_snapshot, no SQLAlchemy) is what the
    repository reads."""
    from app.persistence import review_snapshot
    from app.persistence.reviews import ReviewRepository

    ctx.actor = "dana"
    aid = _assessment(ctx)
    reviews = ReviewService(ctx)
    reviews.act(aid, "GOVERN 1.1", ReviewAction.READY, "Please check")
    ctx.actor = "sam"
    reviews.act(aid, "GOVERN 1.1", ReviewAction.RETURN, "Line one\\nline two")
    LifecycleService(ctx).finalize(
        aid, "dana", "CRO", assessor=RoleInput("Dana", "Lead", "ok"), relax_four_eyes=True
    )
    with ctx.db.snapshot() as con, ctx.db.read() as s:
        repo = ReviewRepository(s)
        assert review_snapshot.read_states(con, aid) == repo.states(aid)
        assert review_snapshot.read_comments(con, aid) == repo.comments(aid)
        assert review_snapshot.read_comments(con, aid, "GOVERN 1.1") == repo.comments(
            aid, "GOVERN 1.1"
        )
        assert review_snapshot.read_roles(con, aid) == repo.roles(aid)
        assert review_snapshot.read_four_eyes_relaxed(con, aid) is repo.four_eyes_relaxed(aid)
        assert len(repo.roles(aid)) == 2 and len(repo.comments(aid)) == 2
