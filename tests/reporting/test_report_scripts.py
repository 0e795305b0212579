"""Text in other scripts: every script drawn with an embedded face that has its glyphs, shaped
where it must be, and given back by pdftotext exactly where the PDF text layer allows it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from report_helpers import rubric

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.report import ReportService

# Given back exactly by pdftotext (titles, owners, notes and the page header).
EXACT = {
    "Chinese": "人工智能风险评估",
    "Japanese": "リスク評価の記録",
    "Korean": "인공지능 위험 평가",
    "emoji": "🙂🚀",
    "Hebrew": "הערכת סיכונים",  # last: a reader's bidi takes neutrals after it into the run
}
# Shaped (joined, reordered, conjuncts): drawn right, but the PDF text layer holds the shaped
# glyphs, which pdftotext does not turn back into the exact letters.
SHAPED = {"Hindi": "जोखिम मूल्यांकन", "Arabic": "تقييم المخاطر"}


@pytest.fixture(scope="module")
def pdf(module_ctx, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    texts = {**EXACT, **SHAPED}
    name = " ".join(EXACT.values())
    aid = AssessmentService(module_ctx).create({"name": name, "ai_system": EXACT["Korean"]}).id
    answers = AnswerService(module_ctx)
    for i, text in enumerate(texts.values()):
        answers.record(
            aid, f"GOVERN 1.{i + 1}", metrics=rubric("M", "M", "L"), owner=text, notes=text
        )
    service = ReportService(module_ctx)
    path = tmp_path_factory.mktemp("scripts") / "r.pdf"
    path.write_bytes(service.render(service.build(aid)))
    return path


def _text(path: Path, *pages: int) -> str:
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    out = subprocess.run(["pdftotext", *span, str(path), "-"], capture_output=True, text=True)
    return out.stdout


@pytest.mark.parametrize("script", list(EXACT))
def test_pdftotext_gives_back_the_exact_text(pdf: Path, script: str) -> None:
    text = EXACT[script]
    everything = _text(pdf)
    assert f"Notes\n{text}" in everything or text in everything.split("Notes\n", 1)[-1]
    cover = _text(pdf, 1)
    assert text in cover.splitlines()[0]  # the page header: the assessment's name
    last = _text(pdf, 3)
    assert text in last  # the header of another page
    assert "[U+" not in everything


def test_every_script_has_an_embedded_face(pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert all(row[-5] == "yes" for row in rows), fonts  # emb column: every font embedded
    names = " ".join(row[0] for row in rows)
    for face in ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "DroidSans", "Symbola"):
        assert face in names


def test_shaped_scripts_are_shaped(pdf: Path) -> None:
    from app.reporting.text import needs_shaping, visual_word_order

    assert all(needs_shaping(text) for text in SHAPED.values())
    assert not needs_shaping("Plain English, Ελληνικά, 中文")
    # Right-to-left words are set in visual order (each word's letters turned by shaping).
    assert visual_word_order("הערכת סיכונים 2026") == "סיכונים הערכת 2026"
    assert visual_word_order("Policy הערכת סיכונים v2") == "Policy סיכונים הערכת v2"
