"""The report's Method page states the gap rule and the one rounding rule (issue 11)."""

from __future__ import annotations

from report_helpers import norm, read_pdf, rubric

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.report import ReportService


def test_method_page_states_the_gap_and_rounding_rules(module_ctx) -> None:  # type: ignore[no-untyped-def]
    ctx = module_ctx
    aid = AssessmentService(ctx).create({"name": "Method", "ai_system": "Scorer"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=rubric("L", "L", "L"))
    service = ReportService(ctx)
    pdf = read_pdf(service.render(service.build(aid)))
    # The Method section may break across pages: read it from its first heading on.
    start = max(i for i, p in enumerate(pdf.pages) if "Aggregation, not applicable" in p)
    method = norm(" ".join(pdf.pages[start:]))
    assert "How numbers and dates are written" in method
    assert "mean target of the rated subcategories beneath it" in method
    assert "gap = max(0, target − score)" in method
    assert "a function at score 3.0 and target 3.0 has gap 0.0" in method
    assert "count of rated subcategories below their target" in method
    assert "a half going to the even neighbour" in method
    assert "2.25 as 2.2, 2.35 as 2.4" in method
    assert "cut rather than rounded" not in pdf.text  # the old rule is gone from every page
