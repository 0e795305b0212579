"""Views refreshed from what an operation changed (issue 14, "Room to grow in the window").

Each operation of the window publishes a ``Change``; ``Changes`` refreshes the views that show
what changed (at once on screen, else when next shown) and leaves the others alone. These tests
run each kind of operation through the window and count the refreshes of every view.
"""

from __future__ import annotations

from collections import Counter

import pytest

from app.services.actions import ActionService
from app.services.answers import AnswerService
from app.services.assessment_edit import AssessmentEdit, AssessmentEditor
from app.services.assessments import AssessmentService
from app.services.lifecycle import LifecycleService
from app.ui.shell.changes import ALL, Change, Changes, Kind
from app.ui.workers import Background

pytestmark = pytest.mark.gui

VIEWS = ("questionnaire", "remediation", "home", "progress", "dashboard", "actions", "history")


# -- the dispatcher on its own -----------------------------------------------------------------
def test_change_touches_only_its_kinds_and_assessments() -> None:
    answers = Change.of(Kind.ANSWERS, 1)
    assert answers.touches(Kind.ANSWERS | Kind.DETAILS, 1)
    assert not answers.touches(Kind.ANSWERS, 2)  # another assessment's view
    assert answers.touches(Kind.ANSWERS, None)  # a view of every assessment
    assert not answers.touches(Kind.ACTIONS, 1)
    assert Change.everything().touches(Kind.ACTIONS, 7)
    assert Change.of(Kind.STATUS, None).assessments == frozenset()


def test_hidden_views_refresh_once_when_shown_and_shown_ones_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    background = Background()
    changes = Changes(background)
    on_screen = {"a": True, "b": False}
    read: list[str] = []
    changes.register("a", Kind.ANSWERS, lambda: read.append("a"), lambda: on_screen["a"])
    changes.register(
        "b", Kind.ANSWERS | Kind.ACTIONS, lambda: read.append("b"), lambda: on_screen["b"]
    )
    changes.register("c", Kind.ACTIONS, lambda: read.append("c"), lambda: True, lambda: 5)
    with pytest.raises(ValueError, match="already registered"):
        changes.register("a", Kind.ANSWERS, lambda: None, lambda: True)

    changes.publish(Change.of(Kind.ANSWERS, 5))
    changes.publish(Change.of(Kind.ANSWERS, 5))  # a burst: one refresh queued, not two
    qtbot.waitUntil(lambda: read == ["a"])
    assert changes.is_stale("b") and not changes.is_stale("c")
    changes.shown("b")
    changes.shown("b")  # shown again with nothing new: no second read
    qtbot.waitUntil(lambda: read == ["a", "b"])
    changes.publish(Change.of(Kind.ACTIONS, 6))  # another assessment than c's
    changes.publish(Change.of(Kind.ACTIONS, 5, origin="c"))  # c made it and shows it
    background.wait()
    qtbot.wait(50)
    assert read == ["a", "b"] and changes.is_stale("b")
    assert changes.refreshes == Counter({"a": 1, "b": 1})


# -- the window --------------------------------------------------------------------------------
@pytest.fixture
def opened(qtbot, ctx, make_window, ui):  # type: ignore[no-untyped-def]
    """A window on an assessment with one answer and one action; every page built and read
    once, the questionnaire shown, refresh counts reset."""
    service = AssessmentService(ctx)
    aid = service.create({"name": "Counted", "ai_system": "Scorer", "scheme_id": "direct"}).id
    other = service.create({"name": "Other", "ai_system": "Bot"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="first")
    ActionService(ctx).add(aid, "GOVERN 1.1", title="Write the policy", owner="Dana")
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    window.open_assessment(aid)
    qtbot.waitUntil(lambda: window.current is not None and window.current.id == aid)
    for show in (
        window.show_dashboard,
        window.show_actions,
        window.menus.history_view.trigger,
        window.show_progress,
        window.show_questionnaire,
    ):
        show()
        window.background.wait()
        qtbot.wait(20)
    qtbot.waitUntil(lambda: window.dashboard.data is not None)
    qtbot.waitUntil(lambda: window.actions_page.model.rowCount() == 1)
    _settle(qtbot, window)
    assert not any(window.changes.is_stale(key) for key in VIEWS)
    window.changes.refreshes.clear()
    return window, aid, other


def _settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):  # a refresh may queue a read, whose result may queue another step
        window.background.wait()
        qtbot.wait(30)


