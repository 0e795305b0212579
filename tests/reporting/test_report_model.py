"""The report model without a PDF: file names, options, gap order, the summary's reading."""

from __future__ import annotations

import datetime as dt

import pytest
from report_helpers import rubric

from app.domain.report import (
    ReportInputError,
    build_report,
    default_report_name,
    normalize_label,
    normalize_paper,
)
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.report import ReportService
from app.services.scoring import ScoringService


def test_default_name_drops_characters_unsafe_in_file_names() -> None:
    day = dt.date(2026, 3, 31)
    assert (
        default_report_name("Q3 2026", "Loan scorer", day) == "Q3 2026-Loan scorer-2026-03-31.pdf"
    )
    assert (
        default_report_name('a/b\\c:d*e?"f<g>|h', "  sys.  ", day)
        == "a b c d e f g h-sys-2026-03-31.pdf"
    )
    assert default_report_name("Ωmega «x»", "", day) == "Ωmega «x»-2026-03-31.pdf"
    assert len(default_report_name("n" * 200, "s" * 200, day)) < 180


def test_paper_and_label_options() -> None:
    assert normalize_paper("A4") == "a4" and normalize_paper("US Letter") == "letter"
    assert normalize_label("  Strictly   confidential ") == "Strictly confidential"
    with pytest.raises(ReportInputError):
        normalize_paper("legal")
    with pytest.raises(ReportInputError):
        normalize_label("")


def test_gaps_are_ordered_by_gap_then_function_and_reading_names_them(ctx) -> None:  # type: ignore[no-untyped-def]
    service, answers = AssessmentService(ctx), AnswerService(ctx)
    aid = service.create({"name": "Order", "default_target": 4}).id
    answers.record(aid, "MANAGE 1.1", metrics=rubric("L", "L", "L"))  # 1: gap 3
    answers.record(aid, "GOVERN 1.2", metrics=rubric("L", "L", "M"))  # 2: gap 2
    answers.record(aid, "MAP 1.1", metrics=rubric("L", "L", "M"))  # 2: gap 2
    answers.record(aid, "GOVERN 1.1", metrics=rubric("L", "L", "M"))  # 2: gap 2
    answers.record(aid, "MEASURE 1.1", metrics=rubric("H", "H", "H"))  # 5: no gap
    answers.record(aid, "MEASURE 1.2", not_applicable=True, na_rationale="Not used")
    report = ReportService(ctx).build(aid)
    assert [e.id for e in report.gaps] == ["MANAGE 1.1", "GOVERN 1.1", "GOVERN 1.2", "MAP 1.1"]
    assert [e.id for e in report.summary.top_gaps] == [e.id for e in report.gaps]
    reading = report.summary.reading
    # No headline rests on 1 of 22 subcategories (issue 15): scores are named with their
    # completion, none is called the strongest or the weakest, and provisional says so.
    assert "No function is complete enough yet to be called the strongest" in reading
    assert "The strongest" not in reading
    assert "Overall maturity is provisionally" in reading
    assert "MEASURE (5.0, Leading, 9% complete)" in reading
    assert "4 rated subcategories are below target; the largest gap is 3.0 (MANAGE 1.1)" in reading
    assert "Still unanswered: 66 subcategories" in reading
    assert [e.id for e in report.not_applicable] == ["MEASURE 1.2"]
    assert report.entry("GOVERN 1.2").rating_short == "L/L/M → 2"
    assert report.entry("GOVERN 1.2").rating.startswith("Coverage Low, Robustness Low")
    assert report.progress is None and report.genai == ()


def test_build_report_refuses_bad_options(ctx) -> None:  # type: ignore[no-untyped-def]
    service = AssessmentService(ctx)
    a = service.create({"name": "X"})
    with pytest.raises(ReportInputError):
        build_report(
            assessment=a,
            framework=service.framework_for(a),
            scheme=service.scheme_for(a),
            answers={},
            tree=ScoringService(ctx).score(a.id),
            fingerprint="0" * 64,
            generated_at=dt.datetime.now(dt.UTC),
            paper="A5",
        )


def test_reporting_is_not_imported_on_the_start_up_path() -> None:
    import subprocess
    import sys

    code = (
        "import sys, app.cli.main, app.services.report, app.domain.report;"
        "print('reportlab' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_strongest_function_is_named_only_when_complete_enough(ctx) -> None:  # type: ignore[no-untyped-def]
    service, answers = AssessmentService(ctx), AnswerService(ctx)
    aid = service.create({"name": "Ranking"}).id
    framework = service.framework_for(service.get(aid))
    govern, _map, measure, _manage = framework.functions
    for sub in [s for c in govern.categories for s in c.subcategories]:
        answers.record(aid, sub.id, metrics=rubric("M", "M", "M"))  # all of GOVERN: 3
    for sub in [s for c in _map.categories for s in c.subcategories]:
        answers.record(aid, sub.id, metrics=rubric("L", "L", "M"))  # all of MAP: 2
    first = measure.categories[0].subcategories[0].id
    answers.record(aid, first, metrics=rubric("H", "H", "H"))  # 1 of 22 of MEASURE: 5
    reading = ReportService(ctx).build(aid).summary.reading
    assert "the strongest is GOVERN (3.0, Established, 100% complete)" in reading
    assert "the weakest is MAP (2.0, Developing, 100% complete)" in reading
    assert "The score of MEASURE (5.0, Leading, 5% complete) rests on too few" in reading
    assert "Overall maturity is provisionally" in reading
    # Two such functions: "The scores of ... rest" (it read "The score of ... rest").
    answers.record(aid, _manage.categories[0].subcategories[0].id, metrics=rubric("M", "M", "M"))
    reading = ReportService(ctx).build(aid).summary.reading
    assert "The scores of MEASURE (5.0, Leading, 5% complete) and MANAGE (3.0, " in reading
    assert "rest on too few subcategories" in reading


def test_building_a_report_scores_each_cycle_once(ctx, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from report_helpers import make_two_cycles

    first, second = make_two_cycles(ctx, tmp_path)
    scored: list[int] = []
    original = ScoringService.score

    def counting(self, assessment_id):  # type: ignore[no-untyped-def]
        scored.append(assessment_id)
        return original(self, assessment_id)

    monkeypatch.setattr(ScoringService, "score", counting)
    report = ReportService(ctx).build(second)
    # This cycle is scored from the answers read with the embedded export; the previous one
    # once, for both the comparison and the trend (issue 15: read each record once).
    assert scored == [first]
    assert report.progress is not None and len(report.progress.trend) == 2
