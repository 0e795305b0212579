"""The Word report's sections on the ongoing work (issue 16, left from the last session): the
executive summary as in the PDF, the sign-off block with every role and the audit trail, the
organisation's remediation plan with its roll-up per owner, evidence assurance and the answers
carried over; built from the same report model as the PDF, so that the figures are the PDF's and
``airmf score --json``'s."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.table import Table

sys.path.insert(0, str(Path(__file__).parents[1] / "reporting"))
from report_helpers import ONGOING_NOW, Pdf, make_ongoing, norm, read_pdf  # noqa: E402


@pytest.fixture(scope="module")
def module_ctx(tmp_path_factory: Any, catalog: Any) -> Any:
    """A service context shared by this module's tests (a report is slow to build)."""
    from app.services.bootstrap import open_services

    folder = tmp_path_factory.mktemp("docx-db")
    context = open_services(str(folder / "assessments.sqlite3"), catalog=catalog)
    context.actor = "tester"
    yield context
    context.db.dispose()


@pytest.fixture(scope="module")
def ongoing(module_ctx: Any, tmp_path_factory: Any) -> tuple[Any, int, Any, Pdf, Any]:
    """(ctx, assessment id, report model, PDF, Word document) of a finalized assessment with
    issue 14's data (overdue actions, expired evidence, a reopening, three sign-off roles)."""
    from app.services.interchange.docx_export import export_docx
    from app.services.report import ReportService

    folder = tmp_path_factory.mktemp("docx-ongoing")
    aid = make_ongoing(module_ctx, folder)
    module_ctx.clock = lambda: ONGOING_NOW
    service = ReportService(module_ctx)
    report = service.build(aid)
    pdf = read_pdf(service.render(report))
    path = folder / "report.docx"
    export_docx(module_ctx, aid, path)
    return module_ctx, aid, report, pdf, Document(str(path))


def _h1(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]


def _table(doc: Any, first_header: str, second_header: str | None = None) -> Table:
    for t in doc.tables:
        head = [c.text for c in t.rows[0].cells]
        if head[0] == first_header and (second_header is None or head[1] == second_header):
            return t
    raise AssertionError(f"no table headed {first_header!r}")


def _rows(t: Table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in t.rows[1:]]


def _text(doc: Any) -> str:
    return norm(" ".join(p.text for p in doc.paragraphs))


def test_the_sections_follow_the_pdf_and_the_old_heading_is_gone(ongoing: Any) -> None:
    *_, pdf, doc = ongoing
    names = _h1(doc)
    wanted = [
        "Executive summary",
        "Report details",
        "Sign-off and audit trail",
        "Gap analysis",
        "Remediation plan",
        "Not-applicable register",
        "Evidence assurance",
        "Evidence index",
        "Method",
    ]
    assert [n for n in names if n in wanted] == wanted
    assert "Gap analysis and action plan" not in names
    positions = [pdf.text.index(name) for name in wanted[2:]]  # after the contents page
    assert positions == sorted(positions)


