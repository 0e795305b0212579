"""History table: entries as stored, readable values, full text in tooltips, chain verification."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.ui.history.history_model import Column
from app.ui.history.history_view import HistoryView

pytestmark = pytest.mark.gui
CLICK = Qt.MouseButton.LeftButton
WAIT = 10_000
LONG_NOTE = "Policy v2 approved by the board. " * 40


@pytest.fixture
def aid(ctx) -> int:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "History check", "ai_system": "Triage"})
    ans = AnswerService(ctx)
    ans.record(
        a.id, "GOVERN 1.1", metrics={"coverage": "M", "robustness": "M", "input_diversity": "L"}
    )  # seq 1
    ans.record(a.id, "GOVERN 1.1", notes=LONG_NOTE)  # seq 2
    ans.record(a.id, "MAP 1.1", not_applicable=True, na_rationale="Not deployed")  # seq 3, 4
    ans.record(a.id, "GOVERN 1.1", owner="Legal")  # seq 5
    return a.id


def _texts(view: HistoryView, column: Column) -> list[str]:
    return [view.model.index(r, column).data() for r in range(view.model.rowCount())]


def test_history_view_shows_entries_and_verifies(
    ctx, aid, qtbot, qtmodeltester, background
) -> None:  # type: ignore[no-untyped-def]
    view = HistoryView(ctx, background)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.load(aid, "GV-1.1")  # the AI 600-1 short form resolves too
    qtmodeltester.check(view.model)
    stored = AnswerService(ctx).history(aid, "GOVERN 1.1")
    assert view.title.text() == "Change history: GOVERN 1.1 in History check"
    assert _texts(view, Column.SEQ) == [str(e.seq) for e in stored]
    assert _texts(view, Column.WHO) == ["tester"] * len(stored)
    fields = _texts(view, Column.FIELD)
    assert fields[0] == "Rating (metrics)" and fields[-2:] == ["Notes", "Owner"]
    assert _texts(view, Column.OLD)[0] == "(empty)"
    assert _texts(view, Column.NEW)[0] == "coverage: M, input diversity: L, robustness: M"
    assert _texts(view, Column.NEW)[-1] == "Legal"
    assert set(_texts(view, Column.SUBCATEGORY)) == {"GOVERN 1.1"}
    when = view.model.index(0, Column.WHEN).data()
    assert when == stored[0].at.astimezone().strftime("%Y-%m-%d %H:%M:%S")  # local time
    note = view.model.index(len(stored) - 2, Column.NEW)
    assert note.data(Qt.ItemDataRole.ToolTipRole) == LONG_NOTE  # full text on hover
    assert view.table.textElideMode() == Qt.TextElideMode.ElideRight
    rect = view.table.visualRect(note)
    assert view.table.fontMetrics().horizontalAdvance(note.data()) > rect.width()  # elided

    with qtbot.waitSignal(view.verified, timeout=WAIT):
        qtbot.mouseClick(view.verify_button, CLICK)
    assert view.result.isVisible()
    total = len(AnswerService(ctx).history(aid))
    assert "verifies" in view.result.text() and f"all {total} entries" in view.result.text()
    assert view.last_result is not None and view.last_result.broken is None

    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.load(aid, None)
    assert view.model.rowCount() == total
    assert set(_texts(view, Column.SUBCATEGORY)) == {"GOVERN 1.1", "MAP 1.1"}
    assert not view.result.isVisible()  # a new load clears the old verdict


def test_tampered_history_names_the_broken_entry(ctx, aid, db_path, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    LifecycleService(ctx).finalize(aid, "Ann Lee", "CRO")
    ctx.db.dispose()
    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER answer_history_append_only")
    con.execute("UPDATE answer_history SET new='x' WHERE seq=2")
    con.commit()
    con.close()

    view = HistoryView(ctx, background)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.load(aid, None)
    assert view.model.index(1, Column.NEW).data() == "x"
    last = view.model.rowCount() - 1
    assert view.model.index(last, Column.SUBCATEGORY).data() == "Whole assessment"
    assert view.model.index(last, Column.NEW).data() == "finalized by Ann Lee (CRO)"
    with qtbot.waitSignal(view.verified, timeout=WAIT):
        qtbot.mouseClick(view.verify_button, CLICK)
    text = view.result.text()
    assert "does NOT verify" in text and "broken at entry 2" in text
    assert "GOVERN 1.1" in text and "Entries 1 to 1 are intact" in text
    assert view.last_result is not None and view.last_result.broken.seq == 2
    assert view.model.index(1, Column.SEQ).data() == "⚠ 2"
    assert [i.row() for i in view.table.selectionModel().selectedRows()] == [1]


def test_history_empty_and_unknown(ctx, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    a = AssessmentService(ctx).create({"name": "Fresh", "ai_system": "Triage"}).id
    view = HistoryView(ctx, background)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.load(a, "MAP 1.1")
    assert "No change has been recorded for MAP 1.1" in view.message.text()
    with qtbot.waitSignal(view.verified, timeout=WAIT):
        qtbot.mouseClick(view.verify_button, CLICK)
    assert "nothing to verify" in view.result.text()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.load(a, "NOT A SUB")
    assert "unknown subcategory" in view.message.text()
    assert not view.verify_button.isEnabled()


def test_deleted_newest_entries_are_reported(ctx, aid, db_path, qtbot, background) -> None:  # type: ignore[no-untyped-def]
    ctx.db.dispose()
    con = sqlite3.connect(db_path)
    con.execute("DELETE FROM answer_history WHERE seq >= 4")
    con.commit()
    con.close()
    view = HistoryView(ctx, background)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.load(aid, None)
    with qtbot.waitSignal(view.verified, timeout=WAIT):
        qtbot.mouseClick(view.verify_button, CLICK)
    text = view.result.text()
    assert "does NOT verify" in text and "2 entries were deleted" in text
    assert view.last_result is not None and not view.last_result.ok
