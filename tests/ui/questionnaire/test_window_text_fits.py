"""Text that must be read whole at 1366 pixels wide: the guidance's tabs all show (none hidden
behind scroll arrows), each line edit's hint fits its field, and a subcategory id in the
dashboard's evidence line never breaks across lines."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLineEdit

from app.domain.freshness import FreshnessSummary
from app.services.actions import ActionService
from app.services.answers import AnswerService
from app.ui.dashboard.page import freshness_html

pytestmark = pytest.mark.gui
M = {"coverage": "M", "robustness": "M", "input_diversity": "M"}
WIDE = (1366, 700)  # the questionnaire page in a 1366x768 window


@pytest.fixture
def page(ctx, make_page, create, qtbot):  # type: ignore[no-untyped-def]
    aid = create(profiles=[{"profile_id": "nist-ai-600-1", "risks": []}])
    AnswerService(ctx).record(aid, "GOVERN 1.2", metrics=M, owner="AI governance lead")
    AnswerService(ctx).add_link(aid, "GOVERN 1.2", "Board minutes", "https://x.org/m")
    for n in range(12):  # two-digit counts make the Plan tab's label longest
        ActionService(ctx).add(aid, "GOVERN 1.2", title=f"Action {n}")
    page = make_page(aid)
    page.resize(*WIDE)
    page.show_subcategory("GOVERN 1.2")
    qtbot.waitUntil(lambda: "12" in page.guidance.tabText(page.guidance.count() - 1), timeout=5000)
    QApplication.processEvents()
    return page


def test_every_guidance_tab_shows_at_the_default_width(page) -> None:  # type: ignore[no-untyped-def]
    bar = page.guidance.tabBar()
    labels = [bar.tabText(i) for i in range(bar.count())]
    assert any(t.startswith("AI 600-1") for t in labels) and labels[-1] == "Plan (12)"
    assert bar.sizeHint().width() <= bar.width(), labels


def _clipped_hints(page) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for edit in page.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if not hint or not edit.isVisible():
            continue
        margins = edit.textMargins()
        # QLineEdit keeps 2 pixels each side of the text inside its frame.
        room = edit.contentsRect().width() - margins.left() - margins.right() - 4
        if edit.fontMetrics().horizontalAdvance(hint) > room:
            out.append(f"{edit.objectName()}: {hint!r}")
    return out


def test_line_edit_hints_fit_their_fields(page) -> None:  # type: ignore[no-untyped-def]
    page.editor.ensureWidgetVisible(page.editor.evidence)
    evidence = page.editor.evidence
    assert evidence.as_of.edit.isVisible()
    evidence.list.clearSelection()
    evidence.list.setCurrentIndex(evidence.model.index(-1, 0))
    QApplication.processEvents()
    assert evidence.as_of.edit.placeholderText() == "Select an item"
    assert _clipped_hints(page) == []  # no evidence item selected
    evidence.list.setCurrentIndex(evidence.model.index(0))
    QApplication.processEvents()
    assert not evidence.as_of.edit.isReadOnly()
    assert _clipped_hints(page) == []  # an item selected: the date fields take a date


def test_a_subcategory_id_never_breaks_in_the_evidence_line(qapp) -> None:  # type: ignore[no-untyped-def]
    summary = FreshnessSummary(
        expired_items=1,
        expiring_items=2,
        expired_subcategories=("GOVERN 1.2",),
        expiring_subcategories=("GOVERN 1.2", "MEASURE 2.10"),
        unsupported_subcategories=("GOVERN 1.4", "GOVERN 2.1", "MAP 1.1", "MAP 1.4", "MANAGE 2.4"),
    )
    broken = []
    for width in range(160, 900, 7):
        doc = QTextDocument()
        doc.setHtml(freshness_html(summary))
        doc.setTextWidth(width)
        doc.size()  # lays the text out
        block = doc.begin()
        text, layout = block.text(), block.layout()
        assert layout.lineCount() >= 1
        for i in range(layout.lineCount() - 1):
            line = layout.lineAt(i)
            end = line.textStart() + line.textLength()
            if text[:end].rstrip().endswith(("GOVERN", "MAP", "MEASURE", "MANAGE")):
                broken.append((width, text[line.textStart() : end]))
    assert broken == []
