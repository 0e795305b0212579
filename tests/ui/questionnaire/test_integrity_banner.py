"""Opening an assessment checks its integrity off the UI thread: a tampered one shows a
warning banner naming what was changed; an intact one shows none."""

from __future__ import annotations

import os
import sqlite3

from PySide6.QtWidgets import QApplication

from app.services.answers import AnswerService
from app.services.lifecycle import LifecycleService

RATING = {"coverage": "H", "robustness": "M", "input_diversity": "M"}


def _finalized(ctx, create) -> int:  # type: ignore[no-untyped-def]
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", metrics=RATING, notes="Board approved")
    LifecycleService(ctx).finalize(aid, "Ada Lovelace", "Chief Risk Officer")
    return aid


def _tamper(ctx, db_path, statement: str) -> None:  # type: ignore[no-untyped-def]
    ctx.db.dispose()
    con = sqlite3.connect(db_path)
    con.execute(statement)
    con.commit()
    con.close()


def test_intact_assessment_shows_no_warning(qtbot, ctx, make_page, create, background) -> None:  # type: ignore[no-untyped-def]
    page = make_page(_finalized(ctx, create))
    background.wait()
    qtbot.wait(10)
    assert page.integrity_banner.isHidden() and page.integrity_banner.problems == []
    assert page.read_only_banner.isVisible()


def test_tampered_finalized_assessment_shows_a_warning(  # type: ignore[no-untyped-def]
    qtbot, ctx, db_path, make_page, create, tmp_path
) -> None:
    aid = _finalized(ctx, create)
    _tamper(ctx, db_path, "UPDATE answers SET notes = 'forged' WHERE subcategory_id = 'GOVERN 1.1'")
    page = make_page(aid)
    qtbot.waitUntil(page.integrity_banner.isVisible, timeout=10_000)
    text = page.integrity_banner.text()
    assert "Integrity check failed" in text and "GOVERN 1.1 notes" in text
    if os.environ.get("AIRMF_SCREENSHOTS"):  # look at it in light and dark at 1366x768
        from tests.ui.questionnaire.test_questionnaire_screenshots import dark_palette

        page.resize(1366, 768)
        page.grab().save(str(tmp_path.parent / "tamper-banner-light.png"))
        app = QApplication.instance()
        light = app.palette()
        app.setPalette(dark_palette())
        try:
            dark = make_page(aid)
            dark.resize(1366, 768)
            qtbot.waitUntil(dark.integrity_banner.isVisible, timeout=10_000)
            dark.grab().save(str(tmp_path.parent / "tamper-banner-dark.png"))
        finally:
            app.setPalette(light)


def test_a_draft_with_a_deleted_entry_shows_a_warning(  # type: ignore[no-untyped-def]
    qtbot, ctx, db_path, make_page, create
) -> None:
    aid = create()
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="one")
    _tamper(
        ctx, db_path, "DELETE FROM answer_history WHERE seq = (SELECT MAX(seq) FROM answer_history)"
    )
    page = make_page(aid)
    qtbot.waitUntil(page.integrity_banner.isVisible, timeout=10_000)
    assert "deleted" in page.integrity_banner.text()
