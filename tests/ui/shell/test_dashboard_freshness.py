"""The dashboard's evidence line: the same words and subcategories as `airmf verify`, each
subcategory a link that opens it; a calm line when nothing is stale or unsupported."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QTextDocument

from app.cli.main import main as cli
from app.domain.assessment import AssessmentMeta
from app.domain.days import local_day
from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.ui.dashboard.page import EVIDENCE_CLEAR, DashboardPage
from app.ui.workers import Background

pytestmark = pytest.mark.gui


def _plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def test_evidence_line_matches_verify_and_opens_subcategories(qtbot, ctx, db_path, capsys) -> None:  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create(AssessmentMeta(name="D", scheme_id="direct")).id
    background = Background()
    page = DashboardPage(ctx, background)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.load(aid)
    assert page.evidence_line.text() == EVIDENCE_CLEAR

    answers = AnswerService(ctx)
    answers.record(aid, "MAP 1.1", level=4)
    yesterday = local_day(dt.datetime.now(dt.UTC)) - dt.timedelta(days=1)
    answers.add_link(aid, "GOVERN 1.1", "", "https://x.org/p", valid_until=yesterday)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    shown = _plain(page.evidence_line.text())
    capsys.readouterr()
    cli(["--db", str(db_path), "verify", str(aid)])
    verify = [
        line.removeprefix("- evidence: ")
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("- evidence: ")
    ]
    assert verify == [
        "1 evidence item expired: GOVERN 1.1",
        "1 unsupported rating (Advanced or Leading without current evidence): MAP 1.1",
    ]
    assert shown == "Evidence: " + " · ".join(verify)
    with qtbot.waitSignal(page.subcategory_requested) as opened:
        page.evidence_line.linkActivated.emit("sub:MAP 1.1")
    assert opened.args == ["MAP 1.1"]
    background.wait()
