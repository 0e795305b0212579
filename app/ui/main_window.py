"""The main window: Home and one open assessment (Questionnaire, Dashboard), menus, status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QRect,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QSplitter,
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
from app.ui.home.page import HomePage
from app.ui.shell.changes import ALL, ANSWER_LEVEL, Change, Changes, Kind
from app.ui.shell.menus import WindowMenus
from app.ui.shell.navigation import HOME, Navigation
from app.ui.shell.save_status import SaveStatus
from app.ui.shell.start_sequence import StartSequence
from app.ui.shell.window_state import FRAME_ALLOWANCE, UiState, first_geometry, fits_screen
from app.ui.workers import Background

if TYPE_CHECKING:
    from app.ui.actions.page import ActionsPage
    from app.ui.dashboard.page import DashboardPage
    from app.ui.progress.page import ProgressPage

# Re-exported: tests and tools import the geometry rules from here.
__all__ = ["FRAME_ALLOWANCE", "MainWindow", "first_geometry", "fits_screen"]

APP_TITLE = "AI RMF Assessor"
SETTINGS_ORG = "airmf-assessor"
SETTINGS_APP = "AI RMF Assessor"
# The pages' keys (``Navigation``); HOME is the navigation's own.
QUESTIONNAIRE = "questionnaire"
DASHBOARD = "dashboard"
HISTORY = "history"
PROGRESS = "progress"
REMEDIATION = "remediation"  # the questionnaire's Plan tab (a view of its own for Changes)
DASHBOARD_TIP = "Scores, completion and gaps (Ctrl+2)"
ACTIONS = "actions"
ACTIONS_TIP = "Every remediation action of the assessment: filter, sort, bulk change (Ctrl+4)"


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
    """Owns the pages and routes between them; the pages do their own work.

    Its parts live beside it in ``app.ui.shell``: the menus (``menus.WindowMenus``), the view
    navigation (``navigation.Navigation``: which pages exist and which one is shown) and the
    start-up sequence (``start_sequence.StartSequence``). To add a view, register it in
    ``_register_pages``.
    """

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
        self.ui_state = UiState(self, self.settings, ctx.location.display)
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
        # Every write publishes what it changed here; each view is refreshed from that.
        self.changes = Changes(self.background, self)
        self.start = StartSequence(self, [self._read_home_if_stale, self._daily_backup])
        self._preloaded: int | None = None  # the questionnaire is already reading this one
        self.setObjectName("mainWindow")
        self.setAccessibleName(APP_TITLE)

        self.home = HomePage(ctx, self.background, self)
        self.home.open_requested.connect(self.open_assessment)
        self.home.deleted.connect(self._assessment_deleted)
        self.home.changed.connect(self.publish)
        self.home.status_message.connect(self.show_message)
        self.home.loaded.connect(self._sync_current)
        self.home.edit_requested.connect(self.edit_details)
        self.edit_dialog: QDialog | None = None  # the open "Edit assessment details" dialog

        self.questionnaire = build_questionnaire(ctx, self.background, self)
        self.questionnaire.setObjectName(self.questionnaire.objectName() or "questionnairePage")
        self.statusBar().setObjectName("statusBar")
        self.save_status = SaveStatus(self.statusBar(), self)
        self.save_label = self.save_status.label
        self.questionnaire.saved.connect(self.save_status.saved)
        self.questionnaire.save_failed.connect(self.save_status.save_failed)
        if hasattr(self.questionnaire, "unsaved_changed"):  # optional beyond the contract
            self.questionnaire.unsaved_changed.connect(self.save_status.unsaved_changed)
        if hasattr(self.questionnaire, "status_message"):
            self.questionnaire.status_message.connect(self.show_message)
        self.questionnaire.answers_changed.connect(self._answers_changed)
        remediation = getattr(self.questionnaire, "remediation", None)
        if remediation is not None:  # actions planned in the questionnaire's Plan tab
            remediation.changed.connect(
                lambda: self._publish_current(Kind.ACTIONS, origin=REMEDIATION)
            )
        # Optional beyond the contract: "loaded(int)" tells when a question can be shown.
        self._questionnaire_ready: int | None = None
        self._pending_subcategory: str | None = None
        self._open_at: tuple[int, str] | None = None
        self._tracks_loading = hasattr(self.questionnaire, "loaded")
        if self._tracks_loading:
            self.questionnaire.loaded.connect(self._questionnaire_loaded)

        self.menus = WindowMenus(self, APP_TITLE)
        self.assessment_actions = AssessmentActions(self)
        self.navigation = Navigation(
            self, self.home, self.menus.home_view, self._has_assessment, self.show_home
        )
        self.tabs = self.navigation.tabs
        self.stack = self.navigation.stack
        self.setCentralWidget(self.stack)
        self._register_pages()
        self._register_views()
        self.navigation.changed.connect(self._view_changed)
        self.navigation.built.connect(lambda key, _widget: self._built(key))
        if hasattr(self.questionnaire, "reopen_requested"):  # the read-only banner's button
            self.questionnaire.reopen_requested.connect(self.assessment_actions.reopen.trigger)

        self.menus.populate(self.navigation)
        self._alias_actions()
        self._restore_ui_state()
        self.navigation.sync()
        self._update_title()
        self._start(self._last_assessment() if reopen_last else None)

    # -- construction -----------------------------------------------------------------------
    def _register_pages(self) -> None:
        """Every view of the window, in View-menu order. A page that is not needed to start
        is given as a factory and built when first shown (start-up cost)."""
        nav = self.navigation
        nav.add_tab(
            QUESTIONNAIRE,
            "&Questionnaire",
            "Answer the subcategories (Ctrl+1)",
            self.menus.questionnaire_view,
            widget=self.questionnaire,
            show=self.show_questionnaire,
        )
        nav.add_tab(
            DASHBOARD,
            "&Dashboard",
            DASHBOARD_TIP,
            self.menus.dashboard_view,
            build=self._build_dashboard,
            show=self.show_dashboard,
        )
        nav.add_tab(
            ACTIONS,
            "Actions",  # no mnemonic: Alt+A is the Assessment menu's (Ctrl+4 reaches it)
            ACTIONS_TIP,
            self.menus.actions_view,
            build=self._build_actions,
        )
        nav.add_tab(
            HISTORY,
            "Histor&y",
            "Every change to the assessment, with filters (Ctrl+Shift+H)",
            self.menus.history_view,
            build=self._build_history,
        )
        nav.add_page(
            PROGRESS,
            self.assessment_actions.portfolio,
            build=self._build_progress,
            show=self.show_progress,
        )

    def _register_views(self) -> None:
        """What each view shows, for ``Changes``: a view is refreshed when an operation
        changed something it shows (at once on screen, else when next shown)."""
        c, nav = self.changes, self.navigation
        current = self._current_id
        # The open assessment's record: title, menus, and the questionnaire (read-only or
        # not); re-read at once, as the title and menus are always seen.
        c.register(
            QUESTIONNAIRE,
            ANSWER_LEVEL | Kind.DETAILS | Kind.STATUS,
            self._reread_assessment,
            lambda: True,
            current,
        )
        remediation = getattr(self.questionnaire, "remediation", None)
        if remediation is not None:
            c.register(
                REMEDIATION,
                Kind.ACTIONS,
                remediation.reload,
                lambda: nav.current() == QUESTIONNAIRE,
                current,
                page=QUESTIONNAIRE,
            )
        listed = Kind.ANSWERS | Kind.DETAILS | Kind.STATUS | Kind.ASSESSMENTS
        c.register(HOME, listed, self.home.refresh, lambda: nav.current() == HOME)
        c.register(
            PROGRESS, listed, lambda: self.progress.reload(), lambda: nav.current() == PROGRESS
        )
        c.register(
            DASHBOARD,
            ANSWER_LEVEL | Kind.DETAILS | Kind.STATUS,
            self._load_dashboard,
            lambda: nav.is_built(DASHBOARD) and nav.current() == DASHBOARD,
            current,
        )
        c.register(
            ACTIONS,
            Kind.ACTIONS | Kind.STATUS,
            self._load_actions,
            lambda: nav.is_built(ACTIONS) and nav.current() == ACTIONS,
            current,
        )
        c.register(
            HISTORY,
            ALL,
            self._load_history,
            lambda: nav.is_built(HISTORY) and nav.current() == HISTORY,
            current,
        )

    def publish(self, change: Change) -> None:
        """An operation changed stored data: refresh the views that show it (see
        ``app.ui.shell.changes``). Call it once the write is done."""
        self.changes.publish(change)

    def _publish_current(self, kinds: Kind, origin: str | None = None) -> None:
        if self.current is not None:
            self.publish(Change.of(kinds, self.current.id, origin=origin))

    def _current_id(self) -> int | None:
        return self.current.id if self.current is not None else None

    def _built(self, key: str) -> None:
        """A page built on first use reads its data when shown (the dashboard reads as it is
        built: see ``_build_dashboard``)."""
        if key in (ACTIONS, HISTORY, PROGRESS):
            self.changes.stale(key)

    def _alias_actions(self) -> None:
        # The names tests and other modules have used for the window's actions.
        m = self.menus
        self.export_pdf_action, self.export_json_action = m.export_pdf, m.export_json
        self.close_action, self.quit_action = m.close, m.quit
        self.undo_action, self.redo_action = m.undo, m.redo
        self.preferences_action, self.refresh_action = m.preferences, m.refresh
        self.guide_action, self.shortcuts_action = m.guide, m.shortcuts
        self.home_view_action = m.home_view
        self.questionnaire_view_action = m.questionnaire_view
        self.dashboard_view_action = m.dashboard_view
        self.actions_view_action = m.actions_view
        self.progress_view_action = self.assessment_actions.portfolio
        self.questionnaire_menus = m.questionnaire_menus

    def _start(self, last: int | None) -> None:
        """Stage 1 of the start-up sequence (see ``shell.start_sequence``)."""
        self.changes.stale(HOME)
        if last is None:
            self.changes.shown(HOME)
            self.start.finish()
            return
        # The reopened question comes first: the (hidden) list is read and the daily backup
        # taken once it is on screen, or when Home is shown, or after a few seconds at most.
        self.start.wait_for_first_screen(self._tracks_loading)
        # The questionnaire reads its data at the same time as the assessment's record, and
        # shows its "Opening…" placeholder meanwhile (Home is not painted just to be left).
        self._preloaded = last
        self.questionnaire.load(last)
        self.open_assessment(last, quiet=True)
        self.stack.setCurrentWidget(self.tabs)

    def _has_assessment(self) -> bool:
        return self.current is not None

    # -- settings ---------------------------------------------------------------------------
    def _last_assessment(self) -> int | None:
        return self.ui_state.last_assessment()

    def _remember(self, assessment_id: int | None) -> None:
        self.ui_state.remember(assessment_id)

    def _available_geometry(self) -> QRect:
        """The part of the screen a window may use (without task bar and docks)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def _restore_ui_state(self) -> None:
        self.ui_state.restore(self._available_geometry(), self.home.table.horizontalHeader())

    def _restore_splitters(self, splitters: list[QSplitter]) -> None:
        self.ui_state.restore_splitters(splitters)

    def _save_ui_state(self) -> None:
        # Closed while the last assessment was still opening: it is still the one to reopen.
        last = self.current.id if self.current else self._preloaded
        self.ui_state.save(self.home.table.horizontalHeader(), last)

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
        # Every view of the assessment reads it when shown (the questionnaire, with its Plan
        # tab, just did); a dashboard already built reads it now, ready when its tab is chosen.
        self.changes.switched(QUESTIONNAIRE, REMEDIATION, read_now=[DASHBOARD])
        self.save_status.clear()
        self.show_questionnaire()
        self._update_title()
        self.assessment_opened.emit(assessment.id)

    def reload_assessment(self) -> None:
        """Re-read everything shown of the open assessment (its data may all have changed):
        title, questionnaire, dashboard, actions, history, and the lists."""
        if self.current is not None:
            self.questionnaire.flush()
            self.publish(Change.of(ALL, self.current.id))

    def _reread_assessment(self) -> None:
        """The open assessment's record and questionnaire, re-read (``Changes`` runs this
        behind pending saves): title, menus, read-only or not."""
        if self.current is None:
            return
        aid = self.current.id
        self.questionnaire.flush()

        def reloaded(assessment: Assessment) -> None:
            if self.current is None or self.current.id != aid:
                return
            self.current = assessment
            self._questionnaire_ready = None
            self.questionnaire.load(aid)
            self._update_title()

        self.background.after_writes(  # behind the save of what was just flushed
            lambda: self.background.run(
                lambda: self.assessments.get(aid),
                reloaded,
                lambda exc: self._open_failed(aid, exc, quiet=False),
            )
        )

    def _open_failed(self, assessment_id: int, exc: Exception, quiet: bool) -> None:
        self._preloaded = None
        self.start.finish()
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
        if not self.save_status.may_leave():
            return
        self.current = None
        self._remember(None)
        self._clear_dashboard()
        self.save_status.clear()
        self._update_title()
        self.show_home()

    def _assessment_deleted(self, assessment_id: int) -> None:
        if self.current is not None and self.current.id == assessment_id:
            self.current = None
            self._clear_dashboard()
            self._update_title()
            self.navigation.sync()
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
        if self.navigation.current() != HOME:
            self.questionnaire.flush()  # leaving the page: pending typing is saved first
        self.navigation.show(HOME)

    def show_questionnaire(self) -> None:
        self._show_assessment_view(QUESTIONNAIRE)

    def show_dashboard(self) -> None:
        self._show_assessment_view(DASHBOARD)

    def _show_assessment_view(self, key: str) -> None:
        """A view of the open assessment; Home (refreshed if needed) when none is open."""
        if self.current is None:
            self.show_home()
        else:
            self.navigation.show(key)

    def show_actions(self) -> None:
        """The Actions view of the open assessment (read when shown, after pending saves)."""
        self._show_assessment_view(ACTIONS)

    @property
    def actions_page(self) -> ActionsPage:
        """The assessment's remediation actions across subcategories (built on first use)."""
        return self.navigation.page(ACTIONS)  # type: ignore[return-value]

    def _build_actions(self) -> QWidget:
        from app.ui.actions.page import ActionsPage

        page = ActionsPage(self.ctx, self.background, self)
        page.subcategory_requested.connect(self.show_subcategory)
        page.status_message.connect(self.show_message)
        # A bulk change shows in the questionnaire's Plan tab and the history too.
        page.changed.connect(lambda: self._publish_current(Kind.ACTIONS, origin=ACTIONS))
        return page

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
        self.start.first_screen_shown()  # once the question is on screen
        pending, self._pending_subcategory = self._pending_subcategory, None
        if pending and self.current is not None and self.current.id == assessment_id:
            self.questionnaire.show_subcategory(pending)

    def edit_details(self, assessment_id: int) -> None:
        """The "Edit assessment details" dialog for ``assessment_id`` (open or selected)."""
        from app.ui.dialogs.edit_assessment import edit_details

        edit_details(self, assessment_id)

    def details_changed(self, assessment_id: int) -> None:
        """An assessment's details or profile were saved: the list, and the open assessment's
        title, questionnaire and dashboard, show the new values."""
        self.publish(Change.of(Kind.DETAILS, assessment_id))

    def edit_preferences(self) -> None:
        from app.ui.dialogs.preferences import PreferencesDialog, saved_actor

        login = self.ctx.actor if self.ctx.actor_from_server else None
        if PreferencesDialog(self.settings, self, server_login=login).exec() and not login:
            self.ctx.actor = saved_actor(self.settings)
            self.show_message(f"Changes are now recorded as {self.ctx.actor}")

    def refresh(self) -> None:
        """Re-read what is shown, after pending saves (another instance may have written)."""
        self.questionnaire.flush()
        self.publish(Change.everything())

    def _refresh_after_others_wrote(self, assessment_ids: set[int] | None) -> None:
        """Team mode: another member committed writes (to these assessments; None: any)."""
        ids = None if assessment_ids is None else frozenset(assessment_ids)
        self.publish(Change(ALL, ids))

    def _daily_backup(self) -> None:
        self.assessment_actions.daily_backup()

    def _built_dashboard(self) -> DashboardPage | None:
        return self.navigation.built_page(DASHBOARD)  # type: ignore[return-value]

    @property
    def dashboard(self) -> DashboardPage:
        """Scores, chart, heat map and gaps of the open assessment; built when first shown
        (or first asked for), in place of the tab's placeholder, to keep start-up short."""
        return self.navigation.page(DASHBOARD)  # type: ignore[return-value]

    def _build_dashboard(self) -> QWidget:
        from app.ui.dashboard.page import DashboardPage

        page = DashboardPage(self.ctx, self.background, self)
        page.subcategory_requested.connect(self.show_subcategory)
        page.load_failed.connect(self.show_message)
        page.edit_requested.connect(
            lambda: self.current is not None and self.edit_details(self.current.id)
        )
        self._restore_splitters([s for s in page.findChildren(QSplitter) if s.objectName()])
        if self.current is not None:
            page.load(self.current.id)
        return page

    def _load_dashboard(self) -> None:
        if self.current is not None and (dashboard := self._built_dashboard()) is not None:
            dashboard.load(self.current.id)

    def _clear_dashboard(self) -> None:
        if (dashboard := self._built_dashboard()) is not None:
            dashboard.clear()

    def _build_history(self) -> QWidget:
        from app.ui.history.assessment_history import AssessmentHistoryPage

        return AssessmentHistoryPage(self.ctx, self.background, self)

    def _load_history(self) -> None:
        """The open assessment's chain as it is (``Changes`` runs this after pending saves)."""
        if self.current is not None and self.navigation.is_built(HISTORY):
            self.navigation.page(HISTORY).load(self.current.id)  # type: ignore[attr-defined]

    def _load_actions(self) -> None:
        if self.current is not None and self.navigation.is_built(ACTIONS):
            finalized = self.current.status is Status.FINALIZED
            self.actions_page.load(self.current.id, finalized)

    @property
    def progress(self) -> ProgressPage:
        """Portfolio, trend and comparison views; built on first use to keep start-up short."""
        return self.navigation.page(PROGRESS)  # type: ignore[return-value]

    def _build_progress(self) -> QWidget:
        from app.ui.progress.page import ProgressPage

        page = ProgressPage(self.ctx, self.background, self)
        page.open_assessment.connect(self.open_assessment)
        page.open_subcategory.connect(self._open_subcategory_of)
        return page

    def show_progress(self, refresh: bool = True) -> None:
        """Portfolio, trends and comparisons of every AI system (they need no open assessment)."""
        if self.navigation.current() in (QUESTIONNAIRE, DASHBOARD):
            self.questionnaire.flush()
        if refresh:
            self.progress.show_portfolio()  # read again if anything it shows changed
        self.navigation.show(PROGRESS)

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
        self.publish(Change.everything())

    def _view_changed(self, key: str) -> None:
        """The page shown changed (``Navigation.changed``)."""
        if key not in (HOME, QUESTIONNAIRE, PROGRESS):
            self.questionnaire.flush()  # another view of the assessment shows what was typed
        # Re-read if something it shows changed while hidden (behind the save flushed above).
        self.changes.shown(key)
        self.close_action.setEnabled(self.current is not None)
        # Questionnaire shortcuts only act while the questionnaire is what the user sees.
        for menu in self.menus.questionnaire_menus:
            menu.menuAction().setEnabled(key == QUESTIONNAIRE)

    def _read_home_if_stale(self) -> None:
        # Start-up: the list, hidden behind the reopened assessment, is read once that shows.
        self.changes.shown(HOME)

    # -- questionnaire signals --------------------------------------------------------------
    def _answers_changed(self) -> None:
        """A save of the questionnaire (an answer, its evidence or review state) is stored."""
        self._publish_current(ANSWER_LEVEL, origin=QUESTIONNAIRE)

    # -- file actions -----------------------------------------------------------------------
    def _target(self) -> tuple[int, str] | None:
        """The assessment a file action applies to: the open one, else the one selected."""
        if self.current is not None and self.navigation.current() in (QUESTIONNAIRE, DASHBOARD):
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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.questionnaire.flush()
        if not self.background.wait():
            self.show_message("Still saving… please wait a moment and close again.")
            event.ignore()
            return
        if not self.save_status.may_leave():
            event.ignore()
            return
        self._save_ui_state()
        self.live_refresh.stop()
        event.accept()
