"""The questionnaire page: navigator | subcategory editor | guidance, wired to the controller."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.domain.actions import RemediationAction
from app.domain.assessment import Answer
from app.domain.days import format_day
from app.domain.scoring import NodeScore
from app.services.context import ServiceContext
from app.ui.questionnaire.actions import QuestionnaireActions
from app.ui.questionnaire.banner import Banner, IntegrityBanner
from app.ui.questionnaire.controller import QuestionnaireController
from app.ui.questionnaire.editor import TYPED_FIELDS, SubcategoryEditor
from app.ui.questionnaire.guidance_panel import GuidancePanel
from app.ui.questionnaire.loading import LoadedAssessment
from app.ui.questionnaire.navigator_view import NavigatorPanel
from app.ui.style import muted
from app.ui.workers import Background

SETTINGS_PREFIX = "questionnaire/"
# Navigator, question, guidance. The guidance is wide enough for all six of its tabs at
# 1366 pixels (else Plan and AI 600-1 hide behind the tab bar's scroll arrows).
DEFAULT_SIZES = (300, 540, 490)
NOTHING_OPEN = "No assessment is open. Choose or create one on the home page."
REOPEN_MENU = "Assessment > Reopen for edits…"
READ_ONLY_KEYS = (
    "“{name}” is finalized and read-only: nothing was changed. To edit it, reopen it "
    f"({REOPEN_MENU})."
)


class QuestionnairePage(QWidget):
    saved = Signal(object)  # each successful save: the (local, aware) datetime of its commit
    save_failed = Signal(str)  # a complete sentence naming the subcategory and the reason
    unsaved_changed = Signal(str)  # every failed save not yet retried, in one line ("" if none)
    answers_changed = Signal()  # any stored change
    loaded = Signal(int)  # an assessment is shown (its id)
    status_message = Signal(str)  # a passing message for the window's status bar
    reopen_requested = Signal()  # the read-only banner's Reopen button

    def __init__(
        self, ctx: ServiceContext, background: Background, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("questionnairePage")
        self.ctx = ctx
        self._undo = QUndoStack(self)
        self.controller = QuestionnaireController(ctx, background, self._undo, self)
        self.data: LoadedAssessment | None = None
        self._shown = ""  # the subcategory in the editor
        self.background = background
        self._plan_generation = 0  # only the newest read of the actions reaches the navigator

        self.read_only_banner = Banner("readOnlyBanner", parent=self)
        self.reopen_button = self.read_only_banner.add_button(
            "&Reopen for edits…", "readOnlyReopen", f"Unlock this assessment ({REOPEN_MENU})"
        )
        self.integrity_banner = IntegrityBanner(ctx, background, self)
        self.navigator = NavigatorPanel(self)
        self.editor = SubcategoryEditor(self)
        self.editor.review.bind(ctx, background)
        self.guidance = GuidancePanel(self)
        self.actions = QuestionnaireActions(self)
        from app.ui.actions.section import ActionsSection

        self.remediation = ActionsSection(ctx, background, self)
        self._remediation_tab = self.guidance.add_remediation(self.remediation)

        self.placeholder = muted(QLabel(NOTHING_OPEN, self))
        self.placeholder.setObjectName("questionnairePlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.centre_stack = QStackedWidget(self)
        self.centre_stack.addWidget(self.placeholder)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addLayout(self._nav_bar())
        centre_layout.addWidget(self.editor, 1)
        self.centre_stack.addWidget(centre)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("questionnaireSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.centre_stack)
        self.splitter.addWidget(self.guidance)
        self.splitter.setStretchFactor(1, 1)
        self.navigator.setMinimumWidth(220)
        self.guidance.setMinimumWidth(260)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.integrity_banner)
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.splitter, 1)

        self._connect()
        self._restore_settings()
        self._update_actions()

    def _nav_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 0, 12, 0)
        for action, name in (
            (self.actions.previous, "previousButton"),
            (self.actions.next, "nextButton"),
            (self.actions.next_unanswered, "nextUnansweredButton"),
        ):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAccessibleName(action.text().replace("&", ""))
            bar.addWidget(button)
        bar.addStretch(1)
        self.position_label = muted(QLabel(self))
        self.position_label.setObjectName("questionnairePosition")
        bar.addWidget(self.position_label)
        self.status_label = muted(QLabel(self))
        self.status_label.setObjectName("questionnaireStatus")
        bar.insertWidget(3, self.status_label)
        return bar

    # -- contract -----------------------------------------------------------------------------
    def load(self, assessment_id: int) -> None:
        """Open an assessment (read in the background); selects where the user left it."""
        self.placeholder.setText("Opening the assessment…")
        self.centre_stack.setCurrentIndex(0)
        self.navigator.setEnabled(False)
        self.guidance.setEnabled(False)
        self.controller.load(assessment_id)

    def show_subcategory(self, subcategory_id: str) -> None:
        if self.data is None:
            return
        resolved = self.data.framework.resolve_subcategory_id(subcategory_id)
        if resolved is not None:
            self.controller.select(resolved)

    def flush(self) -> None:
        self.controller.flush()

    def undo_stack(self) -> QUndoStack:
        return self._undo

    def menu_actions(self) -> dict[str, list[QAction]]:
        return {"Navigate": self.actions.navigate(), "Rating": self.actions.rating()}

    def current_subcategory(self) -> str | None:
        return self.controller.current

    # -- wiring -------------------------------------------------------------------------------
    def _connect(self) -> None:
        c, e, a = self.controller, self.editor, self.actions
        c.bind(e.take_edits, self.navigator.proxy.visible_subcategories)
        c.saved.connect(self._saved)
        c.save_failed.connect(self.save_failed)
        c.failures_changed.connect(self._show_failure)
        c.answers_changed.connect(self.answers_changed)
        c.loaded.connect(self._loaded)
        c.opened.connect(self.loaded)
        c.load_failed.connect(self._load_failed)
        c.current_changed.connect(self._show_current)
        c.answer_changed.connect(self._answer_changed)
        c.stored.connect(self._stored)
        c.values_applied.connect(self._values_applied)
        c.na_error.connect(self._na_error)
        c.message.connect(self.status_label.setText)
        c.evidence_busy.connect(e.evidence.set_busy)
        c.evidence_error.connect(e.evidence.show_message)
        c.link_added.connect(e.evidence.clear_link_inputs)
        c.integrity_checked.connect(e.evidence.model.set_integrity)
        c.open_url.connect(e.evidence.open_url)
        c.conflicted.connect(self._conflicted)
        e.review.states_loaded.connect(self.navigator.model.set_reviews)
        e.review.state_changed.connect(self._review_changed)

        self.navigator.subcategory_selected.connect(c.select)
        e.changed.connect(c.change)
        e.typed.connect(c.typed)
        e.na_clicked.connect(c.set_not_applicable)
        e.retry_requested.connect(c.retry)
        e.dismiss_button.clicked.connect(c.dismiss_failure)
        e.evidence.link_requested.connect(c.add_link)
        e.evidence.attach_requested.connect(self._choose_file)
        e.evidence.date_requested.connect(c.set_evidence_date)
        e.evidence.open_requested.connect(c.open_evidence)
        e.evidence.remove_requested.connect(c.remove_evidence)
        self.guidance.actions_changed.connect(c.set_actions)
        self.guidance.create_action_requested.connect(self._create_action)
        self.remediation.status_message.connect(self.status_label.setText)
        self.remediation.count_changed.connect(self._remediation_count)
        self.remediation.plan_changed.connect(self._read_plan)
        self.guidance.genai_toggled.connect(c.set_genai_action)

        a.previous.triggered.connect(c.go_previous)
        a.next.triggered.connect(c.go_next)
        a.next_unanswered.triggered.connect(c.go_next_unanswered)
        a.find.triggered.connect(self._focus_search)
        for i, action in enumerate(a.ratings, start=1):
            action.triggered.connect(lambda _=False, pos=i: self._if_editable(self._rate, pos))
        a.not_applicable.triggered.connect(lambda: self._if_editable(c.toggle_not_applicable))
        a.flag.triggered.connect(lambda: self._if_editable(c.toggle_flag))
        a.clear_rating.triggered.connect(lambda: self._if_editable(e._clear_rating))
        self.reopen_button.clicked.connect(self.reopen_requested)
        self.splitter.splitterMoved.connect(self._save_settings)
        self.guidance.currentChanged.connect(self._save_settings)
        self.navigator.rows_changed.connect(self._update_actions)

    # -- controller -> view -------------------------------------------------------------------
    def _loaded(self, data: LoadedAssessment) -> None:
        self.data = data
        self._shown = ""
        self.navigator.setEnabled(True)
        self.guidance.setEnabled(True)
        self.navigator.model.set_assessment(data.framework, data.scheme, data.answers, data.score)
        self.navigator.framework = data.framework
        self.navigator.refresh_summary()
        self.editor.set_scheme(data.scheme, data.assessment.default_target)
        self.actions.set_scheme(data.scheme)
        read_only = data.read_only
        self.editor.review.load(data.assessment.id, read_only)
        self._read_plan()
        self.editor.set_read_only(read_only)
        self.guidance.set_read_only(read_only)
        self.editor.error_banner.show_text("")
        self.status_label.setText("")
        self.integrity_banner.check(data.assessment.id)
        if read_only:
            a = data.assessment
            when = f" on {format_day(a.finalized_at)}" if a.finalized_at else ""
            who = f" by {a.finalized_by}" if a.finalized_by else ""
            role = f" ({a.finalized_role})" if a.finalized_role else ""
            self.read_only_banner.show_text(
                f"<b>Read-only:</b> “{_html(a.name)}” was finalized{_html(who + role)}{when}. "
                f"To change it, reopen it: <b>{_html(REOPEN_MENU)}</b>"
            )
        else:
            self.read_only_banner.show_text("")
        self.centre_stack.setCurrentIndex(1)
        self._update_actions()

    def _read_plan(self) -> None:
        """Read every remediation action of the open assessment for the navigator (its owner,
        "Overdue" and search filters cover them), behind pending writes."""
        if self.data is None:
            return
        aid = self.data.assessment.id
        self._plan_generation += 1
        generation, service = self._plan_generation, self.remediation.service

        def done(actions: list[RemediationAction]) -> None:
            current = self.data is not None and self.data.assessment.id == aid
            if isValid(self) and generation == self._plan_generation and current:
                self.navigator.model.set_actions(actions)
                self._show_planned()

        self.background.write(
            lambda: service.list(aid),
            done,
            lambda exc: self.status_label.setText(f"The actions could not be read: {exc}"),
        )

    def _show_planned(self) -> None:
        """The guidance marks the suggestions of the shown subcategory that have an open
        action (from the actions last read for the navigator)."""
        if self._shown:
            self.guidance.set_planned(self.navigator.model.actions(self._shown))

    def _review_changed(self, sub: str, state: object) -> None:
        """A subcategory's review state as read now: a change is a stored change (the
        dashboard's review count follows)."""
        if self.navigator.model.review(sub) != state:
            self.navigator.model.set_review(sub, state)  # type: ignore[arg-type]
            self.answers_changed.emit()

    def _load_failed(self, message: str) -> None:
        self.data, self._shown = None, ""
        self.navigator.model.clear()
        self.navigator.refresh_summary()
        self.read_only_banner.show_text("")
        self.integrity_banner.clear()
        self.placeholder.setText(f"{message}\n\nChoose another assessment on the home page.")
        self.centre_stack.setCurrentIndex(0)
        self._update_actions()
        self.centre_stack.setCurrentIndex(0)

    def _show_current(self, sub: str) -> None:
        data = self.data
        if data is None:
            return
        view = self.controller.book.view(sub)
        previous = self._shown
        left_partial = self.editor.rating is not None and self.editor.rating.is_partial()
        self._shown = sub
        self.navigator.select(sub)
        self.editor.show_answer(data.framework, view)
        self.editor.review.show_for(sub)
        self.editor.verticalScrollBar().setValue(0)
        self.guidance.show_guidance(
            data.framework.subcategory(sub),
            view.actions_in_place,
            data.genai(),
            data.framework.guidance_source,
            view.genai_actions_in_place,
        )
        self.guidance.set_read_only(data.read_only)
        self._show_planned()
        self.remediation.show_subcategory(data.assessment.id, sub, data.read_only)
        self.controller.check_integrity(view.evidence)
        self._show_failure()
        self.status_label.setText(
            f"{previous}: rating not saved, it needs a value for every metric."
            if left_partial and previous and not data.read_only
            else ""
        )
        ids = data.framework.subcategory_ids()
        self.position_label.setText(f"{ids.index(sub) + 1} of {len(ids)}")
        self._update_actions()

    def _create_action(self, source: str) -> None:
        """A suggestion's "Create action": planned in the Plan tab, which is shown."""
        self.remediation.create_from_suggestion(source)
        self.guidance.setCurrentIndex(self._remediation_tab)

    def _remediation_count(self, count: int) -> None:
        self.guidance.setTabText(self._remediation_tab, f"Plan ({count})" if count else "Plan")

    def _answer_changed(self, view: Answer, fields: set[str]) -> None:
        self.navigator.model.set_answer(view)
        self.navigator.proxy.refilter()
        self._show_stored(view, fields)

    def _stored(self, view: Answer, fields: set[str], score: NodeScore) -> None:
        """A save landed: one update of the navigator (answer and scores), then the form."""
        self.navigator.model.update(view, score)
        self.navigator.proxy.refilter()
        self.navigator.refresh_summary()
        self.editor.review.refresh(view.subcategory_id)  # an edit may move its review state
        self._show_stored(view, fields)

    def _show_stored(self, view: Answer, fields: set[str]) -> None:
        if view.subcategory_id != self.controller.current:
            return
        self.editor.carried.setVisible(view.carried_over)
        if fields:
            self.editor.sync(view, fields - set(TYPED_FIELDS))
            model = self.editor.evidence.model
            self.controller.check_integrity(
                [e for e in view.evidence if e.is_file and model.integrity(e.sha256) == "checking"]
            )
            if "actions_in_place" in fields:
                self.guidance.set_in_place(view.actions_in_place)
            if "genai_actions_in_place" in fields:
                self.guidance.set_genai_in_place(view.genai_actions_in_place)

    def _conflicted(self, conflict: object) -> None:
        """Another writer changed the fields of a save: the user chooses (see the dialog)."""
        from app.ui.dialogs.save_conflict import ask_about_conflict  # not needed at start-up

        c = self.controller
        ask_about_conflict(self, conflict, c.keep_mine, c.take_theirs, c.postpone_conflict)  # type: ignore[arg-type]

    def _values_applied(self, sub: str, values: dict[str, Any]) -> None:
        if sub != self.controller.current:
            return
        self.editor.apply_values(values)
        if "actions_in_place" in values:
            self.guidance.set_in_place(values["actions_in_place"])
        if "genai_actions_in_place" in values:
            self.guidance.set_genai_in_place(values["genai_actions_in_place"])

    def _na_error(self, text: str) -> None:
        self.editor.show_na_error(text)
        if text:
            self.editor.rationale.setFocus()
            self.editor.ensureWidgetVisible(self.editor.rationale)

    def _saved(self, when: object) -> None:
        self.saved.emit(when)

    def _show_failure(self) -> None:
        """The banner shows the failed save of the subcategory shown, and only that one."""
        message = self.controller.failure(self.controller.current)
        self.editor.error_banner.show_text(
            f"{_html(message)}<br><b>Retry</b> saves this change again; <b>Dismiss</b> leaves "
            "the stored answer as it is."
            if message
            else ""
        )
        self.unsaved_changed.emit(self.controller.failure_summary())

    # -- helpers ------------------------------------------------------------------------------
    def _if_editable(self, edit: Callable[..., None], *args: Any) -> None:
        """Run an editing shortcut, or say why it does nothing (a finalized assessment)."""
        if self.controller.editable:
            edit(*args)
        elif self.data is not None and self.data.read_only:
            self.status_message.emit(READ_ONLY_KEYS.format(name=self.data.assessment.name))

    def _rate(self, position: int) -> None:
        if self.controller.editable and self.editor.rating is not None:
            self.editor.rating.choose(position)

    def _focus_search(self) -> None:
        self.navigator.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.navigator.search.selectAll()

    def _choose_file(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Attach evidence files")
        if paths:
            self.controller.attach_files([Path(p) for p in paths])

    def _update_actions(self, *_args: Any) -> None:
        c = self.controller
        loaded = self.data is not None and c.current is not None and self.isVisible()
        self.actions.previous.setEnabled(loaded and c.has_previous())
        self.actions.next.setEnabled(loaded and c.has_next())
        self.actions.next_unanswered.setEnabled(loaded)
        self.actions.find.setEnabled(loaded)
        # Read-only, the editing shortcuts stay enabled to say why they change nothing.
        for action in [
            *self.actions.ratings,
            self.actions.not_applicable,
            self.actions.flag,
            self.actions.clear_rating,
        ]:
            action.setEnabled(loaded)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._update_actions()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.controller.flush()  # leaving the page saves what was typed
        self._update_actions()

    # -- settings -----------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        settings = QSettings()
        state = settings.value(SETTINGS_PREFIX + "splitter")
        if not (state and self.splitter.restoreState(state)):
            self.splitter.setSizes(list(DEFAULT_SIZES))
        tab = settings.value(SETTINGS_PREFIX + "guidanceTab", 0)
        with contextlib.suppress(TypeError, ValueError):
            self.guidance.setCurrentIndex(int(tab))

    def _save_settings(self, *_args: Any) -> None:
        settings = QSettings()
        settings.setValue(SETTINGS_PREFIX + "splitter", self.splitter.saveState())
        settings.setValue(SETTINGS_PREFIX + "guidanceTab", self.guidance.currentIndex())


def _html(text: str) -> str:
    return escape(text)