def test_the_summary_figures_equal_score_json_and_the_pdf(ongoing: Any, capsys: Any) -> None:
    from app.cli.main import main
    from app.domain.numbers import format_score

    ctx, aid, report, pdf, doc = ongoing
    assert main(["--db", str(ctx.location.sqlite_path), "score", str(aid), "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    kpis = dict(_rows(_table(doc, "Overall score"))) | {
        "Overall score": _table(doc, "Overall score").rows[0].cells[1].text
    }
    overall = scored["overall"]
    assert kpis["Overall score"].startswith(format_score(overall["score"]) + " · ")
    assert kpis["Subcategories below target"] == str(overall["below_target"])
    complete = kpis["Complete"]
    assert complete.startswith(f"{round(overall['completion'] * 100)}%: ")
    assert norm("Complete: " + complete.split(": ", 1)[1]) in pdf.text
    functions = _rows(_table(doc, "Function", "Score"))
    for row, f in zip(functions, scored["functions"], strict=True):
        star = " *" if f["provisional"] and f["score"] is not None else ""
        assert row[0] == f["id"]
        assert row[1] == format_score(f["score"]) + star
        assert row[4] == format_score(f["target"])
        assert row[6] == str(f["below_target"])
    for line in report.summary.findings:
        assert line in _text(doc)
        assert norm(line) in pdf.text


def test_the_signoff_block_has_every_role_and_the_audit_trail(ongoing: Any) -> None:
    _ctx, _aid, report, pdf, doc = ongoing
    roles = _rows(_table(doc, "Role"))
    assert [r[0] for r in roles] == ["Assessor", "Reviewer", "Approver"]
    assert [r[1] for r in roles] == ["Alice Adams", "Bob Brown", "Carol Chen"]
    assert roles[2][4] == "I approve this assessment for the board."
    text = _text(doc)
    assert report.summary.signoff in text
    assert "Four-eyes rule applied" in text
    audit = report.audit
    assert audit is not None and audit.by_person and audit.reopenings
    people = _rows(_table(doc, "Person (as recorded)"))
    assert people == [[p.actor, str(p.changes), str(p.subcategories)] for p in audit.by_person]
    for p in audit.by_person:
        assert norm(f"{p.actor} {p.changes} {p.subcategories}") in pdf.text
    assert "The security test result came in after sign-off." in text
    assert f"The hash chain of the change history is intact ({report.meta.chain_head})." in text


def test_the_remediation_plan_is_the_organisations_actions_with_the_owner_rollup(
    ongoing: Any,
) -> None:
    from app.domain.days import format_day

    _ctx, _aid, report, pdf, doc = ongoing
    plan = report.plan
    assert plan is not None and plan.overdue == 2
    rows = _rows(_table(doc, "Subcategory", "Action"))
    assert len(rows) == plan.total
    for row, item in zip(rows, plan.items, strict=True):
        a = item.action
        assert row[0] == a.subcategory_id
        assert row[1].split("\n")[0] == a.title
        assert row[2:] == [
            a.owner or "–",
            format_day(a.due_date) if a.due_date else "–",
            a.status.label,
            a.priority.label,
            str(item.days_overdue) if item.overdue else "–",
        ]
    accepted = next(r for r in rows if r[4] == "Risk accepted")
    assert "\nRisk accepted: Volumes too low" in accepted[1]
    owners = _rows(_table(doc, "Owner", "Actions"))
    assert [r[0] for r in owners] == [o.owner for o in plan.owners]
    assert [r[3] for r in owners] == [str(o.overdue) for o in plan.owners]
    sentence = next(p.text for p in doc.paragraphs if p.text.startswith("The organisation's"))
    assert f"({plan.overdue} overdue)" in sentence
    figures = sentence.split(" The Playbook's")[0]
    assert norm(figures) in pdf.text  # the PDF's sentence, word for word


def test_the_gap_analysis_lists_the_organisations_actions_not_playbook_text(
    ongoing: Any,
) -> None:
    _ctx, _aid, report, pdf, doc = ongoing
    assert report.plan is not None
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    titles = {i.action.title for i in report.plan.items}
    suggestions = {s for e in report.gaps for s in e.suggested_actions}
    in_gaps = [b for b in bullets if b.split(" (")[0] in titles]
    assert in_gaps and not (set(bullets) & suggestions)
    for bullet in in_gaps:  # the PDF's line: title (owner, due day, status, days overdue)
        assert norm(bullet) in pdf.text


def test_evidence_assurance_and_the_answers_carried_over(ongoing: Any) -> None:
    _ctx, _aid, report, pdf, doc = ongoing
    a = report.assurance
    assert a is not None and a.expired and a.unsupported
    coverage = _rows(_table(doc, "Function", "Rated"))
    assert coverage == [
        [c.function_id, str(c.rated), str(c.with_evidence), str(c.with_current), str(c.items)]
        for c in a.coverage
    ]
    expired = _rows(_table(doc, "Subcategory", "Evidence"))
    assert [r[1] for r in expired] == [d.item.title for d in (*a.expired, *a.expiring)]
    text = _text(doc)
    assert ", ".join(a.unsupported) in text
    assert f"Ratings flagged unsupported ({len(a.unsupported)})" in _headings(doc)
    review = _table(doc, "Draft")
    assert [c.text for c in review.rows[1].cells] == [str(n) for _s, n in a.review]
    assert "No answer is carried over and not yet reviewed." in text
    assert "No answer is carried over and not yet reviewed." in pdf.text


def _headings(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def test_answers_carried_over_are_listed(ctx: Any, tmp_path: Path) -> None:
    from report_helpers import make_two_cycles

    from app.services.interchange.docx_export import export_docx
    from app.services.report import ReportService

    _first, second = make_two_cycles(ctx, tmp_path)
    report = ReportService(ctx).build(second)
    assert report.assurance is not None and report.assurance.carried_over
    data = io.BytesIO()
    export_docx(ctx, second, data)
    text = _text(Document(io.BytesIO(data.getvalue())))
    carried = report.assurance.carried_over
    assert "carried over from the previous cycle and not yet reviewed" in text
    assert ", ".join(carried) in text
    assert str(report.summary.carried_over) in [
        r[1] for r in _rows(_table(Document(io.BytesIO(data.getvalue())), "Overall score"))
    ]


def test_report_details_status_names_every_role_as_the_pdf_does(ongoing: Any) -> None:
    """The details' Status is the PDF's sentence with every role that signed, not only the
    approver (issue 15's fix of the PDF, held for the Word report too)."""
    from app.reporting.sections_front import details_status

    _ctx, _aid, report, pdf, doc = ongoing
    status = [
        row.cells[1].text
        for table in doc.tables
        for row in table.rows
        if len(row.cells) >= 2 and row.cells[0].text == "Status"
    ]
    expected = details_status(report)
    assert status == [expected]
    for role in ("Alice Adams", "Bob Brown", "Carol Chen"):
        assert role in expected
    assert norm(expected) in pdf.text
