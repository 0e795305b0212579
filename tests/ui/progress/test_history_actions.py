"""The history names ticked actions: Playbook actions by their number and text (never "[0]"),
AI 600-1 actions by their stable ids, each list under its own label."""

from __future__ import annotations

import pytest

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.ui.history.history_model import Column, readable
from app.ui.history.history_view import HistoryView

pytestmark = pytest.mark.gui


def test_readable_actions() -> None:
    actions = ("Establish policies.", "Review them " + "yearly " * 20)
    assert readable("actions_in_place", "[0]", actions) == "1. Establish policies."
    both = readable("actions_in_place", "[0, 1]", actions)
    assert both.startswith("1. Establish policies.; 2. Review them yearly")
    assert both.endswith("…") and "[" not in both
    assert readable("actions_in_place", "[4]", actions) == "action 5"  # not in this framework
    assert readable("actions_in_place", "[0]") == "action 1"
    assert readable("genai_actions_in_place", '["GV-1.1-001", "GV-1.1-002"]') == (
        "GV-1.1-001, GV-1.1-002"
    )
    # A change of an evidence item's dates reads as one (not "1 item: P" before and after).
    dated = '[{"title": "P", "url": "https://x.org", "valid_until": "2027-12-31"}]'
    assert readable("evidence", dated) == "1 item: P (valid until 2027-12-31)"
    assert readable("evidence", '[{"title": "P", "url": "https://x.org"}]') == "1 item: P"


def test_history_view_names_the_actions(ctx, framework, qtbot, qtmodeltester, background) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Ticks"}).id
    answers = AnswerService(ctx)
    answers.tick_actions(aid, "GOVERN 1.1", {0: True})
    answers.tick_genai_actions(aid, "GOVERN 1.1", {"GV-1.1-001": True})
    view = HistoryView(ctx, background)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.load(aid, "GOVERN 1.1")
    qtmodeltester.check(view.model)
    rows = range(view.model.rowCount())
    fields = [view.model.index(r, Column.FIELD).data() for r in rows]
    new = [view.model.index(r, Column.NEW).data() for r in rows]
    assert fields == ["Playbook actions in place", "AI 600-1 actions in place"]
    first = framework.subcategory("GOVERN 1.1").guidance.suggested_actions[0]
    assert new[0].startswith("1. " + " ".join(first.split())[:40])
    assert new[1] == "GV-1.1-001"
    assert view.model.index(0, Column.NEW).data(3) == "[0]"  # the tooltip keeps the stored text