def _stale(window) -> set[str]:  # type: ignore[no-untyped-def]
    return {key for key in VIEWS if window.changes.is_stale(key)}


def test_an_answer_saved_refreshes_what_shows_answers(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    window, aid, _other = opened
    with qtbot.waitSignal(window.questionnaire.saved, timeout=10_000):
        window.questionnaire.controller.change({"level": 3})  # rate the shown subcategory
    _settle(qtbot, window)
    # The questionnaire made it and shows it; every other view shows answers but is hidden:
    # read when shown. The Actions view and the Plan tab do not show answers.
    assert window.changes.refreshes == Counter()
    assert _stale(window) == {"home", "progress", "dashboard", "history"}
    before = window.dashboard.data
    window.show_dashboard()
    qtbot.waitUntil(lambda: window.dashboard.data is not before)
    assert window.dashboard.data.tree.rated == 1
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"dashboard": 1})


def test_an_action_changed_refreshes_actions_views_only(qtbot, ctx, opened) -> None:  # type: ignore[no-untyped-def]
    window, aid, _other = opened
    window.show_actions()
    _settle(qtbot, window)
    window.changes.refreshes.clear()
    ActionService(ctx).add(aid, "MAP 1.1", title="Inventory the data")
    window.actions_page.changed.emit()  # what a bulk change in the Actions view says
    _settle(qtbot, window)
    # The Actions view made it (and re-reads itself); the Plan tab and the history show it.
    assert window.changes.refreshes == Counter()
    assert _stale(window) == {"remediation", "history"}
    window.show_questionnaire()
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"remediation": 1})
    window.menus.history_view.trigger()
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"remediation": 1, "history": 1})
    assert any("Inventory" in str(row) for row in _history_rows(window))


def test_details_edited_refresh_title_lists_and_dashboard(qtbot, ctx, opened, ui) -> None:  # type: ignore[no-untyped-def]
    window, aid, _other = opened
    AssessmentEditor(ctx).edit(aid, AssessmentEdit(name="Counted (Q3)"))
    window.details_changed(aid)  # what the Edit details dialog says once it saved
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Counted (Q3)"))
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"questionnaire": 1})
    assert _stale(window) == {"home", "progress", "dashboard", "history"}
    window.show_home()
    qtbot.waitUntil(lambda: "Counted (Q3)" in [r[0] for r in ui.home_rows(window)])
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"questionnaire": 1, "home": 1})


def test_finalize_and_reopen_refresh_status_views(qtbot, ctx, opened, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.ui.dialogs.finalize as finalize
    import app.ui.dialogs.reopen as reopen

    window, aid, _other = opened
    monkeypatch.setattr(
        finalize,
        "finalize_dialog",
        lambda _w, c, a: LifecycleService(c).finalize(a, "Ana", "Risk lead") or True,
    )
    monkeypatch.setattr(
        reopen,
        "reopen_dialog",
        lambda _w, c, a: LifecycleService(c).reopen(a, "a typo") or True,
    )
    window.assessment_actions.finalize.trigger()
    qtbot.waitUntil(lambda: "read-only" in window.windowTitle())
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"questionnaire": 1})
    # Every view showing the status follows when shown; the Plan tab (actions only) does not.
    assert _stale(window) == {"home", "progress", "dashboard", "actions", "history"}
    window.show_actions()
    qtbot.waitUntil(lambda: window.actions_page.read_only)
    window.changes.refreshes.clear()
    window.show_questionnaire()
    window.assessment_actions.reopen.trigger()
    qtbot.waitUntil(lambda: "read-only" not in window.windowTitle())
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"questionnaire": 1})


