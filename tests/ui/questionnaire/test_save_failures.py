"""A failed save's message belongs to its subcategory and its change: said once, shown with that
subcategory only, cleared when it no longer applies; Retry saves exactly what failed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from app.services.answers import AnswerService
from app.services.errors import StorageError

pytestmark = pytest.mark.gui

LOCKED = "the database is locked by another program"


@pytest.fixture
def broken_saves(monkeypatch):  # type: ignore[no-untyped-def]
    """Saves fail while ``state["broken"]`` is true."""
    real = AnswerService.record
    state = {"broken": True}

    def record(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if state["broken"]:
            raise StorageError(LOCKED)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(AnswerService, "record", record)
    return state


def tick(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_the_message_says_not_saved_once_and_names_the_subcategory(  # type: ignore[no-untyped-def]
    qtbot, make_page, settle, create, broken_saves
):
    page = make_page(create())
    failures: list[str] = []
    page.save_failed.connect(failures.append)
    tick(qtbot, page.editor.flagged)
    settle(page)
    assert failures == [f"GOVERN 1.1 not saved: {LOCKED}"]
    banner = page.editor.error_banner.text()
    assert banner.count("not saved") == 1 and "Not saved" not in banner


def test_the_message_stays_with_its_subcategory_and_retry_saves_exactly_that(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, broken_saves
):
    aid = create()
    page = make_page(aid)
    banner = page.editor.error_banner
    unsaved: list[str] = []
    page.unsaved_changed.connect(unsaved.append)
    tick(qtbot, page.editor.flagged)  # GOVERN 1.1: flag, not saved
    settle(page)
    assert banner.isVisible() and "GOVERN 1.1" in banner.text()

    page.show_subcategory("MAP 1.1")  # another subcategory: its form has no failure
    settle(page)
    assert not banner.isVisible()
    assert unsaved[-1].startswith("GOVERN 1.1 not saved")  # the status bar still says so

    page.show_subcategory("GOVERN 1.1")  # back: the failure is shown again
    assert banner.isVisible() and "GOVERN 1.1" in banner.text()
    broken_saves["broken"] = False
    history = len(AnswerService(ctx).history(aid))
    qtbot.mouseClick(page.editor.retry_button, Qt.MouseButton.LeftButton)
    settle(page)
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").flagged  # exactly the failed change
    assert not AnswerService(ctx).get(aid, "MAP 1.1").flagged
    assert len(AnswerService(ctx).history(aid)) == history + 1
    assert not banner.isVisible()
    assert unsaved[-1] == ""


def test_retry_from_the_banner_works_after_moving_away_and_back_with_the_keyboard(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, broken_saves
):
    aid = create()
    page = make_page(aid)
    page.show_subcategory("MAP 1.1")
    page.editor.rating.choose(3)
    page.editor.rating.choose(6)
    page.editor.rating.choose(9)  # High everywhere: fails
    settle(page)
    page.actions.next.trigger()
    settle(page)
    assert not page.editor.error_banner.isVisible()
    page.actions.previous.trigger()
    broken_saves["broken"] = False
    page.controller.retry()
    settle(page)
    stored = AnswerService(ctx).get(aid, "MAP 1.1")
    assert stored.metrics == {"coverage": "H", "robustness": "H", "input_diversity": "H"}


def test_a_later_successful_save_of_the_same_field_clears_the_message(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, broken_saves
):
    aid = create()
    page = make_page(aid)
    tick(qtbot, page.editor.flagged)
    settle(page)
    assert page.editor.error_banner.isVisible()
    broken_saves["broken"] = False
    tick(qtbot, page.editor.flagged)  # unticked: the user changed their mind, and it saved
    tick(qtbot, page.editor.flagged)  # ticked again: saved
    settle(page)
    assert not page.editor.error_banner.isVisible()
    assert AnswerService(ctx).get(aid, "GOVERN 1.1").flagged


def test_dismiss_forgets_the_failure(  # type: ignore[no-untyped-def]
    qtbot, ctx, make_page, settle, create, broken_saves
):
    aid = create()
    page = make_page(aid)
    unsaved: list[str] = []
    page.unsaved_changed.connect(unsaved.append)
    tick(qtbot, page.editor.flagged)
    settle(page)
    qtbot.mouseClick(page.editor.dismiss_button, Qt.MouseButton.LeftButton)
    assert not page.editor.error_banner.isVisible()
    assert unsaved[-1] == ""
    page.show_subcategory("MAP 1.1")
    page.show_subcategory("GOVERN 1.1")
    assert not page.editor.error_banner.isVisible()


def test_the_status_line_counts_every_subcategory_not_saved(  # type: ignore[no-untyped-def]
    qtbot, make_page, settle, create, broken_saves
):
    page = make_page(create())
    unsaved: list[str] = []
    page.unsaved_changed.connect(unsaved.append)
    for sub in ("GOVERN 1.1", "MAP 1.1", "MEASURE 1.1"):
        page.show_subcategory(sub)
        page.controller.change({"flagged": True})
        settle(page)
    assert unsaved[-1] == f"MEASURE 1.1 not saved: {LOCKED} (and 2 more subcategories)"
    page.controller.dismiss_failure()
    assert unsaved[-1] == f"MAP 1.1 not saved: {LOCKED} (and 1 more subcategory)"
