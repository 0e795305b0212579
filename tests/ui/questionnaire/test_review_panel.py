"""The review section of the questionnaire: the buttons move the state (stored, in the
history under the actor), a return needs a comment, the thread shows, the navigator marks the
state, an edit of a reviewed answer sends it back to draft, and a finalized assessment's
review cannot be changed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.domain.review import ReviewAction, ReviewState
from app.services.answers import AnswerService
from app.services.lifecycle import LifecycleService
from app.services.review import ReviewService
from app.ui.questionnaire.navigator_model import Role

pytestmark = pytest.mark.gui
CLICK = Qt.MouseButton.LeftButton
M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}


def _state(ctx, aid: int, sub: str = "GOVERN 1.1") -> ReviewState:  # type: ignore[no-untyped-def]
    return ReviewService(ctx).state(aid, sub).state


def _marker(page, sub: str = "GOVERN 1.1") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    model = page.navigator.model
    return model.index_of(sub).data(Role.REVIEW), model.index_of(sub, 1).data()


def test_review_buttons_thread_and_marker(qtbot, ctx, make_page, create, background) -> None:  # type: ignore[no-untyped-def]
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=M)
    page = make_page(aid)
    panel = page.editor.review
    qtbot.waitUntil(lambda: panel.review is not None, timeout=5000)
    assert "Draft" in panel.state.text() and "No comments yet" in panel.thread.text()
    assert panel.ready.isEnabled() and not panel.approve.isEnabled()
    assert not panel.return_.isEnabled() and not panel.add_comment.isEnabled()

    qtbot.mouseClick(panel.ready, CLICK)
    qtbot.waitUntil(lambda: _state(ctx, aid) is ReviewState.READY, timeout=5000)
    qtbot.waitUntil(lambda: "Ready for review" in panel.state.text(), timeout=5000)
    assert _marker(page) == ("ready_for_review", "◐ 3.0")
    assert "review: ready for review" in page.navigator.model.index_of("GOVERN 1.1").data(
        Qt.ItemDataRole.ToolTipRole
    )

    # Return without a comment: refused in the panel, nothing written.
    before = len(AnswerService(ctx).history(aid))
    qtbot.mouseClick(panel.return_, CLICK)
    assert panel.error.isVisible() and "comment" in panel.error.text()
    background.wait()
    assert len(AnswerService(ctx).history(aid)) == before
    ctx.actor = "sam"
    qtbot.keyClicks(panel.comment, "Cite the policy")
    qtbot.mouseClick(panel.return_, CLICK)
    qtbot.waitUntil(lambda: _state(ctx, aid) is ReviewState.RETURNED, timeout=5000)
    qtbot.waitUntil(lambda: "Cite the policy" in panel.thread.text(), timeout=5000)
    assert "sam" in panel.thread.text() and panel.comment.toPlainText() == ""
    assert _marker(page)[1] == "↩ 3.0"
    entry = AnswerService(ctx).history(aid)[-1]
    assert (entry.field, entry.new, entry.actor) == ("review", "returned", "sam")


def test_an_edit_in_the_window_sends_a_reviewed_answer_back_to_draft(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, settle
) -> None:
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=M)
    ReviewService(ctx).act(aid, "GOVERN 1.1", ReviewAction.READY)
    ctx.actor = "sam"
    ReviewService(ctx).act(aid, "GOVERN 1.1", ReviewAction.APPROVE)
    page = make_page(aid)
    qtbot.waitUntil(lambda: _marker(page)[0] == "reviewed", timeout=5000)
    assert _marker(page)[1] == "✓ 3.0"
    qtbot.keyClicks(page.editor.notes, "changed")
    settle(page)
    assert _state(ctx, aid) is ReviewState.DRAFT
    qtbot.waitUntil(lambda: _marker(page) == ("draft", "3.0"), timeout=5000)
    qtbot.waitUntil(lambda: "Draft" in page.editor.review.state.text(), timeout=5000)


def test_a_finalized_assessment_review_is_read_only(qtbot, ctx, make_page, create) -> None:  # type: ignore[no-untyped-def]
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=M)
    LifecycleService(ctx).finalize(aid, "Ann", "CRO")
    page = make_page(aid)
    panel = page.editor.review
    qtbot.waitUntil(lambda: panel.review is not None, timeout=5000)
    for button in (panel.ready, panel.approve, panel.return_, panel.add_comment):
        assert not button.isEnabled()
    assert panel.comment.isReadOnly()


def test_the_history_view_reads_a_signoff_role() -> None:
    from app.domain.review import RoleKind, SignOffRole
    from app.ui.history.history_model import field_name, readable

    role = SignOffRole(kind=RoleKind.REVIEWER, name="Sam", title="Internal audit")
    assert readable("signoff_reviewer", role.history_text()) == "Sam (Internal audit)"
    assert readable("signoff_reviewer", "{not json") == "{not json"
    assert {field_name(_entry(f)) for f in ("review", "review_comment", "four_eyes")} == {
        "Review state",
        "Review comment",
        "Four-eyes rule",
    }


def test_the_history_view_names_states_statuses_and_priorities_by_their_labels() -> None:
    """Every stored enum value in a history row reads as the label the other surfaces use
    ("Ready for review", "In progress", "High"), never as "ready_for_review"; a value that is
    no member (an older or foreign file) is shown as stored."""
    from app.domain.actions import ActionPriority, ActionStatus
    from app.domain.review import ReviewState
    from app.ui.history.history_model import readable

    uid = "0" * 32
    for state in ReviewState:
        assert readable("review", state.value) == state.label
    for status in ActionStatus:
        assert readable(f"action:{uid}:status", status.value) == status.label
    for priority in ActionPriority:
        assert readable(f"action:{uid}:priority", priority.value) == priority.label
    assert readable("review", "someday") == "someday"
    assert readable(f"action:{uid}:title", "in_progress") == "in_progress"  # a title as typed


def _entry(field: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    from app.domain.assessment import HistoryEntry

    return HistoryEntry(
        subcategory_id="GOVERN 1.1", field=field, new="x", actor="a", at=dt.datetime.now(dt.UTC)
    )
