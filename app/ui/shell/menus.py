"""The main window's menus and their actions, built in one place: File, Edit, Assessment, the
questionnaire's own menus, View (one item per registered page) and Help.

The actions call the window's slots; which actions are enabled follows the window's state
(``MainWindow._update_title`` and ``Navigation.sync``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu

from app.ui.shell.action_table import ActionSpec, build_actions

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.shell.navigation import Navigation


class WindowMenus:
    """Creates the window's own actions (``__init__``), then fills the menu bar once the pages
    are registered (``populate``): the View menu lists every page's action, in order."""

    # Built from ``window_actions`` (attributes named by the table).
    export_pdf: QAction
    export_json: QAction
    close: QAction
    quit: QAction
    preferences: QAction
    home_view: QAction
    questionnaire_view: QAction
    dashboard_view: QAction
    actions_view: QAction
    history_view: QAction
    refresh: QAction
    guide: QAction
    shortcuts: QAction
    about: QAction

    def __init__(self, window: MainWindow, app_title: str) -> None:
        self.window = w = window
        self.app_title = app_title
        build_actions(self, w, window_actions(app_title), w)

        stack: QUndoStack = w.questionnaire.undo_stack()
        self.undo = stack.createUndoAction(w, "&Undo")
        self.undo.setObjectName("undoAction")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo.setToolTip("Undo the last change to an answer (Ctrl+Z)")
        self.redo = stack.createRedoAction(w, "&Redo")
        self.redo.setObjectName("redoAction")
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo.setToolTip("Redo the change just undone (Ctrl+Shift+Z)")
        self.questionnaire_menus: list[QMenu] = []

    def populate(self, navigation: Navigation) -> None:
        """Fill the menu bar; call once, after every page is registered with ``navigation``."""
        w = self.window
        file_menu = self._menu("&File", "fileMenu")
        file_menu.addAction(w.home.new_action)
        file_menu.addAction(w.home.sample_action)
        file_menu.addAction(w.home.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_pdf)
        file_menu.addAction(self.export_json)
        from app.ui.interchange.actions import InterchangeActions

        w.interchange = InterchangeActions(w)
        w.interchange.fill(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.close)
        file_menu.addSeparator()
        file_menu.addAction(w.assessment_actions.backup_now)
        file_menu.addAction(w.assessment_actions.restore)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)

        edit_menu = self._menu("&Edit", "editMenu")
        edit_menu.addAction(self.undo)
        edit_menu.addAction(self.redo)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences)

        assessment_menu = self._menu("&Assessment", "assessmentMenu")
        self._add_all(assessment_menu, w.assessment_actions.assessment_menu_actions())

        for name, actions in w.questionnaire.menu_actions().items():
            menu = self._menu(f"&{name}", f"{name.lower()}Menu")
            self._add_all(menu, actions)
            self.questionnaire_menus.append(menu)

        view_menu = self._menu("&View", "viewMenu")
        for action in navigation.actions():
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh)

        help_menu = self._menu("&Help", "helpMenu")
        help_menu.addAction(self.guide)
        help_menu.addAction(self.shortcuts)
        help_menu.addSeparator()
        help_menu.addAction(self.about)
        w.menuBar().setAccessibleName("Menu bar")

    @staticmethod
    def _add_all(menu: QMenu, actions: list[QAction | None]) -> None:
        for action in actions:
            if action is None or action.isSeparator():
                menu.addSeparator()
            else:
                menu.addAction(action)

    def _menu(self, title: str, name: str) -> QMenu:
        menu = self.window.menuBar().addMenu(title)
        menu.setObjectName(name)
        menu.setToolTipsVisible(True)
        return menu


def window_actions(app_title: str) -> list[ActionSpec]:
    """The window's own actions (File, Edit, View, Help), with the window's slot each calls;
    the View menu's page actions have none (the navigation connects and checks them)."""
    key, std = QKeySequence, QKeySequence.StandardKey
    role = QAction.MenuRole
    return [
        ActionSpec(
            "export_pdf",
            "exportPdfAction",
            "Export &PDF report…",
            "Write a PDF report of the open (or selected) assessment",
            "Ctrl+E",
            "export_pdf",
        ),
        ActionSpec(
            "export_json",
            "exportJsonFileAction",
            "Export &JSON…",
            "Save the open (or selected) assessment as a re-importable JSON file",
            "Ctrl+Shift+S",
            "export_json",
        ),
        ActionSpec(
            "close",
            "closeAssessmentAction",
            "&Close assessment",
            "Close the open assessment and return to the list",
            std.Close,
            "close_assessment",
        ),
        ActionSpec(
            "quit", "quitAction", "&Quit", "Save and quit", key("Ctrl+Q"), "close", role.QuitRole
        ),
        ActionSpec(
            "preferences",
            "preferencesAction",
            "&Preferences…",
            "Your name as recorded in the change history",
            std.Preferences,
            "edit_preferences",
            role.PreferencesRole,
        ),
        ActionSpec(
            "home_view", "homeViewAction", "&Home", "The list of assessments", key("Alt+Home")
        ),
        ActionSpec(
            "questionnaire_view",
            "questionnaireViewAction",
            "&Questionnaire",
            "Answer the open assessment",
            key("Ctrl+1"),
        ),
        ActionSpec(
            "dashboard_view",
            "dashboardViewAction",
            "&Dashboard",
            "Scores, completion and gaps of the open assessment",
            key("Ctrl+2"),
        ),
        ActionSpec(
            "actions_view",
            "actionsViewAction",
            "&Actions",
            "Every remediation action of the open assessment",
            key("Ctrl+4"),
        ),
        ActionSpec(
            "history_view",
            "assessmentHistoryViewAction",
            "Assessment &history",
            "Every change to the open assessment, filtered by person, date, field or subcategory",
            key("Ctrl+Shift+H"),
        ),
        ActionSpec(
            "refresh",
            "refreshAction",
            "&Refresh",
            "Read the database again (shows changes made by another instance)",
            std.Refresh,
            "refresh",
        ),
        ActionSpec(
            "guide",
            "userGuideAction",
            "&User guide",
            "How to use the app",
            std.HelpContents,
            "show_user_guide",
        ),
        ActionSpec(
            "shortcuts",
            "shortcutsAction",
            "&Keyboard shortcuts",
            "Every shortcut of the menus",
            slot="show_shortcuts",
        ),
        ActionSpec(
            "about",
            "aboutAction",
            f"&About {app_title}",
            "Version and sources",
            slot="show_about",
            role=role.AboutRole,
        ),
    ]
