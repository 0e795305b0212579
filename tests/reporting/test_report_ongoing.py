"""Issue 14's data in the report (issue 15): the fingerprint covers actions, reviews, comments,
sign-off roles, the four-eyes setting, the AI-system profile and evidence dates; the pages show
the sign-off block and audit trail, the organisation's remediation plan, evidence assurance,
the key findings and the profile."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from report_helpers import make_ongoing, norm, read_pdf
from test_report_verify import _independent_fingerprint

from app.domain.report_fingerprint import (
    RECIPE,
    RECIPE_V1,
    differences,
    recipe_of,
    report_fingerprint,
)
from app.services.report import ReportService
from app.services.report_check import check_report


@pytest.fixture(scope="module")
def ongoing(module_ctx, tmp_path_factory):  # type: ignore[no-untyped-def]
    """(ctx, assessment id, report model, PDF) of a finalized assessment with issue 14's data."""
    aid = make_ongoing(module_ctx, tmp_path_factory.mktemp("ongoing"))
    service = ReportService(module_ctx)
    report = service.build(aid)
    return module_ctx, aid, report, read_pdf(service.render(report))


def _document(report) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return json.loads(report.meta.source)


def test_the_fingerprint_covers_the_ongoing_work(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, report, _pdf = ongoing
    document = _document(report)
    assert document["actions"] and document["reviews"] and document["review_comments"]
    assert report.meta.fingerprint == report_fingerprint(document)
    assert report.meta.fingerprint == _independent_fingerprint(document)
    base = report.meta.fingerprint

    def changed(edit) -> str:  # type: ignore[no-untyped-def]
        copy = json.loads(json.dumps(document))
        edit(copy)
        return report_fingerprint(copy)

    def evidence_dated(d) -> dict:  # type: ignore[no-untyped-def, type-arg]
        return next(i for a in d["answers"] for i in a["evidence"] if i.get("valid_until"))

    edits = {
        "action owner": lambda d: d["actions"][0].update(owner="Someone else"),
        "action status": lambda d: d["actions"][1].update(status="done"),
        "action removed": lambda d: d["actions"].pop(),
        "review state": lambda d: d["reviews"][0].update(state="draft"),
        "comment text": lambda d: d["review_comments"][0].update(text="Other"),
        "signoff role": lambda d: d["assessment"]["signoff_roles"][0].update(name="Mallory"),
        "four-eyes": lambda d: d["assessment"].update(four_eyes_relaxed=True),
        "profile": lambda d: d["assessment"]["system_profile"].update(risk_tier="low"),
        "valid until": lambda d: evidence_dated(d).update(valid_until="2030-01-01"),
        "as of": lambda d: evidence_dated(d).update(as_of="2024-01-01"),
    }
    unchanged = [name for name, edit in edits.items() if changed(edit) == base]
    assert unchanged == []
    # The export's order of records is not a conclusion.
    shuffled = [
        lambda d: d["actions"].reverse(),
        lambda d: d["reviews"].reverse(),
        lambda d: d["actions"][0].update(updated_at="2030-01-01T00:00:00Z"),
    ]
    assert all(changed(edit) == base for edit in shuffled)


def test_differences_name_the_changed_action_and_review(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, report, _pdf = ongoing
    document = _document(report)
    current = json.loads(json.dumps(document))
    uid = current["actions"][0]["uid"]
    current["actions"][0]["owner"] = "Someone else"
    current["reviews"][0]["state"] = "draft"
    found = differences(document, current)
    assert f"actions {uid}: changed (owner)" in found
    sub = current["reviews"][0]["subcategory_id"]
    assert f"reviews {sub}: changed (state)" in found


def test_a_report_made_by_the_earlier_recipe_still_verifies(ongoing, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx, aid, report, _pdf = ongoing
    document = _document(report)
    v1 = report_fingerprint(document, RECIPE_V1)
    assert v1 != report.meta.fingerprint
    assert recipe_of(document, v1) == RECIPE_V1
    assert recipe_of(document, report.meta.fingerprint) == RECIPE
    old = dataclasses.replace(report, meta=dataclasses.replace(report.meta, fingerprint=v1))
    path = tmp_path / "old.pdf"
    path.write_bytes(ReportService(ctx).render(old))
    check = check_report(ctx, aid, path)
    assert not check.altered and check.matches and check.differences == ()
    # An altered fingerprint is still caught.
    forged = dataclasses.replace(
        report, meta=dataclasses.replace(report.meta, fingerprint="a" * 64)
    )
    path.write_bytes(ReportService(ctx).render(forged))
    assert check_report(ctx, aid, path).altered


def _section(pdf, title: str, end: str) -> str:  # type: ignore[no-untyped-def]
    """The text from the heading ``title`` (after the contents page) up to ``end``."""
    text = norm(" ".join(pdf.pages[2:]))
    start = text.index(title)
    return text[start : text.index(end, start + len(title))]


def test_signoff_block_and_audit_trail(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, _report, pdf = ongoing
    block = _section(pdf, "Sign-off and audit trail", "GOVERN function")
    for row in (
        "Assessor Alice Adams AI governance analyst",
        "Reviewer Bob Brown Internal audit",
        "Approver Carol Chen Chief Risk Officer",
        "I approve this assessment for the board.",
        "I reviewed the ratings.",
    ):
        assert row in block, row
    assert block.count("2026-11-30 12:00") >= 3  # each role's time
    assert "Four-eyes rule applied" in block and "relaxed" not in block
    # One change (alice's MEASURE 2.7) since the first sign-off on 2026-11-28.
    assert "1 recorded change since the previous sign-off (2026-11-28)" in block
    assert "alice 1 1" in block
    assert "by carol: The security test result came in after sign-off." in block
    assert "The hash chain of the change history is intact (" in block


def test_a_relaxed_four_eyes_rule_is_said_plainly(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    aid = make_ongoing(ctx, tmp_path, relax=True)
    service = ReportService(ctx)
    pdf = read_pdf(service.render(service.build(aid)))
    page1 = norm(pdf.pages[0])
    assert "Four-eyes rule relaxed" in page1
    assert "by Alice Adams (approver, Head of AI governance)" in page1
    block = _section(pdf, "Sign-off and audit trail", "GOVERN function")
    assert "Four-eyes rule relaxed: for this assessment the approver was allowed" in block
    # The report details' Status names every role and the relaxed rule, as page 1 does.
    details = _section(pdf, "Report details", "Sign-off and audit trail")
    status = details[details.index("Status") : details.index("Sign-off statement")]
    for part in (
        "Finalized. Signed off on 2026-11-30 by Alice Adams (approver, Head of AI governance)",
        "reviewed by Bob Brown (reviewer, Internal audit)",
        "assessed by Alice Adams (assessor, AI governance analyst)",
        "Four-eyes rule relaxed",
    ):
        assert part in status, part


def test_remediation_plan_is_the_organisations_actions(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, report, pdf = ongoing
    plan = report.plan
    assert (plan.total, plan.open, plan.overdue) == (5, 3, 2)
    # Overdue in local calendar days from the report's day, 2026-11-30.
    assert [i.days_overdue for i in plan.items[:2]] == [30, 10]
    text = _section(pdf, "Remediation plan", "Generative AI Profile")
    assert "The organisation's 5 actions: 3 open (2 overdue), 1 done, 1 with the risk accepted" in (
        text
    )
    assert "Legal & Compliance 2 1 1 1 2026-10-31" in text  # the owner roll-up
    assert "Security 1 1 1 0 2026-11-20" in text
    assert "GOVERN 1.1 Renew the regulatory register review Legal & Compliance 2026-10-31" in text
    assert "Risk accepted: Volumes too low" in text
    # The gap analysis names each gap's actions; the Playbook's suggestions stay apart.
    gaps = _section(pdf, "Gap analysis", "Remediation plan")
    assert "No remediation action is recorded for this subcategory." in gaps
    suggestions = _section(pdf, "Appendix: Playbook suggestions", "Appendix: all subcategories")
    assert "not the organisation's remediation plan" in suggestions


def test_evidence_assurance(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, report, pdf = ongoing
    a = report.assurance
    assert [d.subcategory_id for d in a.expired] == ["GOVERN 1.1"]
    assert [(d.subcategory_id, d.days_left) for d in a.expiring] == [("MAP 1.1", 15)]
    assert "MEASURE 2.7" in a.unsupported
    counts = {state.value: n for state, n in a.review}
    assert counts == {"draft": 69, "ready_for_review": 0, "reviewed": 2, "returned": 1}
    text = _section(pdf, "Evidence assurance", "Evidence index")
    assert "Coverage by function" in text and "GOVERN 14 1 1 2" in text
    assert "GOVERN 1.1 Legal register review 2024 2024-03-01 2025-03-01 expired 639 days ago" in (
        text
    )
    assert "MAP 1.1 Context statement 2026-10-01 2026-12-15 in 15 days" in text
    assert f"Ratings flagged unsupported ({len(a.unsupported)})" in text
    assert "Draft Ready for review Reviewed Returned 69 0 2 1" in text
    assert "No answer is carried over and not yet reviewed." in text


def test_key_findings_on_page_one(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, report, pdf = ongoing
    page1 = norm(pdf.pages[0])
    assert (
        "Signed off on 2026-11-30 by Carol Chen (approver, Chief Risk Officer); reviewed by Bob "
        "Brown (reviewer, Internal audit); assessed by Alice Adams (assessor, AI governance "
        "analyst)."
    ) in page1
    assert "Key findings" in page1
    assert "2 remediation actions are overdue, of 3 open (the oldest by 30 days" in page1
    n = len(report.assurance.unsupported)
    assert f"{n} ratings of Advanced or Leading are flagged unsupported" in page1
    assert "1 evidence item has expired (GOVERN 1.1); 1 more expires within 30 days." in page1
    assert "Five largest gaps" in page1  # page 1 still holds the largest gaps


def test_the_ai_system_profile_is_printed(ongoing) -> None:  # type: ignore[no-untyped-def]
    _ctx, _aid, _report, pdf = ongoing
    details = _section(pdf, "Report details", "Sign-off and audit trail")
    assert (
        "Status Finalized. Signed off on 2026-11-30 by Carol Chen (approver, Chief Risk "
        "Officer); reviewed by Bob Brown (reviewer, Internal audit); assessed by Alice Adams"
    ) in details
    assert "relaxed" not in details
    for line in (
        "AI-system profile",
        "Risk tier High",
        "Lifecycle stage Operate and Monitor",
        "Model vendor ExampleAI Inc.",
        "Data categories Chat transcripts; Account identifiers",
        "Affected populations Retail customers; Support agents",
    ):
        assert line in details, line
