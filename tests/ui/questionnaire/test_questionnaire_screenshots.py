"""Renders the page at 1280x800 in three states (and dark); AIRMF_SCREENSHOTS=1 keeps the PNGs
in docs/screenshots/ for the README and for review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from app.services.answers import AnswerService
from app.services.lifecycle import LifecycleService
from app.ui.style import readable_palette

pytestmark = pytest.mark.gui

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
LEVELS = ["L", "M", "H"]


def save(qtbot, page, name: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(100)  # let pending layout requests run, as they would on screen
    image = page.grab().toImage()
    assert (image.width(), image.height()) == (1280, 800)
    image.save(str(tmp_path / name))
    if os.environ.get("AIRMF_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        image.save(str(DOCS / name))


def fill(ctx, aid: int, framework, every: int) -> None:  # type: ignore[no-untyped-def]
    answers = AnswerService(ctx)
    for i, sub in enumerate(framework.subcategory_ids()):
        if i % every:
            continue
        if i % 11 == 5:
            answers.record(aid, sub, not_applicable=True, na_rationale="No end users yet")
            continue
        metrics = {
            "coverage": LEVELS[(i // 2) % 3],
            "robustness": LEVELS[i % 3],
            "input_diversity": LEVELS[(i // 3) % 3],
        }
        answers.record(aid, sub, metrics=metrics, flagged=i % 7 == 3)


def dark_palette() -> QPalette:
    pal = QPalette()
    for role, color in {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#333333",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.Mid: "#555555",
    }.items():
        pal.setColor(role, QColor(color))
    return pal


@pytest.fixture
def app_palette(qapp):  # type: ignore[no-untyped-def]
    """The palette the application sets at start (app.ui.application.use_readable_palette)."""
    saved = QPalette(qapp.palette())
    qapp.setPalette(readable_palette(saved))
    yield
    qapp.setPalette(saved)


def test_screenshots(qtbot, ctx, framework, make_page, create, tmp_path, app_palette):  # type: ignore[no-untyped-def]
    empty = create(name="New assessment")
    page = make_page(empty)
    save(qtbot, page, "questionnaire-empty.png", tmp_path)

    partial = create(
        name="Q3 2026", profiles=[{"profile_id": "nist-ai-600-1", "risks": ["confabulation"]}]
    )
    fill(ctx, partial, framework, every=3)
    answers = AnswerService(ctx)
    answers.record(
        partial,
        "GOVERN 1.1",
        notes="AI policy v2 approved by the board on 12 May; legal review every quarter.",
        owner="Legal & Compliance",
        actions_in_place=[0, 1],
        evidence_status="cited",
    )
    answers.add_link(partial, "GOVERN 1.1", "AI policy v2", "https://intranet.example/ai-policy")
    page = make_page(partial)
    page.guidance.setCurrentIndex(1)
    save(qtbot, page, "questionnaire-partial.png", tmp_path)

    complete = create(name="Q4 2026")
    fill(ctx, complete, framework, every=1)
    page = make_page(complete)
    page.show_subcategory("MEASURE 2.5")
    page.guidance.setCurrentIndex(0)
    save(qtbot, page, "questionnaire-complete.png", tmp_path)

    LifecycleService(ctx).finalize(complete, "Ada Lovelace", "Chief Risk Officer")
    page = make_page(complete)
    page.show_subcategory("GOVERN 1.4")
    save(qtbot, page, "questionnaire-finalized.png", tmp_path)

    app = QApplication.instance()
    light = app.palette()
    app.setPalette(readable_palette(dark_palette()))
    try:
        page = make_page(partial)
        page.show_subcategory("GOVERN 1.1")
        save(qtbot, page, "questionnaire-dark.png", tmp_path)
    finally:
        app.setPalette(light)
