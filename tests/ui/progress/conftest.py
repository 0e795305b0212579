"""Data for the progress GUI tests, built through the services with a controllable clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService


def rubric(c: str, r: str, d: str) -> dict[str, str]:
    return {"coverage": c, "robustness": r, "input_diversity": d}


def on(ctx, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    """Make the services stamp everything at 10:00 UTC on ``day``."""
    moment = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.UTC)
    ctx.clock = lambda: moment


@dataclass(frozen=True)
class Cycles:
    system: str
    ids: list[int]  # oldest first
    other_system: str
    other_id: int


@pytest.fixture
def cycles(ctx) -> Cycles:  # type: ignore[no-untyped-def]
    """Three cycles of "Chatbot" with improvements, regressions and N/A changes; one other system.

    C1 -> C2: GOVERN 1.1 1 -> 3 improved; GOVERN 1.2 5 -> 4 regressed; MEASURE 1.1 N/A -> 4
    newly rated; MANAGE 1.1 4 -> 2 regressed. C2 -> C3: MAP 1.1 3 -> N/A (no longer rated);
    GOVERN 1.2 4 -> 5 improved.
    """
    ans, life, svc = AnswerService(ctx), LifecycleService(ctx), AssessmentService(ctx)
    on(ctx, dt.date(2025, 1, 15))
    first = svc.create({"name": "C1", "ai_system": "Chatbot"}).id
    ans.record(first, "GOVERN 1.1", metrics=rubric("L", "L", "L"))  # 1
    ans.record(first, "GOVERN 1.2", metrics=rubric("H", "H", "H"))  # 5
    ans.record(first, "MAP 1.1", metrics=rubric("M", "M", "M"))  # 3
    ans.record(first, "MEASURE 1.1", not_applicable=True, na_rationale="No metrics yet")
    ans.record(first, "MANAGE 1.1", metrics=rubric("H", "H", "M"))  # 4
    on(ctx, dt.date(2025, 4, 15))
    second = life.start_next_cycle(first, "C2", from_draft=True).id
    ans.record(second, "GOVERN 1.1", metrics=rubric("M", "M", "M"))  # 3
    ans.record(second, "GOVERN 1.2", metrics=rubric("M", "H", "H"))  # 4
    ans.record(second, "MEASURE 1.1", metrics=rubric("H", "H", "M"))  # 4
    ans.record(second, "MANAGE 1.1", metrics=rubric("M", "L", "M"))  # 2
    on(ctx, dt.date(2025, 7, 15))
    third = life.start_next_cycle(second, "C3", from_draft=True).id
    ans.record(third, "MAP 1.1", not_applicable=True, na_rationale="Out of scope now")
    ans.record(third, "GOVERN 1.2", metrics=rubric("H", "H", "H"))  # 5
    on(ctx, dt.date(2025, 3, 1))
    other = svc.create({"name": "Scorer 2025", "ai_system": "Loan scorer"}).id
    ans.record(other, "GOVERN 1.1", metrics=rubric("H", "H", "H"))
    ctx.clock = lambda: dt.datetime.now(dt.UTC)
    return Cycles("Chatbot", [first, second, third], "Loan scorer", other)


@pytest.fixture
def background(qtbot):  # type: ignore[no-untyped-def]
    """A Background shared by the views of one test; drained before the database closes."""
    from app.ui.workers import Background

    bg = Background()
    yield bg
    bg.wait()