def test_next_cycle_lists_it_and_opens_it(qtbot, ctx, opened, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.ui.dialogs.next_cycle as next_cycle

    window, aid, _other = opened
    made: list[int] = []

    def start(_w, c, a):  # type: ignore[no-untyped-def]
        made.append(LifecycleService(c).start_next_cycle(a, from_draft=True).id)
        return made[-1]

    monkeypatch.setattr(next_cycle, "next_cycle_dialog", start)
    window.assessment_actions.next_cycle.trigger()
    qtbot.waitUntil(lambda: window.current is not None and window.current.id == made[0])
    _settle(qtbot, window)
    assert {"home", "progress"} <= _stale(window)
    window.show_home()
    qtbot.waitUntil(lambda: window.home.model.row_of(made[0]) is not None)


def test_a_copy_in_home_refreshes_lists_not_the_open_assessment(qtbot, ctx, opened) -> None:  # type: ignore[no-untyped-def]
    window, aid, other = opened
    window.show_home()
    _settle(qtbot, window)
    window.changes.refreshes.clear()
    window.home.table.selectRow(
        window.home.proxy.mapFromSource(
            window.home.model.index(window.home.model.row_of(other), 0)
        ).row()
    )
    with qtbot.waitSignal(window.home.changed, timeout=10_000) as published:
        window.home.duplicate_selected()
    change = published.args[0]
    assert change.kinds == Kind.ASSESSMENTS and change.origin == "home"
    _settle(qtbot, window)
    # Home re-reads itself (keeping the copy selected); the portfolio reads when shown; the
    # open assessment's views are of another assessment and are left alone.
    assert window.changes.refreshes == Counter()
    assert _stale(window) == {"progress"}


def test_another_members_write_refreshes_only_what_shows_that_assessment(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    window, aid, other = opened
    window._refresh_after_others_wrote({other})
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter()  # the questionnaire shows another one
    assert _stale(window) == {"home", "progress"}
    window._refresh_after_others_wrote({aid})
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"questionnaire": 1, "remediation": 1})
    assert _stale(window) == {"home", "progress", "dashboard", "actions", "history"}


def test_refresh_and_restore_reread_everything_once(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    window, _aid, _other = opened
    window.refresh()
    window.refresh()  # pressed twice quickly: each view still reads once
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({"questionnaire": 1, "remediation": 1})
    for show in (window.show_dashboard, window.show_actions, window.show_home):
        show()
        _settle(qtbot, window)
    window.menus.history_view.trigger()
    window.show_progress()
    _settle(qtbot, window)
    assert window.changes.refreshes == Counter({key: 1 for key in VIEWS})


def test_no_hand_set_dirty_flags_are_left() -> None:
    """The window's views are refreshed only through ``Changes``."""
    import inspect

    import app.ui.dashboard.page as dashboard
    import app.ui.main_window as main_window

    for module in (main_window, dashboard):
        source = inspect.getsource(module)
        assert "_dirty" not in source and "mark_dirty" not in source


def test_no_view_waits_for_pending_saves_by_writing_a_no_op() -> None:
    """``Background.after_writes`` is the one way to run after pending saves."""
    import pathlib
    import re

    ui = pathlib.Path(__file__).resolve().parents[3] / "app" / "ui"
    no_op = re.compile(r"\.write\(\s*lambda: None")
    found = [str(p) for p in ui.rglob("*.py") if no_op.search(p.read_text(encoding="utf-8"))]
    assert found == []


def _history_rows(window) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    page = window.navigation.page("history")
    model = page.model
    return [
        tuple(model.index(r, c).data() for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def test_every_view_depends_on_something(opened) -> None:  # type: ignore[no-untyped-def]
    window, _aid, _other = opened
    for key in VIEWS:
        view = window.changes._views[key]
        assert view.depends and view.depends & ALL == view.depends
