"""Evidence (links, attached files with integrity), Playbook guidance, GenAI actions, schemes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog

from app.services.answers import AnswerService

pytestmark = pytest.mark.gui


@pytest.fixture
def opened(monkeypatch) -> list[QUrl]:  # type: ignore[no-untyped-def]
    urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url) or True)
    return urls


def test_attach_open_and_remove_evidence(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, tmp_path: Path, monkeypatch, opened
):
    aid = create()
    page = make_page(aid)
    evidence = page.editor.evidence
    source = tmp_path / "board minutes.pdf"
    source.write_bytes(b"%PDF-1.4 minutes of the AI risk board")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(source)], ""))

    qtbot.mouseClick(evidence.attach_button, Qt.MouseButton.LeftButton)
    settle(page)
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1").evidence
    assert [e.file_name for e in stored] == ["board minutes.pdf"] and len(stored[0].sha256) == 64
    qtbot.waitUntil(lambda: "integrity ok" in (evidence.model.index(0).data() or ""))

    # Opening a file opens a copy under its own name.
    evidence.list.setCurrentIndex(evidence.model.index(0))
    qtbot.mouseClick(evidence.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1)
    copy = Path(opened[0].toLocalFile())
    assert copy.name == "board minutes.pdf" and copy.read_bytes() == source.read_bytes()

    # A link; invalid addresses are refused inline and nothing is stored.
    qtbot.keyClicks(evidence.url, "not a link")
    qtbot.keyClick(evidence.url, Qt.Key.Key_Return)
    settle(page)
    qtbot.waitUntil(lambda: evidence.message.isVisible())
    assert "is not a link" in evidence.message.text()
    assert evidence.url.text() == "not a link"  # kept for correction
    evidence.url.clear()
    qtbot.keyClicks(evidence.url, "https://tickets.example/AI-12")
    qtbot.keyClick(evidence.url, Qt.Key.Key_Return)
    settle(page)
    assert len(AnswerService(ctx).get(aid, "GOVERN 1.1").evidence) == 2
    evidence.list.setCurrentIndex(evidence.model.index(1))
    qtbot.keyClick(evidence.list, Qt.Key.Key_Return)
    assert opened[-1] == QUrl("https://tickets.example/AI-12")

    # Remove with the Delete key, then undo brings it back.
    evidence.list.setFocus()
    evidence.list.setCurrentIndex(evidence.model.index(0))
    qtbot.keyClick(evidence.list, Qt.Key.Key_Delete)
    settle(page)
    assert [e.url for e in AnswerService(ctx).get(aid, "GOVERN 1.1").evidence] == [
        "https://tickets.example/AI-12"
    ]
    assert evidence.model.rowCount() == 1
    page.undo_stack().undo()
    settle(page)
    assert len(AnswerService(ctx).get(aid, "GOVERN 1.1").evidence) == 2
    assert evidence.model.rowCount() == 2


def test_a_changed_or_missing_stored_file_is_reported(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create, tmp_path: Path, opened
):
    aid = create()
    source = tmp_path / "policy.txt"
    source.write_text("AI policy v1")
    answers = AnswerService(ctx)
    item = answers.attach_file(aid, "GOVERN 1.1", source).evidence[0]
    stored_path, _ = answers.evidence_file(item)
    stored_path.chmod(0o644)
    stored_path.write_text("tampered")
    page = make_page(aid)
    evidence = page.editor.evidence
    qtbot.waitUntil(lambda: "SHA-256 differs" in (evidence.model.index(0).data() or ""))
    stored_path.unlink()
    page.show_subcategory("GOVERN 1.2")
    page.show_subcategory("GOVERN 1.1")
    qtbot.waitUntil(lambda: "missing" in (evidence.model.index(0).data() or ""))
    evidence.list.setCurrentIndex(evidence.model.index(0))
    qtbot.mouseClick(evidence.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: evidence.message.isVisible())
    assert "missing from the evidence store" in evidence.message.text()
    assert opened == []


def test_guidance_shows_the_playbook_verbatim_with_links(  # type: ignore[no-untyped-def]
    qtbot, framework, make_page, create, settle, ctx
):
    aid = create()
    page = make_page(aid)
    guidance = page.guidance
    sub = framework.subcategory("GOVERN 1.1")
    g = sub.guidance
    assert g is not None
    about = guidance.about.toPlainText()
    assert g.about.split("\n\n")[0] in about
    assert guidance.actions.count() == len(g.suggested_actions)
    assert [guidance.actions.item(i).text() for i in range(guidance.actions.count())] == list(
        g.suggested_actions
    )
    docs = guidance.documentation.toPlainText()
    assert all(d in docs for d in g.documentation)
    html = guidance.resources.toHtml()
    for link in (*g.resources, *g.references):
        for url in link.urls:
            assert f'href="{url}"' in html
    assert guidance.resources.openExternalLinks()
    assert not guidance.isTabVisible(4)  # no GenAI overlay on this assessment

    # Every subcategory's Playbook text goes in escaped (no markup is lost or injected).
    for s in framework.subcategories():
        page.show_subcategory(s.id)
        if s.guidance and s.guidance.about:
            first = " ".join(s.guidance.about.split("\n\n")[0].split())
            assert first in " ".join(guidance.about.toPlainText().split()), s.id


def _genai_text(guidance) -> str:  # type: ignore[no-untyped-def]
    items = [guidance.genai.item(i).text() for i in range(guidance.genai.count())]
    return guidance.genai_intro.text() + "\n" + "\n".join(items)


def test_genai_overlay_lists_the_ai_600_1_actions(  # type: ignore[no-untyped-def]
    qtbot, framework, make_page, create
):
    aid = create(profiles=[{"profile_id": "nist-ai-600-1", "risks": ["confabulation"]}])
    page = make_page(aid)
    profile = framework.profile("nist-ai-600-1")
    sub = next(
        s.id for s in framework.subcategories() if profile.actions_for(s.id, {"confabulation"})
    )
    page.show_subcategory(sub)
    guidance = page.guidance
    assert guidance.isTabVisible(4)
    text = _genai_text(guidance)
    for action in profile.actions_for(sub, {"confabulation"}):
        assert action.id in text and action.text in text
        assert all(label in text for label in action.risk_labels)
    others = [a for a in profile.actions_for(sub) if "confabulation" not in a.risks]
    assert all(a.id not in text for a in others)

    all_risks = create(name="all", profiles=[{"profile_id": "nist-ai-600-1", "risks": []}])
    page2 = make_page(all_risks)
    page2.show_subcategory(sub)
    text = _genai_text(page2.guidance)
    assert all(a.id in text for a in profile.actions_for(sub))


def test_direct_scheme_levels_with_shortcuts(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create(scheme_id="direct")
    page = make_page(aid)
    labels = [a.text() for a in page.menu_actions()["Rating"] if a.isVisible()]
    assert labels[:5] == [
        "Level 1: Minimal",
        "Level 2: Developing",
        "Level 3: Established",
        "Level 4: Advanced",
        "Level 5: Leading",
    ]
    assert not page.actions.ratings[5].isVisible()
    page.editor.notes.setFocus()
    qtbot.keyClick(page.editor.notes, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").level == 4
    assert page.navigator.model.index_of("GOVERN 1.1", 1).data() == "4.0"
    assert "Alt+4" in page.editor.rating.buttons[4].toolTip()


def test_menu_actions_have_shortcuts_and_targets_and_flags_work(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create
):
    aid = create(default_target=4)
    page = make_page(aid)
    menus = page.menu_actions()
    assert set(menus) == {"Navigate", "Rating"}
    shortcuts = {a.objectName(): a.shortcut() for acts in menus.values() for a in acts}
    assert shortcuts["actionNext"] == QKeySequence("Alt+Right")
    assert shortcuts["actionPrevious"] == QKeySequence("Alt+Left")
    assert shortcuts["actionNextUnanswered"] == QKeySequence("Ctrl+U")
    assert shortcuts["actionRating1"] == QKeySequence("Alt+1")
    for action in (a for acts in menus.values() for a in acts if not a.isSeparator()):
        if not action.shortcut().isEmpty():
            assert action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in (
                action.toolTip()
            )

    # Target: the assessment default, overridden per subcategory.
    target = page.editor.target
    assert target.currentText().startswith("Assessment default (4")
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Down)
    qtbot.keyClick(target, Qt.Key.Key_Down)
    settle(page)
    # A keyboard change of a closed combo box is "activated": saved at once.
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").target == 2

    # Flag with its shortcut; due date and owner.
    page.editor.notes.setFocus()
    qtbot.keyClick(
        page.editor.notes,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.editor.flagged.isChecked()
    due = page.editor.due.edit
    due.setFocus()
    qtbot.keyClicks(due, "2027-03-31")
    qtbot.keyClick(due, Qt.Key.Key_Return)
    qtbot.keyClicks(page.editor.owner, "Risk office")
    settle(page)
    stored = AnswerService(ctx).get(aid, "GOVERN 1.1")
    assert stored.flagged and stored.owner == "Risk office"
    assert stored.due_date == dt.date(2027, 3, 31)
    due.setFocus()
    due.selectAll()
    qtbot.keyClick(due, Qt.Key.Key_Delete)
    qtbot.keyClick(due, Qt.Key.Key_Return)  # an empty field: no due date
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").due_date is None

    # Next unanswered skips answered ones; previous/next follow the navigator.
    AnswerService(ctx).record(aid, "GOVERN 1.2", not_applicable=True, na_rationale="n/a")
    page2 = make_page(aid)
    page2.actions.next_unanswered.trigger()
    assert page2.current_subcategory() == "GOVERN 1.3"  # 1.1 is where it reopened; 1.2 is N/A
    page2.actions.previous.trigger()
    assert page2.current_subcategory() == "GOVERN 1.2"


def test_splitter_sizes_persist(qtbot, make_page, create):  # type: ignore[no-untyped-def]
    aid = create()
    page = make_page(aid)
    page.splitter.setSizes([400, 500, 380])
    page.splitter.splitterMoved.emit(400, 1)
    sizes = page.splitter.sizes()
    assert QSettings().value("questionnaire/splitter") is not None
    again = make_page(aid)
    assert again.splitter.sizes() == sizes


def test_genai_actions_are_ticked_in_place_by_id_and_undone(  # type: ignore[no-untyped-def]
    qtbot, ctx, framework, make_page, settle, create
):
    aid = create(profiles=[{"profile_id": "nist-ai-600-1", "risks": []}])
    page = make_page(aid)
    page.show_subcategory("GOVERN 1.1")
    guidance = page.guidance
    ids = [a.id for a in framework.profile("nist-ai-600-1").actions_for("GOVERN 1.1")]
    assert [guidance.genai.item(i).data(Qt.ItemDataRole.UserRole) for i in range(len(ids))] == ids
    assert guidance.tabText(4) == f"AI 600-1 0/{len(ids)}"
    item = guidance.genai.item(0)
    item.setCheckState(Qt.CheckState.Checked)  # as a click on its box does
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").genai_actions_in_place == [ids[0]]
    assert guidance.tabText(4) == f"AI 600-1 1/{len(ids)}"
    assert page.undo_stack().undoText() == "Tick AI 600-1 actions (GOVERN 1.1)"
    page.undo_stack().undo()
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").genai_actions_in_place == []
    assert guidance.genai.item(0).checkState() == Qt.CheckState.Unchecked
    history = AnswerService(ctx).history(aid, "GOVERN 1.1")
    assert [e.new for e in history if e.field == "genai_actions_in_place"] == [f'["{ids[0]}"]', ""]
