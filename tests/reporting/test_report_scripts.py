"""Text in other scripts: every script drawn with an embedded face that has its glyphs, shaped
where it must be, and given back by pdftotext exactly (shaped words through /ActualText);
right-to-left text that wraps reads from its first line to its last."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from report_helpers import rubric

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.report import ReportService

# Given back exactly by pdftotext (titles, owners, notes and the page header), the shaped
# scripts (Hindi conjuncts and reordered vowel signs, joined Arabic) included.
EXACT = {
    "Latin": "Évaluation des risques, Zürich",
    "Chinese": "人工智能风险评估",
    "Japanese": "リスク評価の記録",
    "Korean": "인공지능 위험 평가",
    "emoji": "🙂🚀",
    "Hindi": "जोखिम मूल्यांकन",
    "Arabic": "تقييم المخاطر",
    "Hebrew": "הערכת סיכונים",  # last: a reader's bidi takes neutrals after it into the run
}
# One word of each script in the assessment's name, which heads every page.
HEADER = {
    "Latin": "Zürich",
    "Chinese": "风险",
    "Japanese": "リスク",
    "Korean": "위험",
    "emoji": "🙂",
    "Hindi": "जोखिम",
    "Arabic": "تقييم",
    "Hebrew": "הערכת",
}
# A right-to-left note long enough to wrap over several lines, of distinct words.
_LETTERS = "אבגדהוזחטיכלמנסעפצקרשת"
LONG_RTL = " ".join(_LETTERS[i % 22] + _LETTERS[(i * 7) % 22] + "ים" for i in range(90))
# Latin words in a shaped paragraph get ligatures ("st" in "Système"): given back as letters.
LIGATURES = "Système de gestion, first official flow — מערכת"
# Right-to-left words with digits, punctuation and brackets the Hebrew and Arabic faces lack
# (set in the main face inside the word): these used to stop the report.
MIXED = "(תקציב) 12א, עם פיסוק. (تقييم) المخاطر 2026."


@pytest.fixture(scope="module")
def pdf(module_ctx, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    name = " ".join(HEADER.values())
    aid = AssessmentService(module_ctx).create({"name": name, "ai_system": EXACT["Korean"]}).id
    answers = AnswerService(module_ctx)
    ids = [f"GOVERN 1.{n}" for n in range(1, 8)] + ["GOVERN 2.1"]
    for sub, text in zip(ids, EXACT.values(), strict=True):
        answers.record(aid, sub, metrics=rubric("M", "M", "L"), owner=text, notes=text)
    answers.record(aid, "GOVERN 3.1", metrics=rubric("M", "M", "L"), notes=LONG_RTL)
    answers.record(aid, "GOVERN 3.2", metrics=rubric("M", "M", "L"), owner=MIXED, notes=MIXED)
    answers.record(aid, "GOVERN 4.1", metrics=rubric("M", "M", "L"), notes=LIGATURES)
    service = ReportService(module_ctx)
    path = tmp_path_factory.mktemp("scripts") / "r.pdf"
    report = service.build(aid)
    data = service.render(report)
    # The same data gives the same bytes, however much the process shaped before.
    assert service.render(report) == data
    path.write_bytes(data)
    return path


_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e"))


def _text(path: Path, *pages: int) -> str:
    """pdftotext's text, without the direction marks it puts around right-to-left runs."""
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    out = subprocess.run(["pdftotext", *span, str(path), "-"], capture_output=True, text=True)
    return out.stdout.translate(_DIRECTION_MARKS)


@pytest.mark.parametrize("script", list(EXACT))
def test_pdftotext_gives_back_the_exact_text(pdf: Path, script: str) -> None:
    text = EXACT[script]
    everything = _text(pdf)
    assert f"Notes\n{text}" in everything or text in everything.split("Notes\n", 1)[-1]
    cover = _text(pdf, 1)
    assert HEADER[script] in cover.splitlines()[0]  # the page header: the assessment's name
    last = _text(pdf, 3)
    assert HEADER[script] in last  # the header of another page
    assert "[U+" not in everything


def test_every_script_has_an_embedded_face(pdf: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert all(row[-5] == "yes" for row in rows), fonts  # emb column: every font embedded
    names = " ".join(row[0] for row in rows)
    for face in ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "DroidSans", "Symbola"):
        assert face in names


def test_a_wrapping_right_to_left_note_reads_from_its_first_line_to_its_last(pdf: Path) -> None:
    text = _text(pdf)
    lines = text[text.index(LONG_RTL.split()[0]) :].splitlines()
    wrapped = [line for line in lines[:12] if line.strip()]
    assert len([line for line in wrapped if line.split()[0] in LONG_RTL]) >= 3  # it wraps
    joined = " ".join(line.strip() for line in wrapped)
    assert LONG_RTL in joined  # every line, words and lines in the order written


