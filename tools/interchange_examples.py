"""Write the interchange examples kept in docs/examples/ from a fresh sample assessment.

    python tools/interchange_examples.py [OUT_DIR]      # default: docs/examples

The questionnaire workbook (.xlsx), the questionnaire and actions CSV, the action due dates
(.ics), the Word report (.docx) and the OSCAL documents, made at a fixed time from the sample
with three remediation actions added, so that a new run differs only where random uids show.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from app.services.actions import ActionService
from app.services.bootstrap import open_services
from app.services.context import ServiceContext
from app.services.interchange.docx_export import export_docx
from app.services.interchange.ics import ActionCalendarService
from app.services.interchange.oscal import OscalService
from app.services.interchange.service import InterchangeService
from app.services.sample import create_sample


def _add_actions(ctx: ServiceContext, aid: int) -> None:
    actions = ActionService(ctx)
    actions.add(
        aid,
        "MAP 1.1",
        title="Document the chatbot's intended purpose and contexts of use",
        description="Write the purpose, users and settings down and have Legal review them.",
        owner="Product owner",
        due_date=dt.date(2026, 12, 15),
        priority="high",
    )
    actions.add(
        aid,
        "MEASURE 2.7",
        suggestion="playbook:1",
        owner="Security lead",
        due_date=dt.date(2027, 1, 31),
        status="in_progress",
        notes="Red-team exercise booked for January.",
    )
    actions.add(
        aid,
        "GOVERN 1.1",
        title="Record the legal review of consumer-protection duties",
        owner="Legal",
        status="done",
    )


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_services(str(Path(folder) / "examples.sqlite3"))
        ctx.clock = lambda: dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
        ctx.actor = "Example Assessor"
        sample = create_sample(ctx)
        _add_actions(ctx, sample.id)
        service = InterchangeService(ctx)
        service.export_xlsx(sample.id, out / "questionnaire.xlsx", force=True)
        service.export_csv_pair(sample.id, out / "questionnaire.csv", force=True)
        ActionCalendarService(ctx).export(sample.id, out / "action-due-dates.ics", force=True)
        export_docx(ctx, sample.id, out / "report.docx", force=True)
        for path in OscalService(ctx).export(sample.id, out / "oscal", force=True):
            print(path)
        ctx.db.dispose()
    print(f"wrote the examples to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/examples"))
