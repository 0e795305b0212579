"""Preferences (who is recorded in the history) and View > Refresh (another instance's writes)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.answers import AnswerService
from app.services.assessments import AssessmentService
from app.ui.dialogs.preferences import ACTOR_KEY, PreferencesDialog, preferred_actor, saved_actor

pytestmark = pytest.mark.gui


def test_preferences_set_the_history_name(qtbot, tmp_path, modal, make_window, ctx) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    settings = window.settings
    assert preferred_actor(settings) is None and ctx.actor == "tester"  # nothing chosen yet

    def type_name(dialog: PreferencesDialog) -> None:
        dialog.actor.clear()
        qtbot.keyClicks(dialog.actor, "  Dana   Reyes ")
        dialog.accept()

    modal(window.preferences_action.trigger, type_name)
    assert settings.value(ACTOR_KEY) == "Dana Reyes"
    assert ctx.actor == "Dana Reyes"
    aid = AssessmentService(ctx).create({"name": "Who"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="x")
    assert AnswerService(ctx).history(aid)[-1].actor == "Dana Reyes"

    def clear_name(dialog: PreferencesDialog) -> None:
        dialog.actor.clear()
        dialog.accept()

    modal(window.preferences_action.trigger, clear_name)
    assert settings.value(ACTOR_KEY) is None
    assert ctx.actor == saved_actor(settings)  # back to $AIRMF_ACTOR or the OS user name


def test_team_mode_keeps_the_server_login(qtbot, modal, make_window, ctx) -> None:  # type: ignore[no-untyped-def]
    """In team mode neither a saved preference nor the dialog can replace the server login."""
    ctx.actor, ctx.actor_from_server = "dana", True
    window = make_window(reopen_last=False)
    window.settings.setValue(ACTOR_KEY, "Somebody Else")
    window2 = make_window(reopen_last=False)  # a window started with that preference saved
    assert ctx.actor == "dana" and window2.ctx.actor == "dana"
    seen: list[str] = []

    def try_to_rename(dialog: PreferencesDialog) -> None:
        assert dialog.actor.isReadOnly() and dialog.actor.text() == "dana"
        seen.append(dialog.findChild(type(dialog.actor)).text())
        qtbot.keyClicks(dialog.actor, "x")
        dialog.accept()

    modal(window.preferences_action.trigger, try_to_rename)
    assert seen == ["dana"] and ctx.actor == "dana"
    assert window.settings.value(ACTOR_KEY) == "Somebody Else"  # untouched, unused here
    aid = AssessmentService(ctx).create({"name": "Team"}).id
    AnswerService(ctx).record(aid, "GOVERN 1.1", notes="x")
    assert AnswerService(ctx).history(aid)[-1].actor == "dana"


def test_refresh_shows_another_instances_changes(qtbot, make_window, ctx, ui) -> None:  # type: ignore[no-untyped-def]
    window = make_window(reopen_last=False)
    ui.home_loaded(window)
    assert ui.home_rows(window) == []
    # Another instance (here: the service directly, as a second process would) writes.
    AssessmentService(ctx).create({"name": "Made elsewhere", "ai_system": "Other"})
    with qtbot.waitSignal(window.home.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert [r[0] for r in ui.home_rows(window)] == ["Made elsewhere"]