def test_right_to_left_words_with_digits_and_punctuation_are_drawn(pdf: Path) -> None:
    # Each right-to-left word is drawn as its letters, digits and punctuation (whatever order
    # a reader's bidi then gives the neutrals).
    words = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, errors="replace"
    ).stdout
    for letters in ("תקציב", "תקציב", "פיסוק", "تقييم", "المخاطر", "2026"):
        assert letters in words.translate(_DIRECTION_MARKS) or letters[::-1] in words


def test_ligatures_in_a_shaped_paragraph_come_back_as_letters(pdf: Path) -> None:
    text = _text(pdf)
    for word in ("Système", "first", "official", "flow"):
        assert word in text, word
    assert not any(0xFB00 <= ord(ch) <= 0xFB06 for ch in text)


def test_shaped_scripts_are_shaped(pdf: Path) -> None:
    from app.reporting.text import needs_shaping, visual_order, visual_word_order

    assert all(needs_shaping(EXACT[script]) for script in ("Hindi", "Arabic", "Hebrew"))
    # A line's words in visual order: each right-to-left run (with the neutrals inside it)
    # reversed, neutrals after its last right-to-left word left after it.
    assert visual_order([False, True, None, True, None, False]) == [0, 3, 2, 1, 4, 5]
    assert visual_order([True, True, None]) == [1, 0, 2]
    assert not needs_shaping("Plain English, Ελληνικά, 中文")
    # Right-to-left words are set in visual order (each word's letters turned by shaping).
    # A line that starts in a right-to-left script is reversed whole, its left-to-right runs
    # keeping their order; neutrals at its end go to its left end.
    assert visual_order([True, None, False, False, True, None], rtl_base=True) == [5, 4, 2, 3, 1, 0]
    assert visual_word_order("הערכת סיכונים 2026") == "2026 סיכונים הערכת"
    assert visual_word_order("Policy הערכת סיכונים v2") == "Policy סיכונים הערכת v2"


def test_digits_inside_a_right_to_left_word_keep_their_order() -> None:
    # HarfBuzz turns a whole right-to-left run around, digits included ("بند12" was drawn
    # with "21"): a word is shaped direction run by direction run.
    from app.catalog.loader import resources_root
    from app.reporting.fonts import register_fonts
    from app.reporting.kit import Kit
    from app.reporting.styles import build_styles

    kit = Kit(build_styles(register_fonts(resources_root() / "fonts")), 400, 700)
    for text in ("بند12", "סעיף12"):
        para = kit.p(text)
        para.wrap(400, 700)
        drawn = "".join(str(f.text) for line in para.blPara.lines for f in line.words)
        assert "12" in drawn and "21" not in drawn, text


def test_the_text_layer_does_not_depend_on_what_the_process_learnt_before() -> None:
    # A shaped Latin run ("Système", a ligature) was written as one string while its face had
    # learnt no word, and cut in pieces once it had: the same report, different bytes.
    import io

    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import shapeStr

    from app.catalog.loader import resources_root
    from app.reporting.document import _FinishingCanvas
    from app.reporting.fonts import register_fonts

    regular = register_fonts(resources_root() / "fonts").regular
    font = getFont(regular)
    text = shapeStr("Système", regular, 10) + " d'IA"

    def drawn() -> str:
        canvas = _FinishingCanvas(io.BytesIO())
        layer = canvas.beginText(0, 0)
        layer.setFont(regular, 10)
        return layer._formatText(text)

    saved = dict(font.actual_text)
    try:
        font.actual_text.clear()
        before = drawn()
        font.actual_text[("unrelated", (0,))] = "x"
        assert drawn() == before
    finally:
        font.actual_text.clear()
        font.actual_text.update(saved)


def test_a_right_to_left_note_split_across_pages_stays_right_to_left() -> None:
    # The part on the next page holds shaped glyphs (private-use codes for Arabic), whose
    # first "letter" is no Arabic letter: it kept being set left to right, flush left.
    from app.catalog.loader import resources_root
    from app.reporting.fonts import register_fonts
    from app.reporting.kit import Kit
    from app.reporting.styles import build_styles

    kit = Kit(build_styles(register_fonts(resources_root() / "fonts")), 400, 700)
    para = kit.p(" ".join(["تقييم المخاطر في نظام الذكاء الاصطناعي مع ملاحظات"] * 30))
    para.wrap(400, 700)
    first, rest = para.split(400, 60)
    assert first._rtl_base and rest._rtl_base
