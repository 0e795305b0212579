"""Menu actions on the open assessment and the data: sign-off, reopening, next cycle, history,
progress views, backups. Keeps that behaviour out of the main window, which only routes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from app.domain.assessment import Status
from app.ui.dialogs.messages import show_error, show_info
from app.ui.dialogs.review_carried import ReviewCarried
from app.ui.home.page import make_action
from app.ui.shell.changes import Change, Kind

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

# The backup and progress services are imported where used (not needed to start up).


class AssessmentActions(QObject):
    """Builds the Assessment menu and File > backup actions for ``window`` and keeps their
    enabled state in step with the open assessment."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        w = window
        self.finalize = make_action(
            w,
            "finalizeAction",
            "&Finalize (sign off)…",
            "Sign off the assessment and lock it read-only",
        )
        self.reopen = make_action(
            w,
            "reopenAction",
            "&Reopen for edits…",
            "Unlock a finalized assessment (needs a reason; recorded)",
        )
        self.edit_details = make_action(
            w,
            "editDetailsAction",
            "&Edit assessment details…",
            "Change the name, AI system, scope, assessor, target, GenAI risks and the "
            "AI-system profile (each change is recorded)",
        )
        self.next_cycle = make_action(
            w,
            "nextCycleAction",
            "Start &next cycle…",
            "A new assessment of this AI system with these answers carried over",
            "Ctrl+Shift+N",
        )
        self.history = make_action(
            w,
            "historyAction",
            "Change &history…",
            "Who changed what in the current subcategory, and when",
            "Ctrl+H",
        )
        self.compare_previous = make_action(
            w,
            "comparePreviousAction",
            "&Compare with previous cycle",
            "What changed since the previous cycle of this AI system",
            "Ctrl+Shift+C",
        )
        self.trend = make_action(
            w,
            "systemTrendAction",
            "AI system &trend",
            "This AI system's scores across its cycles",
            "Ctrl+Shift+T",
        )
        self.portfolio = make_action(
            w,
            "portfolioAction",
            "&Portfolio",
            "Every AI system with its latest score and trend",
            "Ctrl+3",
        )
        self.restore = make_action(
            w,
            "restoreBackupAction",
            "&Restore from backup…",
            "List the database's backups and restore one",
        )
        self.backup_now = make_action(
            w, "backupNowAction", "&Back up now", "Make a consistent copy of the database now"
        )
        for action, slot in (
            (self.finalize, self._finalize),
            (self.edit_details, self._edit_details),
            (self.reopen, self._reopen),
            (self.next_cycle, self._next_cycle),
            (self.history, self._history),
            (self.compare_previous, self._compare_previous),
            (self.trend, self._trend),
            (self.restore, self._restore),
            (self.backup_now, self._backup_now),
        ):
            action.triggered.connect(slot)
        self.review = ReviewCarried(window)  # "mark reviewed" for many carried-over answers
        window.assessment_opened.connect(lambda _id: self.update())
        self.update()

    def assessment_menu_actions(self) -> list:  # type: ignore[type-arg]
        return [
            self.edit_details,
            None,
            self.finalize,
            self.reopen,
            None,
            self.next_cycle,
            self.review.action,
            self.compare_previous,
            self.trend,
            None,
            self.history,
        ]

    def update(self) -> None:
        current = self.window.current
        has = current is not None
        finalized = has and current.status is Status.FINALIZED  # type: ignore[union-attr]
        self.finalize.setEnabled(has and not finalized)
        self.edit_details.setEnabled(has and not finalized)
        self.reopen.setEnabled(bool(finalized))
        for action in (self.next_cycle, self.history, self.compare_previous, self.trend):
            action.setEnabled(has)
        self.review.update()
        sqlite = self.window.ctx.location.sqlite_path is not None
        self.restore.setEnabled(sqlite)
        self.backup_now.setEnabled(sqlite)

    # -- sign-off and cycles ----------------------------------------------------------------
    def _current_id(self) -> int | None:
        return self.window.current.id if self.window.current is not None else None

    def _finalize(self) -> None:
        from app.ui.dialogs.finalize import finalize_dialog

        aid = self._current_id()
        if aid is None:
            return
        self.window.questionnaire.flush()
        self.window.background.wait()  # the fingerprint must cover the change just typed
        if finalize_dialog(self.window, self.window.ctx, aid):
            self.window.publish(Change.of(Kind.STATUS, aid))
            self.window.show_message("Finalized: the assessment is now read-only")

    def _edit_details(self) -> None:
        aid = self._current_id()
        if aid is not None:
            self.window.edit_details(aid)

    def _reopen(self) -> None:
        from app.ui.dialogs.reopen import reopen_dialog

        aid = self._current_id()
        if aid is not None and reopen_dialog(self.window, self.window.ctx, aid):
            self.window.publish(Change.of(Kind.STATUS, aid))
            self.window.show_message("Reopened for edits; the sign-off was cleared")

    def _next_cycle(self) -> None:
        from app.ui.dialogs.next_cycle import next_cycle_dialog

        aid = self._current_id()
        if aid is None:
            return
        self.window.questionnaire.flush()
        self.window.background.wait()
        new_id = next_cycle_dialog(self.window, self.window.ctx, aid)
        if new_id is not None:
            # The new cycle is listed; the previous one's open actions are marked carried.
            self.window.publish(Change.of(Kind.ASSESSMENTS | Kind.ACTIONS, aid, new_id))
            self.window.open_assessment(new_id)

    def _history(self) -> None:
        from app.ui.history.history_view import HistoryView

        aid = self._current_id()
        if aid is None:
            return
        self.window.questionnaire.flush()
        self.window.background.wait()
        sub = self.window.questionnaire.current_subcategory()
        dialog = QDialog(self.window)
        dialog.setObjectName("historyDialog")
        dialog.setWindowTitle(f"Change history — {sub or 'whole assessment'}")
        dialog.resize(1000, 560)
        view = HistoryView(self.window.ctx, self.window.background, dialog)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(view, 1)
        layout.addWidget(buttons)
        view.load(aid, sub)
        dialog.open()
        self._history_dialog = dialog  # kept alive while open

    def _compare_previous(self) -> None:
        from app.services.progress import ProgressService

        aid = self._current_id()
        if aid is None:
            return
        self.window.questionnaire.flush()

        def found(previous) -> None:  # type: ignore[no-untyped-def]
            if previous is None:
                show_info(
                    self.window,
                    "Compare with previous cycle",
                    "This is the first cycle of this AI system: there is nothing earlier "
                    "to compare with. Start the next cycle from the Assessment menu.",
                )
                return
            self.window.show_progress(refresh=False)
            self.window.progress.show_compare(previous.id, aid)

        self.window.background.after_writes(
            lambda: self.window.background.run(
                lambda: ProgressService(self.window.ctx).previous_cycle(aid),
                found,
                lambda exc: show_error(self.window, "Comparison failed", str(exc)),
            )
        )

    def _trend(self) -> None:
        if self.window.current is None:
            return
        self.window.questionnaire.flush()
        system = self.window.current.ai_system
        # A copy's or the sample's trend lists copies, or it would not list the open one.
        copies = None if self.window.current.is_cycle else True
        self.window.background.after_writes(lambda: self._show_trend(system, copies))

    def _show_trend(self, system: str, copies: bool | None = None) -> None:
        self.window.show_progress(refresh=False)
        self.window.progress.show_trend(system, copies)

    # -- backups ----------------------------------------------------------------------------
    def daily_backup(self) -> None:
        """The rolling daily backup, off the UI thread; a failure is reported, not fatal."""
        if self.window.ctx.location.sqlite_path is None:
            return
        from app.services.backups import BackupService

        self.window.background.run(
            lambda: BackupService(self.window.ctx).daily(),
            self._after_daily_backup,
            lambda exc: self.window.show_message(str(exc)),
        )

    def _after_daily_backup(self, taken) -> None:  # type: ignore[no-untyped-def]
        """Once a day, after the backup: remove evidence files nothing cites any more (items
        removed in the questionnaire stay undoable until then; see app.services.evidence)."""
        if not taken:
            return
        self.window.show_message(f"Daily backup: {taken.path.name}")
        from app.services.evidence import EvidenceService

        ctx = self.window.ctx
        self.window.background.write(
            lambda: EvidenceService(ctx).purge(),
            lambda done: (
                done.removed and log.info("removed %d unused evidence file(s)", len(done.removed))
            ),
            lambda exc: log.warning("evidence clean-up: %s", exc),
        )

    def _backup_now(self) -> None:
        from app.services.backups import BackupService

        self.window.background.run(
            lambda: BackupService(self.window.ctx).create(),
            lambda taken: show_info(
                self.window, "Backup made", f"The database was copied to {taken.path}."
            ),
            lambda exc: show_error(self.window, "Backup failed", str(exc)),
        )

    def _restore(self) -> None:
        from app.services.backups import BackupService
        from app.ui.dialogs.restore_backup import RestoreBackupDialog

        ctx = self.window.ctx
        dialog = RestoreBackupDialog(BackupService(ctx).list(), ctx.location.display, self.window)
        if not dialog.exec() or dialog.chosen() is None:
            return
        chosen = dialog.chosen()
        assert chosen is not None
        self.window.questionnaire.flush()
        self.window.show_message(f"Restoring {chosen.name}…")

        def restored(safety) -> None:  # type: ignore[no-untyped-def]
            self.window.after_restore()
            note = (
                f" The previous state was kept as {safety.path.name}; to undo the restore, "
                "choose File > Restore from backup… and restore it (listed first)."
                if safety
                else ""
            )
            show_info(self.window, "Backup restored", f"{chosen.name} was restored.{note}")

        # On the writer queue: after every pending save, and off the UI thread (a large
        # database takes a while to copy).
        self.window.background.write(
            lambda: BackupService(ctx).restore(chosen),
            restored,
            lambda exc: show_error(self.window, "Restore failed", str(exc)),
        )
