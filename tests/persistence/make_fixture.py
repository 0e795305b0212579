"""Write the fixture database of the current schema: run once per released schema version.

python tests/persistence/make_fixture.py   # writes tests/persistence/fixtures/schema-<rev>.sqlite3
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.persistence.database import head_revision  # noqa: E402
from app.services.answers import AnswerService  # noqa: E402
from app.services.assessments import AssessmentService  # noqa: E402
from app.services.bootstrap import open_services  # noqa: E402


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
    answers.add_link(a.id, "GOVERN 1.1", "Policy", "https://example.org/policy")
    answers.record(a.id, "MAP 1.1", not_applicable=True, na_rationale="Not deployed")
    ctx.db.dispose()
    print(target)


if __name__ == "__main__":
    main()
