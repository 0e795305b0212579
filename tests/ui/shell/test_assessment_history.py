"""The assessment-wide history page (issue 14): every entry kind of the chain (answers,
assessment edits, sign-off, and kinds other features add such as ``action:<uid>:status`` and
``review``), filtered by person, date, field kind and subcategory, loaded and filtered off the
UI thread; its model passes qtmodeltester."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from app.domain.assessment import HistoryEntry
from app.domain.history import ASSESSMENT_EVENT, GENESIS, chain
from app.services.answers import AnswerService
from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
from app.services.assessments import AssessmentService
from app.ui.history import assessment_history
from app.ui.history.filters import HistoryFilter

pytestmark = pytest.mark.gui


def _append_foreign_entries(ctx, aid: int) -> None:  # type: ignore[no-untyped-def]
    """Entries of kinds this page does not know (as the actions and review features write)."""
    a = AssessmentService(ctx).get(aid)
    now = dt.datetime.now(dt.UTC)
    new = [
        HistoryEntry(
            subcategory_id="MAP 1.1", field="action:9f3a:status", new="done", actor="Ben", at=now
        ),
        HistoryEntry(
            subcategory_id="MAP 1.1", field="action:77bc:status", new="planned", actor="Ben", at=now
        ),
        HistoryEntry(
            subcategory_id="GOVERN 1.1", field="review", new="reviewed", actor="Cy", at=now
        ),
    ]
    with ctx.writing(assessment_id=aid) as unit:
        head = a.history_head if a.history_count else GENESIS
        unit.history.append(aid, chain(new, head, a.history_count + 1))


@pytest.fixture
def history_window(qtbot, ctx, make_window):  # type: ignore[no-untyped-def]
    aid = AssessmentService(ctx).create({"name": "Q1", "ai_system": "Scorer"}).id
    ctx.actor = "Ana"
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="Policy approved")
    AnswerService(ctx).record(aid, "MAP 1.1", owner="Dana")
    AssessmentEditor(ctx).edit(aid, AssessmentEdit(system={"risk_tier": "high"}))
    _append_foreign_entries(ctx, aid)
    window = make_window(reopen_last=False)
    window.open_assessment(aid)
    qtbot.waitUntil(lambda: window.current is not None)
    with qtbot.waitSignal(window.navigation.built, timeout=5000):
        window.menus.history_view.trigger()
    page = window.navigation.page("history")
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)
    return window, page, aid


def _rows(page) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    m = page.model
    return [
        (m.index(r, 2).data(), m.index(r, 3).data(), m.index(r, 4).data())
        for r in range(m.rowCount())
    ]


def test_every_entry_kind_is_shown_and_the_model_is_sound(history_window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    window, page, _aid = history_window
    assert window.tabs.currentWidget() is page
    assert _rows(page) == [
        ("Ana", "GOVERN 1.1", "Notes"),
        ("Ana", "MAP 1.1", "Owner"),
        ("Ana", "Whole assessment", "AI system: Risk tier"),
        ("Ben", "MAP 1.1", "Action 9f3a: status"),  # which action: its short id
        ("Ben", "MAP 1.1", "Action 77bc: status"),
        ("Cy", "GOVERN 1.1", "Review state"),
    ]
    assert page.count.text() == "6 entries"
    qtmodeltester.check(page.model)
    # The field filter offers what the history holds, actions grouped whatever their id.
    kinds = [page.kind_filter.itemText(i) for i in range(page.kind_filter.count())]
    assert kinds == [
        "Any field",
        "Action: status",
        "AI system: Risk tier",
        "Notes",
        "Owner",
        "Review state",
    ]


def test_filters_from_the_bar(qtbot, history_window, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    _window, page, _aid = history_window
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("action:status"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert page.count.text() == "Showing 2 of 6 entries"
    page.actor_filter.setCurrentIndex(page.actor_filter.findData("Ana"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.message.isVisible() and "Clear filters" in page.message.text()
    qtmodeltester.check(page.model)
    page.clear_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)
    page.subcategory_filter.setCurrentIndex(page.subcategory_filter.findData(ASSESSMENT_EVENT))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    # A date range that excludes today shows nothing; one that includes it shows all.
    page.subcategory_filter.setCurrentIndex(0)
    today = dt.date.today()
    page.set_filter(HistoryFilter(since=today + dt.timedelta(days=1)))
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.dates.isChecked()
    page.set_filter(
        HistoryFilter(since=today - dt.timedelta(days=1), until=today + dt.timedelta(days=1))
    )
    qtbot.waitUntil(lambda: page.model.rowCount() == 6)


def test_loading_and_filtering_run_off_the_ui_thread(qtbot, history_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window, page, aid = history_window
    ui = threading.get_ident()
    threads: list[int] = []
    real_fetch, real_filter = assessment_history._fetch_all, assessment_history.apply_filter

    def fetch(*args):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real_fetch(*args)

    def apply(*args):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real_filter(*args)

    monkeypatch.setattr(assessment_history, "_fetch_all", fetch)
    monkeypatch.setattr(assessment_history, "apply_filter", apply)
    with qtbot.waitSignal(page.loaded):
        page.load(aid)
    assert len(threads) == 2 and ui not in threads


def test_a_new_change_shows_when_the_page_is_shown_again(qtbot, ctx, history_window) -> None:  # type: ignore[no-untyped-def]
    window, page, aid = history_window
    window.show_questionnaire()
    AssessmentEditor(ctx).edit(aid, AssessmentEdit(scope="All branches"))
    window.details_changed(aid)  # what the Edit details dialog says once it saved
    assert window.changes.is_stale("history")  # hidden: read when shown, not now
    window.menus.history_view.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 7)
    assert _rows(page)[-1] == ("Ana", "Whole assessment", "Scope")


def test_the_page_names_its_widgets_and_is_keyboard_reachable(qtbot, history_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from tests.ui.shell.a11y_walk import unnamed

    _window, page, _aid = history_window
    assert unnamed(page) == []
    for widget in (page.actor_filter, page.kind_filter, page.subcategory_filter, page.dates):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
