"""The main window: Home and one open assessment (Questionnaire, Dashboard), menus, status bar."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QMargins,
    QPoint,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.domain.assessment import Assessment, Status
from app.services.assessments import AssessmentService
from app.services.context import ServiceContext
from app.services.errors import NotFound
from app.ui.assessment_actions import AssessmentActions
from app.ui.dialogs.messages import show_error, show_info
from app.ui.home.page import HomePage, make_action
from app.ui.style import error_color
from app.ui.workers import Background

if TYPE_CHECKING:
    from app.ui.dashboard.page import DashboardPage
    from app.ui.progress.page import ProgressPage

APP_TITLE = "AI RMF Assessor"
SETTINGS_ORG = "airmf-assessor"
SETTINGS_APP = "AI RMF Assessor"
QUESTIONNAIRE_TAB = 0
DASHBOARD_TAB = 1
DASHBOARD_TIP = "Scores, completion and gaps (Ctrl+2)"
START_WORK_DELAY_MS = 3000  # the latest the deferred start-up work waits for the first screen
AFTER_FIRST_SCREEN_MS = 50  # then the deferred start-up work begins


DEFAULT_SIZE = QSize(1280, 800)
# Room for the window frame and title bar, which a window's geometry() does not include and
# which is not known before the window is first shown.
FRAME_ALLOWANCE = QMargins(8, 40, 8, 8)


def fits_screen(geometry: QRect, available: QRect) -> bool:
    """Whether a window of ``geometry`` (client area, device-independent pixels) lies within
    ``available`` (a screen's available geometry) and is small enough to fit it with its frame.

    The frame itself is placed by the window manager, which keeps it on screen.
    """
    framed = geometry.size().grownBy(FRAME_ALLOWANCE)
    return available.contains(geometry) and framed.boundedTo(available.size()) == framed


def first_geometry(available: QRect) -> QRect:
    """The window's client geometry when nothing that fits was saved: the default size, made
    smaller where the screen is, centred in the available area."""
    room = available.marginsRemoved(FRAME_ALLOWANCE)
    size = DEFAULT_SIZE.boundedTo(room.size())
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(room.center())
    return rect


def default_settings() -> QSettings:
    return QSettings(SETTINGS_ORG, SETTINGS_APP)


class MissingQuestionnaire(QWidget):
    """Stands in for the questionnaire page when it cannot be imported (same interface)."""

    saved = Signal(object)
    save_failed = Signal(str)
    answers_changed = Signal()

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionnaireUnavailable")
        label = QLabel(f"The questionnaire is not available in this build ({reason}).", self)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
        self._undo = QUndoStack(self)

    def load(self, assessment_id: int) -> None:
        pass

    def show_subcategory(self, subcategory_id: str) -> None:
        pass

    def flush(self) -> None:
        pass

    def undo_stack(self) -> QUndoStack:
        return self._undo

    def menu_actions(self) -> dict[str, list[QAction]]:
        return {}

    def current_subcategory(self) -> str | None:
        return None


def build_questionnaire(ctx: ServiceContext, background: Background, parent: QWidget) -> Any:
    try:
        from app.ui.questionnaire.page import QuestionnairePage
    except ImportError as exc:
        return MissingQuestionnaire(str(exc), parent)
    return QuestionnairePage(ctx, background, parent)


class MainWindow(QMainWindow):
    """Owns the pages and routes between them; the pages do their own work."""

    assessment_opened = Signal(int)

    def __init__(
        self,
        ctx: ServiceContext,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        reopen_last: bool = True,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings if settings is not None else default_settings()
        from app.ui.dialogs.preferences import preferred_actor

        if not ctx.actor_from_server:  # team mode records the server login instead
            ctx.actor = preferred_actor(self.settings) or ctx.actor  # the name in Preferences
        from app.ui.appearance import apply_saved, saved_scheme, saved_text_size

        # The scheme and text size chosen in Preferences; the system's own are left untouched.
        if saved_scheme(self.settings) != "system" or saved_text_size(self.settings) != 100:
            apply_saved(self.settings)
        self.background = Background(self)
        from app.ui.live_refresh import LiveRefresh

        self.live_refresh = LiveRefresh(ctx, self._refresh_after_others_wrote, self)
        self.assessments = AssessmentService(ctx)
        self.current: Assessment | None = None
        self._home_dirty = False
        self._starting = True  # until _finish_start has run
        self._start_timer: QTimer | None = None
        self._preloaded: int | None = None  # the questionnaire is already reading this one
        self.setObjectName("mainWindow")
        self.setAccessibleName(APP_TITLE)

        self.home = HomePage(ctx, self.background, self)
        self.home.open_requested.connect(self.open_assessment)
        self.home.deleted.connect(self._assessment_deleted)
        self.home.status_message.connect(self.show_message)
        self.home.loaded.connect(self._sync_current)

        self.questionnaire = build_questionnaire(ctx, self.background, self)
        self.questionnaire.setObjectName(self.questionnaire.objectName() or "questionnairePage")
        self.questionnaire.saved.connect(self._saved)
        self.questionnaire.save_failed.connect(self._save_failed)
        self._failure_shown = False  # the save label reports a failed save
        if hasattr(self.questionnaire, "unsaved_changed"):  # optional beyond the contract
            self.questionnaire.unsaved_changed.connect(self._unsaved_changed)
        if hasattr(self.questionnaire, "status_message"):
            self.questionnaire.status_message.connect(self.show_message)
        self.questionnaire.answers_changed.connect(self._answers_changed)
        # Optional beyond the contract: "loaded(int)" tells when a question can be shown.
        self._questionnaire_ready: int | None = None
        self._pending_subcategory: str | None = None
        self._open_at: tuple[int, str] | None = None
        self._tracks_loading = hasattr(self.questionnaire, "loaded")
        if self._tracks_loading:
            self.questionnaire.loaded.connect(self._questionnaire_loaded)
        # The dashboard is built when first shown (start-up cost); this stands in for it.
        self._dashboard: DashboardPage | None = None
        self._dashboard_slot: QWidget | None = QWidget(self)
        self._dashboard_slot.setObjectName("dashboardPlaceholder")

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("assessmentTabs")
        self.tabs.setAccessibleName("Assessment views")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.questionnaire, "&Questionnaire")
        self.tabs.addTab(self._dashboard_slot, "&Dashboard")
        self.tabs.setTabToolTip(QUESTIONNAIRE_TAB, "Answer the subcategories (Ctrl+1)")
        self.tabs.setTabToolTip(DASHBOARD_TAB, DASHBOARD_TIP)
        self.tabs.currentChanged.connect(self._view_changed)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("mainStack")
        self._progress: ProgressPage | None = None  # built when first shown (start-up cost)

        self.stack.addWidget(self.home)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.assessment_actions = AssessmentActions(self)
        if hasattr(self.questionnaire, "reopen_requested"):  # the read-only banner's button
            self.questionnaire.reopen_requested.connect(self.assessment_actions.reopen.trigger)

        self._build_status_bar()
        self._build_menus()
        self._restore_ui_state()
        self._view_changed()
        self._update_title()
        last = self._last_assessment() if reopen_last else None
        if last is not None:
            # The reopened question comes first: the (hidden) list is read and the daily backup
            # taken once it is on screen, or when Home is shown, or after a few seconds at most.
            self._home_dirty = True
            self._start_timer = QTimer(self)
            self._start_timer.setSingleShot(True)
            self._start_timer.timeout.connect(self._finish_start)
            self._start_timer.start(START_WORK_DELAY_MS if self._tracks_loading else 0)
            # The questionnaire reads its data at the same time as the assessment's record, and
            # shows its "Opening…" placeholder meanwhile (Home is not painted just to be left).
            self._preloaded = last
            self.questionnaire.load(last)
            self.open_assessment(last, quiet=True)
            self.stack.setCurrentWidget(self.tabs)
        else:
            self.home.refresh()
            self._finish_start()

    # -- construction -----------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.save_label = QLabel(self)
        self.save_label.setObjectName("saveStatus")
        self.save_label.setAccessibleName("Save status")
        bar.addPermanentWidget(self.save_label)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self._menu("&File", "fileMenu")
        file_menu.addAction(self.home.new_action)
        file_menu.addAction(self.home.sample_action)
        file_menu.addAction(self.home.import_action)
        file_menu.addSeparator()
        self.export_pdf_action = make_action(
            self,
            "exportPdfAction",
            "Export &PDF report…",
            "Write a PDF report of the open (or selected) assessment",
            "Ctrl+E",
        )
        self.export_pdf_action.triggered.connect(self.export_pdf)
        self.export_json_action = make_action(
            self,
            "exportJsonFileAction",
            "Export &JSON…",
            "Save the open (or selected) assessment as a re-importable JSON file",
            "Ctrl+Shift+S",
        )
        self.export_json_action.triggered.connect(self.export_json)
        file_menu.addAction(self.export_pdf_action)
        file_menu.addAction(self.export_json_action)
        from app.ui.interchange.actions import InterchangeActions

        self.interchange = InterchangeActions(self)
        self.interchange.fill(file_menu)
        file_menu.addSeparator()
        self.close_action = make_action(
            self,
            "closeAssessmentAction",
            "&Close assessment",
            "Close the open assessment and return to the list",
            QKeySequence.StandardKey.Close,
        )
        self.close_action.triggered.connect(self.close_assessment)
        file_menu.addAction(self.close_action)
        file_menu.addSeparator()
        file_menu.addAction(self.assessment_actions.backup_now)
        file_menu.addAction(self.assessment_actions.restore)
        file_menu.addSeparator()
        self.quit_action = make_action(
            self, "quitAction", "&Quit", "Save and quit", QKeySequence("Ctrl+Q")
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        edit_menu = self._menu("&Edit", "editMenu")
        stack: QUndoStack = self.questionnaire.undo_stack()
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setToolTip("Undo the last change to an answer (Ctrl+Z)")
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setToolTip("Redo the change just undone (Ctrl+Shift+Z)")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.preferences_action = make_action(
            self,
            "preferencesAction",
            "&Preferences…",
            "Your name as recorded in the change history",
            QKeySequence.StandardKey.Preferences,
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(self.edit_preferences)
        edit_menu.addAction(self.preferences_action)

        assessment_menu = self._menu("&Assessment", "assessmentMenu")
        for action in self.assessment_actions.assessment_menu_actions():
            if action is None:
                assessment_menu.addSeparator()
            else:
                assessment_menu.addAction(action)

        self.questionnaire_menus: list[QMenu] = []
        for name, actions in self.questionnaire.menu_actions().items():
            menu = self._menu(f"&{name}", f"{name.lower()}Menu")
            for action in actions:
                if action is None or action.isSeparator():
                    menu.addSeparator()
                else:
                    menu.addAction(action)
            self.questionnaire_menus.append(menu)

        view_menu = self._menu("&View", "viewMenu")
        group = QActionGroup(self)
        self.home_view_action = make_action(
            self, "homeViewAction", "&Home", "The list of assessments", QKeySequence("Alt+Home")
        )
        self.questionnaire_view_action = make_action(
            self,
            "questionnaireViewAction",
            "&Questionnaire",
            "Answer the open assessment",
            QKeySequence("Ctrl+1"),
        )
        self.dashboard_view_action = make_action(
            self,
            "dashboardViewAction",
            "&Dashboard",
            "Scores, completion and gaps of the open assessment",
            QKeySequence("Ctrl+2"),
        )
        self.progress_view_action = self.assessment_actions.portfolio
        for action, slot in (
            (self.home_view_action, self.show_home),
            (self.questionnaire_view_action, self.show_questionnaire),
            (self.dashboard_view_action, self.show_dashboard),
            (self.progress_view_action, None),
        ):
            action.setCheckable(True)
            group.addAction(action)
            if slot is not None:
                action.triggered.connect(slot)
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.refresh_action = make_action(
            self,
            "refreshAction",
            "&Refresh",
            "Read the database again (shows changes made by another instance)",
            QKeySequence.StandardKey.Refresh,
        )
        self.refresh_action.triggered.connect(self.refresh)
        view_menu.addAction(self.refresh_action)

        help_menu = self._menu("&Help", "helpMenu")
        self.guide_action = make_action(
            self, "userGuideAction", "&User guide", "How to use the app", QKeySequence.HelpContents
        )
        self.guide_action.triggered.connect(self.show_user_guide)
        help_menu.addAction(self.guide_action)
        self.shortcuts_action = make_action(
            self, "shortcutsAction", "&Keyboard shortcuts", "Every shortcut of the menus"
        )
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addSeparator()
        about = make_action(self, "aboutAction", f"&About {APP_TITLE}", "Version and sources")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        bar.setAccessibleName("Menu bar")

    def _menu(self, title: str, name: str) -> QMenu:
        menu = self.menuBar().addMenu(title)
        menu.setObjectName(name)
        menu.setToolTipsVisible(True)
        return menu

    # -- settings ---------------------------------------------------------------------------
    def _db_key(self) -> str:
        return hashlib.sha1(self.ctx.location.display.encode()).hexdigest()[:16]

    def _last_assessment(self) -> int | None:
        value = self.settings.value(f"lastAssessment/{self._db_key()}")
        try:
            return int(value) if value not in (None, "") else None  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None

    def _remember(self, assessment_id: int | None) -> None:
        key = f"lastAssessment/{self._db_key()}"
        if assessment_id is None:
            self.settings.remove(key)
        else:
            self.settings.setValue(key, assessment_id)

    def _splitters(self) -> list[QSplitter]:
        return [s for s in self.findChildren(QSplitter) if s.objectName()]

    def _available_geometry(self) -> QRect:
        """The part of the screen a window may use (without task bar and docks)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def _restore_geometry(self) -> None:
        """The saved geometry if it fits the screen now available, else a size that does.

        A window saved on a larger monitor (or at another scaling) would otherwise open with
        its status bar below the bottom of the screen.
        """
        available = self._available_geometry()
        geometry = self.settings.value("window/geometry")
        saved = self.settings.value("window/normalGeometry")
        if (
            isinstance(geometry, QByteArray)
            and not geometry.isEmpty()
            and (not isinstance(saved, QRect) or fits_screen(saved, available))
            and self.restoreGeometry(geometry)
            and fits_screen(self.normalGeometry(), available)
        ):
            return
        self.setWindowState(Qt.WindowState.WindowNoState)
        self.setGeometry(first_geometry(available))

    def _restore_ui_state(self) -> None:
        self._restore_geometry()
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        header = self.settings.value("home/header")
        if isinstance(header, QByteArray):
            self.home.table.horizontalHeader().restoreState(header)
        self._restore_splitters(self._splitters())

    def _restore_splitters(self, splitters: list[QSplitter]) -> None:
        for splitter in splitters:
            saved = self.settings.value(f"splitters/{splitter.objectName()}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)

    def _save_ui_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/normalGeometry", self.normalGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("home/header", self.home.table.horizontalHeader().saveState())
        for splitter in self._splitters():
            self.settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        # Closed while the last assessment was still opening: it is still the one to reopen.
        self._remember(self.current.id if self.current else self._preloaded)
        self.settings.sync()

    # -- navigation -------------------------------------------------------------------------
    def open_assessment(self, assessment_id: int, quiet: bool = False) -> None:
        """Load an assessment (off the UI thread) and show its questionnaire."""
        if self.current is not None and self.current.id == assessment_id:
            self.show_questionnaire()
            return
        if self.current is not None:
            self.questionnaire.flush()
        self.background.run(
            lambda: self.assessments.get(assessment_id),
            self._show_assessment,
            lambda exc: self._open_failed(assessment_id, exc, quiet),
        )

    def _show_assessment(self, assessment: Assessment) -> None:
        self.current = assessment
        self._remember(assessment.id)
        preloaded, self._preloaded = self._preloaded, None
        if preloaded != assessment.id:
            self._questionnaire_ready = None
        self._pending_subcategory = None
        open_at, self._open_at = self._open_at, None
        if open_at is not None and open_at[0] == assessment.id:
            self._pending_subcategory = open_at[1]
        if preloaded != assessment.id:
            self.questionnaire.load(assessment.id)
        if self._dashboard is not None:
            self._dashboard.load(assessment.id)
        self.save_label.clear()
        self._failure_shown = False
        self.show_questionnaire()
        self._update_title()
        self.assessment_opened.emit(assessment.id)

    def reload_assessment(self) -> None:
        """Re-read the open assessment after a change made outside the questionnaire (sign-off,
        reopening, rename): title, questionnaire (read-only or not) and dashboard follow."""
        if self.current is None:
            return
        aid = self.current.id
        self.questionnaire.flush()
        self._home_dirty = True

        def reloaded(assessment: Assessment) -> None:
            if self.current is None or self.current.id != aid:
                return
            self.current = assessment
            self._questionnaire_ready = None
            self.questionnaire.load(aid)
            if self._dashboard is not None:
                self._dashboard.load(aid)
            self._update_title()

        self.background.write(
            lambda: None,  # behind any pending save
            lambda _none: self.background.run(
                lambda: self.assessments.get(aid),
                reloaded,
                lambda exc: self._open_failed(aid, exc, quiet=False),
            ),
        )

    def _open_failed(self, assessment_id: int, exc: Exception, quiet: bool) -> None:
        self._preloaded = None
        self._finish_start()
        if isinstance(exc, NotFound):
            if self._last_assessment() == assessment_id:
                self._remember(None)
            if quiet:  # the assessment used last was deleted: just start at Home
                self.show_home()
                return
        self.show_home()
        show_error(self, "The assessment could not be opened", str(exc))

    def close_assessment(self) -> None:
        if self.current is None:
            return
        self.questionnaire.flush()
        if not self._may_leave_failed_saves():
            return
        self.current = None
        self._remember(None)
        self._clear_dashboard()
        self.save_label.clear()
        self._failure_shown = False
        self._update_title()
        self.show_home()

    def _assessment_deleted(self, assessment_id: int) -> None:
        if self.current is not None and self.current.id == assessment_id:
            self.current = None
            self._clear_dashboard()
            self._update_title()
            self._view_changed()
        if self._last_assessment() == assessment_id:
            self._remember(None)

    def _sync_current(self) -> None:
        """The list was reloaded: pick up a rename or status change of the open assessment."""
        if self.current is None:
            return
        row = self.home.model.row_of(self.current.id)
        if row is not None:
            self.current = self.home.model.summary(row).assessment
            self._update_title()

    def show_home(self) -> None:
        if self.current is not None and self.stack.currentWidget() is self.tabs:
            self.questionnaire.flush()  # leaving the page: pending typing is saved first
        self.stack.setCurrentWidget(self.home)
        if self._home_dirty:
            self._refresh_home_after_writes()
        self._view_changed()

    def show_questionnaire(self) -> None:
        if self.current is None:
            self.show_home()
            return
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(QUESTIONNAIRE_TAB)
        self._view_changed()

    def show_dashboard(self) -> None:
        if self.current is None:
            self.show_home()
            return
        self.questionnaire.flush()
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(self.tabs.indexOf(self.dashboard))
        self._view_changed()

    def show_subcategory(self, subcategory_id: str) -> None:
        self.show_questionnaire()
        if self.current is None:
            return
        if self._tracks_loading and self._questionnaire_ready != self.current.id:
            self._pending_subcategory = subcategory_id  # shown once the page has loaded
            return
        self.questionnaire.show_subcategory(subcategory_id)

    def _questionnaire_loaded(self, assessment_id: object) -> None:
        self._questionnaire_ready = assessment_id if isinstance(assessment_id, int) else None
        if self._starting and self._start_timer is not None:
            # Once the question is on screen (the first frame painted). The timer is the
            # window's child, so nothing fires after the window is gone.
            self._start_timer.start(AFTER_FIRST_SCREEN_MS)
        pending, self._pending_subcategory = self._pending_subcategory, None
        if pending and self.current is not None and self.current.id == assessment_id:
            self.questionnaire.show_subcategory(pending)

    def edit_preferences(self) -> None:
        from app.ui.dialogs.preferences import PreferencesDialog, saved_actor

        login = self.ctx.actor if self.ctx.actor_from_server else None
        if PreferencesDialog(self.settings, self, server_login=login).exec() and not login:
            self.ctx.actor = saved_actor(self.settings)
            self.show_message(f"Changes are now recorded as {self.ctx.actor}")

    def refresh(self) -> None:
        """Re-read what is shown, after pending saves (another instance may have written)."""
        self.questionnaire.flush()
        self._refresh_home_after_writes()
        if self.current is not None:
            self.reload_assessment()
        if self._progress is not None and self.stack.currentWidget() is self._progress:
            self.background.write(lambda: None, lambda _none: self._progress.refresh())

    def _refresh_after_others_wrote(self, assessment_ids: set[int] | None) -> None:
        """Team mode: another member committed writes (to these assessments; None: any)."""
        self._refresh_home_after_writes()
        if self.current is not None and (
            assessment_ids is None or self.current.id in assessment_ids
        ):
            self.reload_assessment()
        if self._progress is not None and self.stack.currentWidget() is self._progress:
            self.background.write(lambda: None, lambda _none: self._progress.refresh())

    def _finish_start(self) -> None:
        """Start-up work the first screen does not wait for: the list (unless Home already
        read it) and the daily backup."""
        if not self._starting:
            return
        self._starting = False
        if self._start_timer is not None:
            self._start_timer.stop()
        if self._home_dirty:
            self._refresh_home_after_writes()
        self.assessment_actions.daily_backup()

    @property
    def dashboard(self) -> DashboardPage:
        """Scores, chart, heat map and gaps of the open assessment; built when first shown
        (or first asked for), in place of the tab's placeholder, to keep start-up short."""
        if self._dashboard is None:
            from app.ui.dashboard.page import DashboardPage

            page = DashboardPage(self.ctx, self.background, self)
            page.subcategory_requested.connect(self.show_subcategory)
            page.load_failed.connect(self.show_message)
            self._restore_splitters([s for s in page.findChildren(QSplitter) if s.objectName()])
            self._dashboard = page
            slot, self._dashboard_slot = self._dashboard_slot, None
            # Swap without the questionnaire showing in between: insert before the
            # placeholder, make the page current if the placeholder was, then drop it.
            blocked = self.tabs.blockSignals(True)
            showing = self.tabs.currentIndex() == DASHBOARD_TAB
            self.tabs.insertTab(DASHBOARD_TAB, page, "&Dashboard")
            self.tabs.setTabToolTip(DASHBOARD_TAB, DASHBOARD_TIP)
            if showing:
                self.tabs.setCurrentIndex(DASHBOARD_TAB)
            if slot is not None:
                self.tabs.removeTab(self.tabs.indexOf(slot))
                slot.deleteLater()
            self.tabs.blockSignals(blocked)
            if self.current is not None:
                page.load(self.current.id)
        return self._dashboard

    def _clear_dashboard(self) -> None:
        if self._dashboard is not None:
            self._dashboard.clear()

    @property
    def progress(self) -> ProgressPage:
        """Portfolio, trend and comparison views; built on first use to keep start-up short."""
        if self._progress is None:
            from app.ui.progress.page import ProgressPage

            page = ProgressPage(self.ctx, self.background, self)
            page.open_assessment.connect(self.open_assessment)
            page.open_subcategory.connect(self._open_subcategory_of)
            self.stack.addWidget(page)
            self._progress = page
        return self._progress

    def show_progress(self, refresh: bool = True) -> None:
        """Portfolio, trends and comparisons of every AI system (they need no open assessment)."""
        if self.current is not None and self.stack.currentWidget() is self.tabs:
            self.questionnaire.flush()
        if refresh:
            self.background.write(lambda: None, lambda _none: self.progress.refresh())
        self.stack.setCurrentWidget(self.progress)
        self._view_changed()

    def _open_subcategory_of(self, assessment_id: int, subcategory_id: str) -> None:
        self._pending_subcategory = None
        if self.current is not None and self.current.id == assessment_id:
            self.show_subcategory(subcategory_id)
            return
        self._open_at = (assessment_id, subcategory_id)  # applied once the page has loaded
        self.open_assessment(assessment_id)

    def after_restore(self) -> None:
        """The database content was replaced: reopen it (upgrading an older backup) and reload."""
        from app.persistence.database import open_database

        location = self.ctx.location
        self.current = None
        self._remember(None)
        self._clear_dashboard()
        self.ctx.db = open_database(location.url, sqlite_path=location.sqlite_path)
        self._update_title()
        self.show_home()
        self.home.refresh()

    def _view_changed(self, *_args: object) -> None:
        on_progress = self._progress is not None and self.stack.currentWidget() is self._progress
        self.progress_view_action.setChecked(on_progress)
        if on_progress:
            self.home_view_action.setChecked(False)
            self.questionnaire_view_action.setChecked(False)
            self.dashboard_view_action.setChecked(False)
            for menu in self.questionnaire_menus:
                menu.menuAction().setEnabled(False)
            return
        on_home = self.stack.currentWidget() is self.home or self.current is None
        # Indexes, not currentWidget(): PySide6 6.12 under-counts None when that is null (as
        # while the window is destroyed), which crashes the interpreter at exit.
        if self._dashboard is None and self.tabs.currentIndex() == DASHBOARD_TAB:
            _ = self.dashboard  # the tab was chosen (click or keyboard): build it now
        tab = self.tabs.currentIndex()
        in_questionnaire = not on_home and tab == QUESTIONNAIRE_TAB
        if not on_home and tab == DASHBOARD_TAB:
            self.questionnaire.flush()
        self.home_view_action.setChecked(on_home)
        self.questionnaire_view_action.setChecked(in_questionnaire)
        self.dashboard_view_action.setChecked(not on_home and tab == DASHBOARD_TAB)
        has = self.current is not None
        self.questionnaire_view_action.setEnabled(has)
        self.dashboard_view_action.setEnabled(has)
        self.close_action.setEnabled(has)
        # Questionnaire shortcuts only act while the questionnaire is what the user sees.
        for menu in self.questionnaire_menus:
            menu.menuAction().setEnabled(in_questionnaire)
        if on_home and self.stack.currentWidget() is not self.home:
            self.stack.setCurrentWidget(self.home)

    def _refresh_home_after_writes(self) -> None:
        # Queued behind pending saves, so the list shows what was just written.
        self._home_dirty = False
        self.background.write(lambda: None, lambda _none: self.home.refresh())

    # -- questionnaire signals --------------------------------------------------------------
    def _saved(self, when: object) -> None:
        if self._failure_shown:
            return  # a failed save is still not retried: that stays the news
        if isinstance(when, dt.datetime):
            local = when.astimezone() if when.tzinfo else when
            text = f"Saved at {local:%H:%M:%S}"
        else:
            text = "Saved"
        self.save_label.setPalette(self.statusBar().palette())
        self.save_label.setText(text)
        self.save_label.setToolTip("Every change is committed to the database as you make it")

    def _save_failed(self, message: str) -> None:
        """``message``: the page's complete sentence (it names what was not saved, and why)."""
        pal = self.save_label.palette()
        pal.setColor(QPalette.ColorRole.WindowText, error_color(pal))
        self.save_label.setPalette(pal)
        self.save_label.setText(message)
        self.save_label.setToolTip(message)
        self._failure_shown = True

    def _unsaved_changed(self, summary: str) -> None:
        """The failed saves not yet retried changed: show them, or clear the old failure."""
        if summary:
            self._save_failed(summary)
        elif self._failure_shown:
            self._failure_shown = False
            self.save_label.setPalette(self.statusBar().palette())
            self.save_label.clear()
            self.save_label.setToolTip("")

    def _answers_changed(self) -> None:
        if self._dashboard is not None:
            self._dashboard.mark_dirty()
        self._home_dirty = True

    # -- file actions -----------------------------------------------------------------------
    def _target(self) -> tuple[int, str] | None:
        """The assessment a file action applies to: the open one, else the one selected."""
        if self.current is not None and self.stack.currentWidget() is self.tabs:
            return self.current.id, self.current.name
        summary = self.home.selected_summary()
        if summary is not None:
            return summary.assessment.id, summary.assessment.name
        if self.current is not None:
            return self.current.id, self.current.name
        return None

    def export_pdf(self) -> None:
        target = self._target()
        if target is None:
            show_info(self, "Export PDF report", "Open or select an assessment first.")
            return
        try:
            from app.ui.report_export import export_report_dialog
        except ImportError:
            show_info(
                self,
                "Export PDF report",
                "PDF export is not available in this build. Export JSON (Ctrl+Shift+S) "
                "keeps a complete copy of the assessment.",
            )
            return
        self.questionnaire.flush()
        self.background.wait()  # the report must include the change just made
        export_report_dialog(self, self.ctx, self.background, target[0])

    def export_json(self) -> None:
        target = self._target()
        if target is None:
            show_info(self, "Export JSON", "Open or select an assessment first.")
            return
        self.questionnaire.flush()
        self.home.export_json(*target)

    def show_user_guide(self) -> None:
        from app.ui.help import open_user_guide

        open_user_guide(self)

    def show_shortcuts(self) -> None:
        from app.ui.help import ShortcutsDialog

        dialog = ShortcutsDialog(self.menuBar(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_about(self) -> None:
        from app.ui.dashboard.page import NOT_A_CERTIFICATION

        show_info(
            self,
            f"About {APP_TITLE}",
            f"{APP_TITLE} {__version__}\n\nAssess an AI system against the NIST AI Risk "
            "Management Framework 1.0 (NIST AI 100-1), with the NIST AI RMF Playbook and the "
            "Generative AI Profile (NIST AI 600-1). Maturity rubric: Dotan et al. 2024 "
            f"(arXiv:2401.15229).\n\n{NOT_A_CERTIFICATION}\n\n"
            f"Database: {self.ctx.location.display}",
        )

    def show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    # -- title and closing ------------------------------------------------------------------
    def _update_title(self) -> None:
        self.assessment_actions.update()
        if self.current is None:
            self.setWindowTitle(APP_TITLE)
            return
        suffix = " (read-only: finalized)" if self.current.status is Status.FINALIZED else ""
        self.setWindowTitle(f"{self.current.name}{suffix} — {APP_TITLE}")

    def _may_leave_failed_saves(self) -> bool:
        """Whether to leave the assessment although saves failed and were not retried (the
        changes would be lost): asks, with Stay as the default. True when nothing failed."""
        if not self._failure_shown:
            return True
        box = QMessageBox(self)
        box.setObjectName("failedSavesBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changes not saved")
        box.setText(
            f"{self.save_label.text()}.\n\nLeave anyway? Those changes are lost. Choose Stay, "
            "then Retry above the subcategory's form to save them again."
        )
        leave = box.addButton("Leave without saving", QMessageBox.ButtonRole.DestructiveRole)
        leave.setObjectName("leaveUnsavedButton")
        stay = box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("stayButton")
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.exec()
        return box.clickedButton() is leave

    def closeEvent(self, event: QCloseEvent) -> None:
        self.questionnaire.flush()
        if not self.background.wait():
            self.show_message("Still saving… please wait a moment and close again.")
            event.ignore()
            return
        if not self._may_leave_failed_saves():
            event.ignore()
            return
        self._save_ui_state()
        self.live_refresh.stop()
        event.accept()
