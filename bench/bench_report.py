"""Report export: a complete assessment with the GenAI overlay, three earlier cycles and
realistic notes, rendered to PDF.

Floor: ReportLab rendering the same text volume (the report's own extracted text) as plain
paragraphs, with no tables or charts. Budget: at most 2x the floor. Also reports pages/second.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from bench.harness import Result, alternate

ROUNDS = 5
NOTE = (
    "Reviewed with the model risk committee on the quarterly cadence; minutes and the signed "
    "risk acceptance are filed in the GRC tool. Owners confirmed the follow-up actions and due "
    "dates; the next review checks the monitoring dashboards and the incident log."
)


def _setup(tmp: Path):  # type: ignore[no-untyped-def]
    from app.services.answers import AnswerService
    from app.services.assessments import AssessmentService
    from app.services.bootstrap import open_services
    from app.services.lifecycle import LifecycleService

    ctx = open_services(str(tmp / "report.sqlite3"))
    meta = {
        "name": "Support chatbot 2024",
        "ai_system": "Support chatbot",
        "organization": "Customer Operations",
        "scope": "Customer-facing assistant",
        "profiles": [
            {
                "profile_id": "nist-ai-600-1",
                "risks": [
                    "confabulation",
                    "data-privacy",
                    "information-integrity",
                    "harmful-bias-homogenization",
                ],
            }
        ],
    }
    aid = AssessmentService(ctx).create(meta).id
    answers, life = AnswerService(ctx), LifecycleService(ctx)
    subs = ctx.catalog.framework("nist-ai-rmf-1.0").subcategory_ids()
    lmh = "LMH"
    for cycle in range(4):
        for i, sub in enumerate(subs):
            k = (i + cycle) % 9
            answers.record(
                aid,
                sub,
                metrics={
                    "coverage": lmh[k % 3],
                    "robustness": lmh[(k // 3) % 3],
                    "input_diversity": lmh[(i + cycle) % 2],
                },
                notes=f"{NOTE} (cycle {cycle + 1})",
                owner="Risk office",
                actions_in_place=[0],
                carried_over=False,
            )
        if cycle < 3:
            aid = life.start_next_cycle(aid, f"Support chatbot {2025 + cycle}", from_draft=True).id
    return ctx, aid


def run() -> list[Result]:
    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from app.catalog.loader import resources_root
    from app.services.report import ReportService

    with tempfile.TemporaryDirectory(prefix="airmf-bench-report-") as tmp_name:
        tmp = Path(tmp_name)
        ctx, aid = _setup(tmp)
        service = ReportService(ctx)
        target = tmp / "report.pdf"
        service.export_pdf(aid, target)
        reader = PdfReader(str(target))
        pages = len(reader.pages)
        text = [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]
        font = resources_root() / "fonts" / "DejaVuSans.ttf"
        if "BenchSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("BenchSans", str(font)))
        style = ParagraphStyle("b", fontName="BenchSans", fontSize=9, leading=11)

        def ours() -> None:
            service.export_pdf(aid, target)

        def floor() -> None:
            buf = io.BytesIO()
            doc = SimpleDocTemplate(buf, pagesize=A4)
            doc.build([Paragraph(escape(line), style) for line in text if line.strip()])
            (tmp / "floor.pdf").write_bytes(buf.getvalue())

        o, f, ratio = alternate(ours, floor, ROUNDS)
        t0 = time.perf_counter()
        ours()
        pps = pages / (time.perf_counter() - t0)
        ctx.db.dispose()
    return [
        Result(
            "report export (4 cycles, GenAI, notes)",
            o,
            f,
            "<= 2x floor",
            ratio <= 2,
            {"median_ratio": round(ratio, 2), "pages": pages, "pages_per_s": round(pps, 1)},
        )
    ]


if __name__ == "__main__":
    for r in run():
        print(r.line())
