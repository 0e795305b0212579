"""Write the fixture database of the current schema: run once per released schema version.

python tests/persistence/make_fixture.py   # writes tests/persistence/fixtures/schema-<rev>.sqlite3
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.domain.review import ReviewAction  # noqa: E402
from app.persistence.database import head_revision  # noqa: E402
from app.services.actions import ActionService  # noqa: E402
from app.services.answers import AnswerService  # noqa: E402
from app.services.assessment_edit import AssessmentEdit, AssessmentEditor  # noqa: E402
from app.services.assessments import AssessmentService  # noqa: E402
from app.services.bootstrap import open_services  # noqa: E402
from app.services.review import ReviewService  # noqa: E402


def main() -> None:
    target = Path(__file__).with_name("fixtures") / f"schema-{head_revision()}.sqlite3"
    target.parent.mkdir(exist_ok=True)
    target.unlink(missing_ok=True)
    ctx = open_services(str(target))
    ctx.actor = "fixture"
    a = AssessmentService(ctx).create({"name": "Fixture assessment", "ai_system": "Fixture AI"})
    answers = AnswerService(ctx)
    answers.record(
        a.id,
        "GOVERN 1.1",
        metrics={"coverage": "H", "robustness": "H", "input_diversity": "M"},
        notes="Approved by the board",
    )
    answers.add_link(
        a.id,
        "GOVERN 1.1",
        "Policy",
        "https://example.org/policy",
        as_of=dt.date(2026, 1, 1),
        valid_until=dt.date(2027, 1, 1),
    )
    answers.record(a.id, "MAP 1.1", not_applicable=True, na_rationale="Not deployed")
    # The records of schema 0007-0010: an action, a review move, the AI-system profile.
    ActionService(ctx).add(a.id, "GOVERN 1.1", title="Yearly policy review", owner="Dana")
    ReviewService(ctx).act(a.id, "GOVERN 1.1", ReviewAction.READY, "please check")
    AssessmentEditor(ctx).edit(a.id, AssessmentEdit(system={"intended_use": "Fixture scoring"}))
    ctx.db.dispose()
    print(target)


if __name__ == "__main__":
    main()
