"""The window's navigation as an explicit state (issue 14, "Room to grow"): pages registered
once, built when first shown, one current page, View actions checked and enabled from it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.shell.navigation import HOME, Navigation

pytestmark = pytest.mark.gui


@pytest.fixture
def nav(qtbot):  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    state = {"open": False, "built": []}
    home = QLabel("home", window)
    navigation = Navigation(window, home, QAction("Home", window), lambda: state["open"])

    def build(name: str):  # type: ignore[no-untyped-def]
        def make() -> QWidget:
            state["built"].append(name)
            page = QLabel(name, window)
            page.setObjectName(name)
            return page

        return make

    navigation.add_tab("first", "&First", "tip", QAction("First", window), build=build("first"))
    navigation.add_tab("second", "&Second", "tip", QAction("Second", window), build=build("second"))
    navigation.add_page("elsewhere", QAction("Elsewhere", window), build=build("elsewhere"))
    return navigation, state


def test_pages_are_built_when_first_shown_and_one_is_current(nav) -> None:  # type: ignore[no-untyped-def]
    navigation, state = nav
    assert navigation.keys() == [HOME, "first", "second", "elsewhere"]
    assert state["built"] == [] and navigation.current() == HOME
    seen: list[str] = []
    navigation.changed.connect(seen.append)
    navigation.show("second")  # no assessment open: Home instead, nothing built
    assert navigation.current() == HOME and state["built"] == []
    state["open"] = True
    navigation.show("second")
    assert state["built"] == ["second"] and navigation.current() == "second"
    assert navigation.tabs.currentWidget() is navigation.built_page("second")
    assert [a.isChecked() for a in navigation.actions()] == [False, False, True, False]
    navigation.tabs.setCurrentIndex(0)  # a click on the first tab builds it
    assert state["built"] == ["second", "first"] and navigation.current() == "first"
    navigation.actions()[3].trigger()
    assert navigation.current() == "elsewhere" and state["built"][-1] == "elsewhere"
    assert seen[-1] == "elsewhere"
    # The assessment is closed: its tabs are disabled; a tab page falls back to Home.
    navigation.show("first")
    state["open"] = False
    navigation.sync()
    assert navigation.current() == HOME
    assert [a.isEnabled() for a in navigation.actions()] == [True, False, False, True]


def test_a_page_name_is_registered_once(nav, qtbot) -> None:  # type: ignore[no-untyped-def]
    navigation, _state = nav
    with pytest.raises(ValueError, match="already registered"):
        navigation.add_page("first", QAction("Again"))
