"""Evidence in the window: several files attached at once, dates typed with the strict date
field and saved per item (undoable), expired and expiring items marked, an untitled link
shown once, and a refused date changing nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.domain.days import local_day
from app.services.answers import AnswerService

pytestmark = pytest.mark.gui


def _type_date(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.edit.setFocus()
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)


def test_files_at_once_dates_and_badges(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, tmp_path: Path, monkeypatch, qtmodeltester
):
    aid = create()
    page = make_page(aid)
    evidence = page.editor.evidence
    files = []
    for name in ("policy.pdf", "minutes.pdf"):
        (tmp_path / name).write_bytes(name.encode())
        files.append(str(tmp_path / name))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    qtbot.mouseClick(evidence.attach_button, Qt.MouseButton.LeftButton)
    settle(page)
    service = AnswerService(ctx)
    assert [e.file_name for e in service.get(aid, "GOVERN 1.1").evidence] == [
        "policy.pdf",
        "minutes.pdf",
    ]
    assert sum(1 for e in service.history(aid) if e.field == "evidence") == 1  # one save

    # No item selected: the date fields say what to do and take nothing.
    assert evidence.as_of.edit.isReadOnly()
    assert evidence.as_of.edit.placeholderText() == "Select an item"
    evidence.list.setCurrentIndex(evidence.model.index(1))
    assert not evidence.as_of.edit.isReadOnly()
    today = local_day(dt.datetime.now(dt.UTC))
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    _type_date(qtbot, evidence.valid_until, yesterday)
    settle(page)
    stored = service.get(aid, "GOVERN 1.1").evidence
    assert stored[1].valid_until == today - dt.timedelta(days=1)
    assert stored[0].valid_until is None
    assert f"Valid until {yesterday} · EXPIRED" in evidence.model.index(1).data()
    qtmodeltester.check(evidence.model)
    assert evidence.selected_row() == 1  # still selected after the save
    assert evidence.valid_until.edit.text() == yesterday

    # A day that does not exist is refused beside the field; nothing is saved.
    _type_date(qtbot, evidence.as_of, "2027-02-30")
    settle(page)
    assert "February 2027 has no day 30" in evidence.as_of.message.text()
    assert service.get(aid, "GOVERN 1.1").evidence[1].as_of is None
    # As of after valid until: the store refuses it, the fields show the stored dates again.
    _type_date(qtbot, evidence.as_of, today.isoformat())
    settle(page)
    qtbot.waitUntil(lambda: evidence.message.isVisible())
    assert "is before as of" in evidence.message.text()
    assert service.get(aid, "GOVERN 1.1").evidence[1].as_of is None
    assert evidence.as_of.edit.text() == ""

    page.undo_stack().undo()  # the valid-until date
    settle(page)
    assert service.get(aid, "GOVERN 1.1").evidence[1].valid_until is None
    assert "EXPIRED" not in evidence.model.index(1).data()


def test_an_untitled_link_is_shown_once_and_expiring_is_marked(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, create
):
    aid = create()
    soon = local_day(dt.datetime.now(dt.UTC)) + dt.timedelta(days=10)
    AnswerService(ctx).add_link(aid, "GOVERN 1.1", "", "https://x.org/p", valid_until=soon)
    page = make_page(aid)
    text = page.editor.evidence.model.index(0).data()
    assert text.count("https://x.org/p") == 1
    assert f"Valid until {soon.isoformat()} · Expires within 30 days" in text
