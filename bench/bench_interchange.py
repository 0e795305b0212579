"""Interchange (issue 16): export of a complete assessment (every subcategory rated, notes,
owners, due dates, the GenAI overlay) to XLSX, DOCX and OSCAL, and the dry-run import of a
returned workbook with a change in every row.

Budget: under 1 s each on the project's machine (the median of several warm runs; the first
run of a process also imports openpyxl/python-docx and registers the fonts: reported apart).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from bench.harness import Result, median_ms

ROUNDS = 5
BUDGET_MS = 1000.0
NOTE = (
    "Reviewed with the model risk committee on the quarterly cadence; minutes and the signed "
    "risk acceptance are filed in the GRC tool. Owners confirmed the follow-up actions."
)


def _setup(tmp: Path):  # type: ignore[no-untyped-def]
    from app.services.answers import AnswerService
    from app.services.assessments import AssessmentService
    from app.services.bootstrap import open_services

    ctx = open_services(str(tmp / "interchange.sqlite3"))
    aid = (
        AssessmentService(ctx)
        .create(
            {
                "name": "Support chatbot 2026",
                "ai_system": "Support chatbot",
                "profiles": [{"profile_id": "nist-ai-600-1", "risks": ["confabulation"]}],
            }
        )
        .id
    )
    subs = ctx.catalog.framework("nist-ai-rmf-1.0").subcategory_ids()
    rows = []
    for i, sub in enumerate(subs):
        rows.append(
            (
                sub,
                sub,
                {
                    "metrics": {
                        "coverage": "LMH"[i % 3],
                        "robustness": "LMH"[(i // 3) % 3],
                        "input_diversity": "LMH"[(i // 9) % 3],
                    },
                    "notes": f"{NOTE} ({sub})",
                    "owner": f"Owner {i % 5}",
                    "due_date": dt.date(2027, 1, 1) + dt.timedelta(days=i),
                    "target": 3 + i % 2,
                },
            )
        )
    AnswerService(ctx).record_many(aid, rows)
    # A complete plan too: two remediation actions per subcategory (the Actions sheet, the
    # actions CSV and the POA&M list them).
    from app.services.actions import ActionService

    actions = ActionService(ctx)
    for i, sub in enumerate(subs):
        for n in range(2):
            actions.add(
                aid,
                sub,
                title=f"Action {n + 1} for {sub}",
                description=NOTE,
                owner=f"Owner {i % 5}",
                due_date=dt.date(2027, 1, 1) + dt.timedelta(days=i + n),
                priority=("high", "medium", "low")[(i + n) % 3],
            )
    return ctx, aid


def run() -> list[Result]:
    from openpyxl import load_workbook

    from app.services.interchange.docx_export import export_docx
    from app.services.interchange.oscal import OscalService
    from app.services.interchange.service import InterchangeService

    results = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        ctx, aid = _setup(tmp)
        service = InterchangeService(ctx)
        xlsx, docx, oscal = tmp / "q.xlsx", tmp / "r.docx", tmp / "oscal"

        cases = {
            "xlsx export (72 rows, complete)": lambda: service.export_xlsx(aid, xlsx, force=True),
            "docx report export (complete)": lambda: export_docx(ctx, aid, docx, force=True),
            "oscal export (3 documents)": lambda: OscalService(ctx).export(aid, oscal, force=True),
        }
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            first = (time.perf_counter() - t0) * 1000
            ms = median_ms(fn, ROUNDS)
            results.append(
                Result(name, ms, None, "< 1 s", ms < BUDGET_MS, {"first_run_ms": round(first)})
            )
        wb = load_workbook(xlsx)
        ws = wb["Questionnaire"]
        notes = next(c.column for c in ws[1] if c.value == "notes")
        for row in range(2, ws.max_row + 1):
            ws.cell(row, notes).value = f"Returned by the respondent (row {row})"
        returned = tmp / "returned.xlsx"
        wb.save(returned)
        plan = service.preview(aid, returned)
        assert len(plan.applicable) == 72, len(plan.applicable)
        ms = median_ms(lambda: service.preview(aid, returned), ROUNDS)
        results.append(
            Result("xlsx dry-run import (72 changes)", ms, None, "< 1 s", ms < BUDGET_MS)
        )
        ctx.db.dispose()
    return results
