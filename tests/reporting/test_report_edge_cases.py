"""Reports of unusual assessments: hostile text, nothing answered, a fully N/A function, and a
complete, finalized assessment on US Letter. Each builds and reads sensibly."""

from __future__ import annotations

import re

from pypdf.generic import RectangleObject
from report_helpers import norm, read_pdf, rubric

from app.domain.limits import NAME_MAX, TEXT_MAX
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.services.report import ReportService

MARKUP_NOTE = "<b>not bold</b> & <para> 1 < 2 > 0 &amp; </para><font size=40>"
MIXED = "Ελληνικά Кириллица Français ñ ß — naïve «quote»"
MISSING = "中文 🙂 \ue000"  # CJK and an emoji (embedded fallbacks), a private-use character


def test_hostile_text_builds_and_prints_literally(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    name = f"<b>Q3</b> & <para>{MIXED} {MISSING}"
    a = AssessmentService(ctx).create(
        {
            "name": name,
            "ai_system": "Sys </para><font size=40>x</font>",
            "organization": "R&D <i>",
            "scope": "Scope " + "y" * 5000,
            "profiles": [{"profile_id": "nist-ai-600-1", "risks": ["confabulation"]}],
        }
    )
    answers = AnswerService(ctx)
    long_note = (
        MARKUP_NOTE
        + "\n"
        + "Lorem ipsum dolor sit amet. " * 530  # up to the notes limit (domain.limits)
        + "\n"
        + "Z" * 5000  # one unbroken string
        + "\nEND-OF-LONG-NOTE"
    )
    assert TEXT_MAX - 1000 < len(long_note) <= TEXT_MAX
    answers.record(
        a.id,
        "GOVERN 1.1",
        metrics=rubric("L", "L", "M"),
        notes=long_note,
        owner="o" * NAME_MAX,
        target=5,
    )
    long_url = "https://example.com/" + "a" * 900
    answers.add_link(a.id, "GOVERN 1.1", "<script>alert(1)</script>", long_url)
    answers.record(
        a.id,
        "MAP 1.1",
        not_applicable=True,
        na_rationale=f"{MIXED} <br/> & العربية {MISSING} " * 270,
    )
    path = ReportService(ctx).export_pdf(a.id, tmp_path / "hostile.pdf")
    pdf = read_pdf(path)
    text = pdf.text
    assert "<b>Q3</b> & <para>Ελληνικά Кириллица Français ñ ß — naïve «quote»" in text
    assert "Sys </para><font size=40>x</font>" in text
    assert "R&D <i>" in text
    assert MARKUP_NOTE.strip() in text
    assert "END-OF-LONG-NOTE" in text
    # The unbroken string is split into lines (and maybe pages), but nothing is lost.
    assert pdf.squeezed.count("Z") >= 5000
    assert max(len(run) for run in re.findall("Z+", pdf.squeezed)) >= 1000
    assert long_url in pdf.squeezed
    assert "<script>alert(1)</script>" in text
    # CJK and emoji come from the fallback faces; a character no embedded face has is shown
    # as its code point, not dropped.
    assert "中文 🙂 [U+E000]" in text
    assert "shown as their Unicode code point" in text
    assert len(pdf.pages) > 30  # the long note flows over many pages


def test_empty_assessment_explains_every_empty_chart(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Nothing yet", "ai_system": "New model"})
    pdf = read_pdf(ReportService(ctx).export_pdf(a.id, tmp_path / "empty.pdf"))
    text = pdf.text
    assert "No subcategory has been rated yet, so there is no maturity score" in text
    assert "No function has a score yet, so there is no radar chart" in text
    for f in ("GOVERN", "MAP", "MEASURE", "MANAGE"):
        assert f"No category of {f} has a score (no subcategory is rated yet)" in text
    assert "No subcategory is rated yet, so there is no gap to analyse." in text
    assert "No subcategory is marked not applicable." in text
    assert "No evidence is cited in this assessment." in text
    assert "Progress since the previous cycle" not in text
    assert "Generative AI Profile (NIST AI 600-1)" not in text  # overlay off: no section
    assert all("DRAFT" in page for page in pdf.pages)


def test_fully_not_applicable_function(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service, answers = AssessmentService(ctx), AnswerService(ctx)
    a = service.create({"name": "Vendor model", "ai_system": "Scorer", "default_target": 4})
    framework = service.framework_for(a)
    for function in framework.functions:
        for i, sub in enumerate(s for c in function.categories for s in c.subcategories):
            if function.id == "MANAGE":
                answers.record(
                    a.id, sub.id, not_applicable=True, na_rationale=f"Vendor handles {sub.id}."
                )
            elif i < 3:
                answers.record(a.id, sub.id, metrics=rubric("M", "H", "L"))
    pdf = read_pdf(ReportService(ctx).export_pdf(a.id, tmp_path / "na.pdf"))
    text = pdf.text
    assert "MANAGE is entirely marked not applicable." in text
    assert "No score (every subcategory is marked not applicable)" in text
    assert "No category of MANAGE has a score (every subcategory is marked not applicable)" in text
    assert "Vendor handles MANAGE 4.3." in text
    assert re.search(r"MANAGE – – 100%", text)  # no score, fully complete, in the summary table


def test_complete_finalized_assessment_on_letter(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service, answers = AssessmentService(ctx), AnswerService(ctx)
    a = service.create({"name": "Complete 2026", "ai_system": "Credit scorer", "assessor": "AA"})
    codes = "LMH"
    for k, sub in enumerate(service.framework_for(a).subcategories()):
        answers.record(
            a.id, sub.id, metrics=rubric(codes[k % 3], codes[(k // 3) % 3], codes[(k // 9) % 3])
        )
    finalized = LifecycleService(ctx).finalize(a.id, "Jane Doe", "Chief Risk Officer")
    path = ReportService(ctx).export_pdf(
        a.id, tmp_path / "complete.pdf", paper="letter", label="Board only"
    )
    pdf = read_pdf(path)
    text = pdf.text
    box = RectangleObject(pdf.reader.pages[0].mediabox)
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert "DRAFT" not in text
    assert "Signed off on " in norm(pdf.pages[0])
    assert "by Jane Doe (approver, Chief Risk Officer)" in norm(pdf.pages[0])
    details = norm(next(p for p in pdf.pages[2:] if "Report details" in p))
    assert finalized.fingerprint in details
    assert "The answers match the fingerprint stored at sign-off." in details
    assert "with all 72 subcategories answered" in text
    summary = norm(pdf.pages[0])  # page 1: the executive summary
    assert "Provisional." not in summary and "· provisional" not in summary
    assert all("BOARD ONLY" in page and "Board only" in page for page in pdf.pages)
